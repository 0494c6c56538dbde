"""Measure `cloudspend analyze` on a demo company scaled to N billing rows.

    python benchmarks/analyze_scale.py --rows 10000000 [--workdir DIR] [--keep]
                                       [--memory-limit 1GB]

The demo company (``cloudspend demo``'s loader) is loaded once, then replicated set-based in
DuckDB until ``focus_costs`` holds about N rows: replica k of every bill row, resource and metric
series gets its own resource id (``<id>-rk``), so the scaled company has k times the resources,
each with its own costs and 30 days of hourly metrics. `cloudspend analyze` then runs on it in a
child process; wall time and peak RSS come from ``benchmarks/measure.py``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import duckdb

if not __package__:  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.measure import measure
from cloudspend.demo import run_demo
from warehouse.db import Warehouse

SUFFIX = "'-r' || r.k"
IDS = {
    "focus_costs": ["ResourceId"],
    "resources": ["resource_id", "attached_to", "scaling_group"],
    "metrics": ["resource_id"],
}


def _replicate(con: duckdb.DuckDBPyConnection, table: str, copies: int) -> None:
    """Add replicas 1 .. copies-1 of every row of ``table`` with their own resource ids."""
    replaced = ", ".join(
        f"CASE WHEN {c} IS NULL THEN NULL ELSE {c} || {SUFFIX} END AS {c}" for c in IDS[table]
    )
    con.execute(
        f"INSERT INTO {table} SELECT t.* REPLACE ({replaced})"
        f" FROM {table} AS t, range(1, {copies}) AS r(k)"
    )


def scale(con: duckdb.DuckDBPyConnection, rows: int) -> int:
    """Replicate the loaded company until ``focus_costs`` holds about ``rows`` rows; the copies."""
    (base,) = con.execute("SELECT count(*) FROM focus_costs").fetchall()[0]
    copies = max(1, round(rows / int(base)))
    for table in IDS:
        _replicate(con, table, copies)
    return copies


def sizes(con: duckdb.DuckDBPyConnection, tables: list[str]) -> dict[str, int]:
    """Row counts of ``tables``."""
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in tables}


def build(db: Path, rows: int) -> dict[str, int]:
    """The demo company in ``db``, scaled to about ``rows`` bill rows; the table sizes."""
    warehouse = Warehouse(db)
    run_demo(warehouse)
    with warehouse.write() as con:
        con.execute("BEGIN TRANSACTION")
        scale(con, rows)
        con.execute("COMMIT")
        return sizes(con, list(IDS))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, required=True, help="bill rows of the scaled company")
    parser.add_argument("--workdir", type=Path, help="where to build (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the scaled warehouse")
    parser.add_argument("--memory-limit", default="1GB", help="DuckDB memory limit of analyze")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-analyze-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        started = time.perf_counter()
        sizes = build(workdir / "scaled.duckdb", args.rows)
        print(f"built in {time.perf_counter() - started:.0f} s: "
              + ", ".join(f"{n:,} {t}" for t, n in sizes.items()))  # fmt: skip
        config = workdir / "bench.toml"
        config.write_text(f'[warehouse]\nmemory_limit = "{args.memory_limit}"\n', "utf-8")
        cmd = [sys.executable, "-m", "cloudspend", "analyze", "--db",
               str(workdir / "scaled.duckdb"), "--config", str(config)]  # fmt: skip
        run = measure(cmd, workdir / "analyze.log")
        with duckdb.connect(str(workdir / "scaled.duckdb"), read_only=True) as con:
            (found,) = con.execute("SELECT count(*) FROM findings").fetchall()[0]
        print(f"analyze: {run['wall_s']} s, peak RSS {run['peak_rss_mb']:,.0f} MB,"
              f" {found:,} findings {run['note']}")  # fmt: skip
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
