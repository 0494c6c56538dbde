"""Measure Google Cloud billing-export ingestion: an N-row detailed export of one invoice month.

    python benchmarks/ingest_gcp.py --rows N [--format json|parquet] [--workdir DIR] [--keep]
                                    [--memory-limit 1GB]

The demo company's October 2026 detailed export (``fixtures/demo/gcp``) is the template. DuckDB
replicates it set-based to N rows (``range(k)`` cross join): replica k gets its own resource ids
and its own commitments (the fee rows and the credits naming them), so commitments still pair
with the usage they cover. The file is written as ``bq extract`` writes it (gzip JSON lines) or
as BigQuery's Arrow result becomes Parquet (nested columns), in a child process, then loaded by
``cloudspend ingest`` in another; wall time and peak RSS come from ``benchmarks/ingest_aws.py``.
"""

from __future__ import annotations

import argparse
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
from fixtures.gcp.billing import READ_COLUMNS

DEMO = Path(fixtures.__file__).resolve().parent / "demo" / "gcp" / "billing"
MONTH = "202610"


def template() -> Path:
    """The demo's October export file."""
    return next((DEMO / f"invoice_month={MONTH}").glob("*.json.gz"))


def _replicated(copies: int, rows: int) -> str:
    """The template rows, ``copies`` times over, with replica-own resources and commitments."""
    columns = ", ".join(f"'{k}': '{v}'" for k, v in READ_COLUMNS.items())
    src = f"read_json('{template()}', format = 'newline_delimited', columns = {{{columns}}})"
    resource = (
        "CASE WHEN resource IS NULL THEN NULL ELSE struct_pack(name := resource.name,"
        " global_name := resource.global_name || '-r' || k) END"
    )
    credits = (
        "list_transform(credits, lambda c: struct_pack(name := c.name, amount := c.amount,"
        " full_name := c.full_name, id := CASE WHEN c.type LIKE 'COMMITTED%'"
        " THEN c.id || '-r' || k ELSE c.id END, type := c.type))"
    )
    return (
        f"SELECT * EXCLUDE (k) REPLACE ({resource} AS resource, {credits} AS credits)"
        f" FROM {src}, range({copies}) AS r(k) LIMIT {rows}"
    )


def generate(rows: int, fmt: str, workdir: Path) -> Path:
    """Write an N-row export month under ``workdir``; return its folder."""
    folder = workdir / f"invoice_month={MONTH}"
    folder.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as con:
        (count,) = con.execute(
            f"SELECT count(*) FROM read_json('{template()}', format = 'newline_delimited')"
        ).fetchall()[0]
        select = _replicated(-(-rows // count), rows)
        if fmt == "parquet":
            out = folder / "part-000.parquet"
            con.execute(f"COPY ({select}) TO '{out}' (FORMAT parquet)")
        else:
            out = folder / "gcp_billing_export_resource_v1-000000000000.json.gz"
            con.execute(f"COPY ({select}) TO '{out}' (FORMAT json, COMPRESSION gzip)")
    return folder


def run_ingest(folder: Path, workdir: Path, memory_limit: str) -> dict[str, Any]:
    """`cloudspend ingest` into a new warehouse, measured."""
    return measure_ingest([folder], workdir, memory_limit, "ingest-gcp.log")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, required=True, help="rows of the export month")
    parser.add_argument("--format", choices=("json", "parquet"), default="json")
    parser.add_argument("--workdir", type=Path, help="where to write files (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument("--memory-limit", default="1GB", help="DuckDB memory limit of the ingest")
    parser.add_argument("--generate-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate_only:  # in a child: the measured process must not inherit its memory
        generate(args.rows, args.format, args.generate_only)
        return
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-gcp-"))
    workdir.mkdir(parents=True, exist_ok=True)
    export = workdir / "export"
    try:
        child = [sys.executable, __file__, "--rows", str(args.rows), "--format", args.format]
        subprocess.run([*child, "--generate-only", str(export)], check=True)
        size = sum(p.stat().st_size for p in export.rglob("*") if p.is_file()) / 1e6
        run = run_ingest(export, workdir, args.memory_limit)
        rate = args.rows / run["wall_s"] if run["ok"] else 0
        head = ("rows", "format", "file MB", "wall s", "rows/s", "peak MB")
        print("{:>12} {:>8} {:>8} {:>8} {:>9} {:>8}".format(*head))
        print(f"{args.rows:>12,} {args.format:>8} {size:>8,.1f} {run['wall_s']:>8} {rate:>9,.0f} "
              f"{run['peak_rss_mb']:>8,.0f}  {run['note']}")  # fmt: skip
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
