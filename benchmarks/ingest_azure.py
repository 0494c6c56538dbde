"""Measure Azure cost-details ingestion: an N-row EA actual + amortized export pair.

    python benchmarks/ingest_azure.py --rows N [--workdir DIR] [--keep] [--memory-limit 1GB]

The demo company's October 2026 EA exports (actual and amortized cost, ``fixtures/demo/azure``)
are the template. DuckDB replicates each file set-based to N rows (``range(k)`` cross join):
replica k gets its own resource ids, so the actual and the amortized rows of one replica still
match each other, as in a real pair. Both files are written as the export writes them (a run
folder with ``manifest.json`` and a CSV part) and loaded together by ``cloudspend ingest`` in a
child process; wall time and peak RSS come from ``benchmarks/ingest_aws.py``'s ``measure``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import duckdb

import fixtures

if not __package__:  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.measure import measure_ingest

DEMO = Path(fixtures.__file__).resolve().parent / "demo" / "azure" / "billing" / "cost-exports"
VIEWS = ("ea-actual-cost", "ea-amortized-cost")
PERIOD = "20261001-20261031"


def template(view: str) -> tuple[Path, Path]:
    """The demo's October part file and manifest of one view."""
    manifest = next((DEMO / view / PERIOD).glob("*/*/manifest.json"))
    return next(manifest.parent.glob("part_*")), manifest


def generate(view: str, rows: int, workdir: Path) -> Path:
    """Write an N-row export run of ``view`` under ``workdir``; return its folder."""
    part, manifest = template(view)
    run = workdir / view / PERIOD / "202611050600" / "00000000-0000-0000-0000-000000000042"
    run.mkdir(parents=True, exist_ok=True)
    out = run / "part_0_0001.csv"
    with duckdb.connect() as con:
        src = f"read_csv('{part}', all_varchar = true, header = true)"
        (count,) = con.execute(f"SELECT count(*) FROM {src}").fetchall()[0]
        copies = -(-rows // count)
        con.execute(
            f"""COPY (SELECT * REPLACE (
                          CASE WHEN ResourceId = '' THEN ResourceId
                               ELSE ResourceId || '-r' || k END AS ResourceId)
                      FROM {src}, range({copies}) AS r(k) LIMIT {rows})
                TO '{out}' (HEADER true)"""
        )
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["blobs"] = [{"blobName": out.relative_to(workdir).as_posix(), "dataRowCount": rows}]
    data["dataRowCount"] = rows
    (run / "manifest.json").write_text(json.dumps(data, indent=1), encoding="utf-8")
    return run


def run_ingest(folder: Path, workdir: Path, memory_limit: str) -> dict[str, Any]:
    """`cloudspend ingest` into a new warehouse, measured."""
    return measure_ingest([folder], workdir, memory_limit, "ingest-azure.log")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, required=True, help="rows per view (actual, amortized)")
    parser.add_argument("--workdir", type=Path, help="where to write files (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument("--memory-limit", default="1GB", help="DuckDB memory limit of the ingest")
    parser.add_argument("--generate-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate_only:  # in a child: the measured process must not inherit its memory
        for view in VIEWS:
            generate(view, args.rows, args.generate_only)
        return
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-azure-"))
    workdir.mkdir(parents=True, exist_ok=True)
    exports = workdir / "exports"
    try:
        subprocess.run(
            [sys.executable, __file__, "--rows", str(args.rows), "--generate-only", str(exports)],
            check=True,
        )
        size = sum(p.stat().st_size for p in exports.rglob("*.csv")) / 1e6
        run = run_ingest(exports, workdir, args.memory_limit)
        rate = 2 * args.rows / run["wall_s"] if run["ok"] else 0
        print(f"{'rows/view':>12} {'files MB':>9} {'wall s':>8} {'rows/s':>9} {'peak MB':>8}  note")
        print(f"{args.rows:>12,} {size:>9,.1f} {run['wall_s']:>8} {rate:>9,.0f} "
              f"{run['peak_rss_mb']:>8,.0f}  {run['note']}")  # fmt: skip
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
