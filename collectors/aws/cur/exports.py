"""Which files of a CUR export folder to load: the ones the newest manifest lists.

Layouts (as delivered to S3, or copied to a local folder):

- CUR 2.0: ``<export>/data/BILLING_PERIOD=YYYY-MM/<files>`` and
  ``<export>/metadata/BILLING_PERIOD=YYYY-MM/<export>-Manifest.json`` listing ``dataFiles``.
- Legacy CUR: ``<report>/<yyyymmdd-yyyymmdd>/<report>-Manifest.json`` listing ``reportKeys``;
  each delivery's files sit in an ``<assemblyId>/`` folder below the period folder, and with
  "create new report versions" older deliveries stay beside the newest.

Files a manifest governs but does not list (older deliveries) are left out. Without a manifest,
a legacy period folder with several deliveries keeps only the newest (by file time).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from collectors.base import CollectorError, Selection

PERIOD_FOLDER = re.compile(r"^\d{8}-\d{8}$")
CUR2_PERIOD = re.compile(r"^BILLING_PERIOD=\d{4}-\d{2}$")


def select_files(source: Path, files: list[Path]) -> Selection:
    """The files of ``files`` (all data files under ``source``) to load, and those left out."""
    selection = Selection(list(files), [])
    if not source.is_dir():
        return selection
    for manifest in sorted(source.rglob("*-Manifest.json")):
        _apply_manifest(manifest, selection)
    _newest_delivery_only(selection)
    return selection


def _read(manifest: Path) -> dict[str, object]:
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CollectorError(f"{manifest}: not a readable CUR manifest ({exc})") from exc
    if not isinstance(data, dict):
        raise CollectorError(f"{manifest}: not a CUR manifest (expected a JSON object)")
    return data


def _apply_manifest(manifest: Path, selection: Selection) -> None:
    data = _read(manifest)
    scope = _scope(manifest, data)
    if scope is None:
        return
    keys = data.get("dataFiles") or data.get("reportKeys") or []
    if not isinstance(keys, list):
        raise CollectorError(f"{manifest}: the list of data files is not a list")
    in_scope = [f for f in selection.files if scope in f.parents]
    listed = {_locate(manifest, str(key), in_scope) for key in keys}
    for path in in_scope:
        if path not in listed:
            selection.files.remove(path)
            selection.skipped.append(
                (path, f"not listed in {manifest.name}: an older delivery of the same period")
            )


def _scope(manifest: Path, data: dict[str, object]) -> Path | None:
    """The folder whose data files the manifest governs (None: not a manifest we apply)."""
    parent = manifest.parent
    if "dataFiles" in data and CUR2_PERIOD.match(parent.name):
        return parent.parent.parent / "data" / parent.name
    if "reportKeys" in data and PERIOD_FOLDER.match(parent.name):
        return parent
    if "reportKeys" in data and PERIOD_FOLDER.match(parent.parent.name):
        # a delivery's own copy of the manifest; the period folder's copy (if any) is newest
        if any(parent.parent.glob("*-Manifest.json")):
            return None
        return parent.parent
    return None


def _locate(manifest: Path, key: str, candidates: Iterable[Path]) -> Path:
    """The local file for an S3 key of the manifest: the same name, with the longest run of
    matching parent folders."""
    parts = key.removeprefix("s3://").split("/")
    best, best_score = None, 0
    for path in candidates:
        score = _common_suffix(path.parts, parts)
        if score > best_score:
            best, best_score = path, score
    if best is None:
        raise CollectorError(
            f"{manifest}: lists {key}, which is not in the folder; the export is incomplete "
            "(copy the whole period) and nothing was loaded"
        )
    return best


def _common_suffix(a: tuple[str, ...], b: list[str]) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _newest_delivery_only(selection: Selection) -> None:
    """Legacy period folders holding several deliveries and no manifest: keep the newest."""
    by_period: dict[Path, dict[Path, list[Path]]] = {}
    for path in selection.files:
        delivery = path.parent
        if PERIOD_FOLDER.match(delivery.parent.name):
            by_period.setdefault(delivery.parent, {}).setdefault(delivery, []).append(path)
    for period, deliveries in by_period.items():
        if len(deliveries) < 2 or any(period.glob("*-Manifest.json")):
            continue
        newest = max(deliveries, key=lambda d: max(p.stat().st_mtime for p in deliveries[d]))
        for delivery, paths in deliveries.items():
            if delivery == newest:
                continue
            for path in paths:
                selection.files.remove(path)
                selection.skipped.append(
                    (path, f"an older delivery than {newest.name} (no manifest to tell)")
                )
