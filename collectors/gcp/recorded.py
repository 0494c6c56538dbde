"""Observations from recorded API responses instead of live calls: the demo company's files in
``fixtures/demo/gcp`` (``inventory/<project>/*.json``, ``metrics/<project>/<metric>.<ALIGNER>
.json.gz``, ``prices/services.json`` and ``prices/skus-<service id>.json``), run through the same
normalizers as a live collection.

Recordings have no ``machineTypes.get`` answers, so machine sizes come from the type names.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from collectors.gcp import prices as catalog
from collectors.gcp.metrics import QUERIES, Query, metric_rows
from collectors.gcp.observed import Observations
from collectors.gcp.project import instance_ids, inventory_rows
from collectors.gcp.rows import UTC, Json, Row, Scope
from collectors.gcp.series import Series, series_from_json
from collectors.rows import read_recorded_json

FILES = {
    "vm": "instances_aggregated.json", "disk": "disks_aggregated.json",
    "snapshot": "snapshots.json", "ip": "addresses_aggregated.json",
    "lb": "forwarding_rules_aggregated.json", "db": "sql_instances.json",
}  # fmt: skip


def read_recorded(folder: Path, collected_at: dt.datetime | None = None) -> Observations:
    """Observations of every recorded project, its metrics, and the catalogue prices."""
    root = Path(folder)
    projects = sorted(p.name for p in (root / "inventory").iterdir() if p.is_dir())
    answers = {p: _answers(root / "metrics" / p) for p in projects}
    at = collected_at or _window_end(answers) or dt.datetime.now(UTC)
    resources: list[Row] = []
    metrics: list[Row] = []
    scopes = []
    for project in projects:
        folder_of = root / "inventory" / project
        pages = {
            k: [read_recorded_json(folder_of / f)]
            for k, f in FILES.items()
            if (folder_of / f).is_file()
        }
        rows, read = inventory_rows(Scope(project, at), pages, {})
        resources += rows
        scopes += read
        metrics += metric_rows(project, answers[project], instance_ids(rows), at)
    prices = catalog.price_rows(resources, _skus(root / "prices", resources), at)
    return Observations.build(resources, metrics, prices, scopes, [])


def _answers(folder: Path) -> list[tuple[Query, list[Series]]]:
    return [(q, series_from_json([read_recorded_json(folder / q.file_name())])) for q in QUERIES
            if (folder / q.file_name()).is_file()]  # fmt: skip


def _skus(folder: Path, resources: list[Row]) -> list[Json]:
    needed = catalog.services_needed(resources)
    names = catalog.service_names([read_recorded_json(folder / "services.json")], needed)
    out: list[Json] = []
    for name in needed:
        path = folder / f"skus-{names[name].removeprefix('services/')}.json"
        if name in names and path.is_file():
            out += read_recorded_json(path).get("skus") or []
    return out


def _window_end(answers: dict[str, list[tuple[Query, list[Series]]]]) -> dt.datetime | None:
    ends = [end for items in answers.values() for _, found in items for series in found
            for end, _ in series.points]  # fmt: skip
    return max(ends, default=None)
