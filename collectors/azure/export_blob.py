"""Fetch Cost Management exports from a storage account into a local mirror that
``cloudspend ingest`` can read.

An export run writes ``<export>/<yyyymmdd-yyyymmdd>/<run time>/<run id>/`` with a
``manifest.json`` listing its blobs. For each export and period (the newest ``months``), the
newest run's manifest decides what to fetch; older runs are not fetched and are pruned from the
mirror, so a restated period replaces, never doubles. Unchanged blobs (same ETag) are reused.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from azure.core.exceptions import AzureError

from collectors.azure.settings import AzureExport
from collectors.base import CollectorError

RANGE = re.compile(r"^\d{8}-\d{8}$")
Tell = Callable[[str], None]


@dataclass
class Fetched:
    """What a fetch brought: one local folder per (export, period) to ingest."""

    root: Path
    periods: list[str] = field(default_factory=list)
    sources: list[Path] = field(default_factory=list)
    downloaded: int = 0
    reused: int = 0


@dataclass(frozen=True)
class Run:
    """One export run: its manifest blob, period folder and submission time."""

    manifest: str
    period_folder: str  # <export>/<yyyymmdd-yyyymmdd>
    submitted: str


def fetch_export(
    container: Any, export: AzureExport, cache: Path, tell: Tell | None = None
) -> Fetched:
    """Mirror the newest run of each of the newest ``export.months`` periods under ``cache``."""
    runs = _newest_runs(container, export)
    if not runs:
        raise CollectorError(
            f"{export.account_url}/{export.container}/{export.prefix}: no export manifest "
            "(<export>/<yyyymmdd-yyyymmdd>/<run>/<id>/manifest.json) here; check [azure.export]"
        )
    chosen = sorted(runs, key=lambda r: _period(r.period_folder), reverse=True)
    if export.months:
        periods = sorted({_period(r.period_folder) for r in chosen}, reverse=True)[: export.months]
        chosen = [r for r in chosen if _period(r.period_folder) in periods]
    base = cache / export.container
    fetched = Fetched(base / export.prefix.strip("/") if export.prefix else base)
    for run in sorted(chosen, key=lambda r: r.period_folder):
        if tell:
            tell(f"fetching {run.period_folder} from {export.container}")
        manifest = _download(container, run.manifest, base, fetched)
        kept = {manifest} | {
            _download(container, name, base, fetched) for name in _blob_names(manifest, run)
        }
        folder = base / run.period_folder
        _prune(folder, kept)
        fetched.sources.append(folder)
        if _period(run.period_folder) not in fetched.periods:
            fetched.periods.append(_period(run.period_folder))
    return fetched


def _newest_runs(container: Any, export: AzureExport) -> list[Run]:
    newest: dict[str, Run] = {}
    try:
        for blob in container.list_blobs(name_starts_with=export.prefix.strip("/") or None):
            run = _run_of(container, blob.name)
            if run is None:
                continue
            seen = newest.get(run.period_folder)
            if seen is None or run.submitted > seen.submitted:
                newest[run.period_folder] = run
    except AzureError as exc:
        where = f"{export.account_url}/{export.container}"
        raise CollectorError(f"{where}: cannot list the export: {_first(exc)}") from exc
    return list(newest.values())


def _run_of(container: Any, name: str) -> Run | None:
    """The run a ``manifest.json`` blob describes (None for any other blob)."""
    path = PurePosixPath(name)
    if path.name != "manifest.json" or len(path.parts) < 4 or not RANGE.match(path.parts[-4]):
        return None
    period_folder = str(PurePosixPath(*path.parts[:-3]))
    return Run(name, period_folder, submitted=path.parts[-3])


def _period(period_folder: str) -> str:
    start = PurePosixPath(period_folder).name[:8]
    return f"{start[:4]}-{start[4:6]}"


def _blob_names(manifest: Path, run: Run) -> list[str]:
    try:
        data = json.loads(manifest.read_text(encoding="utf-8-sig"))
        blobs = data["blobs"]
        names = [str(b["blobName"]) for b in blobs]
    except (ValueError, KeyError, TypeError) as exc:
        raise CollectorError(f"{manifest}: not a readable export manifest ({exc})") from exc
    root = str(data.get("deliveryConfig", {}).get("rootFolderPath") or "").strip("/")
    return [f"{root}/{n}" if root and not n.startswith(root + "/") else n for n in names]


def _download(container: Any, name: str, base: Path, fetched: Fetched) -> Path:
    """Fetch one blob unless the mirror has it with the same ETag."""
    target = base / name
    tag_file = target.with_name(target.name + ".etag")
    try:
        blob = container.get_blob_client(name)
        etag = str(blob.get_blob_properties().etag)
        if target.is_file() and tag_file.is_file() and tag_file.read_text() == etag:
            fetched.reused += 1
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        with partial.open("wb") as handle:
            blob.download_blob().readinto(handle)
    except AzureError as exc:
        raise CollectorError(
            f"{container.container_name}/{name}: cannot fetch it: {_first(exc)}"
        ) from exc
    partial.replace(target)
    tag_file.write_text(etag)
    fetched.downloaded += 1
    return target


def _prune(folder: Path, keep: set[Path]) -> None:
    """Drop mirrored files of older runs, so the period folder holds just the newest run."""
    for path in list(folder.rglob("*")):
        if path.is_file() and path not in keep and path.with_suffix("") not in keep:
            path.unlink()


def _first(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
