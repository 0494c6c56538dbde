"""Which files of Azure Cost Management export folders to load.

A run of an export writes ``<export>/<YYYYMMDD-YYYYMMDD>/<time>/<run id>/`` with its part files
and a ``manifest.json`` (``exportConfig``, ``runInfo``, ``blobs``). With "create new report"
exports a month's folder collects several runs; only the newest run (``runInfo.submittedTime``)
of each export and date range loads, and only the files its manifest lists.
"""

from __future__ import annotations

import json
from pathlib import Path

from collectors.base import Selection

RunKey = tuple[str, str]  # (export name, range start)


def _manifest(folder: Path) -> dict[str, object] | None:
    path = folder / "manifest.json"
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("exportConfig"), dict):
        return None
    return data


def _run(data: dict[str, object]) -> tuple[RunKey, str, set[str]]:
    config = data.get("exportConfig") or {}
    run = data.get("runInfo") or {}
    blobs = data.get("blobs") or []
    if not (isinstance(config, dict) and isinstance(run, dict) and isinstance(blobs, list)):
        return ("", ""), "", set()
    names = {str(b.get("blobName", "")).rsplit("/", 1)[-1] for b in blobs if isinstance(b, dict)}
    key = (str(config.get("exportName", "")), str(run.get("startDate", "")))
    return key, str(run.get("submittedTime", "")), names


def select_files(source: Path, files: list[Path]) -> Selection:
    """Keep files outside export runs, and the listed files of each export's newest run."""
    runs: dict[Path, tuple[RunKey, str, set[str]]] = {}
    for folder in {f.parent for f in files}:
        data = _manifest(folder)
        if data is not None:
            runs[folder] = _run(data)
    newest: dict[RunKey, str] = {}
    for key, submitted, _ in runs.values():
        newest[key] = max(newest.get(key, ""), submitted)
    keep: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    for path in files:
        run = runs.get(path.parent)
        if run is None:
            keep.append(path)
        elif run[1] != newest[run[0]]:
            skipped.append((path, f"an older run of export {run[0][0]} ({run[1]})"))
        elif run[2] and path.name not in run[2]:
            skipped.append((path, "not listed in its export run's manifest.json"))
        else:
            keep.append(path)
    return Selection(keep, skipped)
