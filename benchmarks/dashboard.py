"""Measure the dashboard's page response times on a demo company scaled to N billing rows.

    python benchmarks/dashboard.py --rows 10000000 [--workdir DIR] [--keep] [--runs 5]

The demo company is loaded and analyzed, then replicated set-based in DuckDB as
``benchmarks/analyze_scale.py`` does (replica k of every bill row, resource and metric series
gets its own resource id), its findings with it (so the read side sees as many findings as an
analysis of the scaled company would make, without the twelve minutes that takes). Each page
then runs in Streamlit's AppTest (the whole script, queries included, no browser): the first
load (queries run, cache empty), the next loads (cached per warehouse version: the median of
``--runs``), and a provider filter set in the sidebar (new queries) and then reloaded.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

if not __package__:  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from analysis.run import analyze
from benchmarks.analyze_scale import IDS, scale, sizes
from cloudspend.demo import run_demo
from warehouse.db import Warehouse

VIEWS = ["overview", "findings", "commitments", "tags", "resources", "loaded"]
FINDINGS = """
INSERT INTO findings SELECT f.* REPLACE (f.finding_id || '-r' || r.k AS finding_id,
    CASE WHEN f.resource_id IS NULL THEN NULL ELSE f.resource_id || '-r' || r.k END
        AS resource_id)
FROM findings AS f, range(1, $copies) AS r(k)
"""


def build(db: Path, rows: int) -> dict[str, int]:
    """The analyzed demo company in ``db``, scaled to about ``rows`` bill rows; table sizes."""
    warehouse = Warehouse(db)
    run_demo(warehouse)
    analyze(warehouse)
    with warehouse.write() as con:
        con.execute("BEGIN TRANSACTION")
        copies = scale(con, rows)
        con.execute(FINDINGS, {"copies": copies})
        con.execute("COMMIT")
        return sizes(con, [*IDS, "findings"])


def _timed(step: Callable[[], object]) -> float:
    started = time.perf_counter()
    step()
    return time.perf_counter() - started


def measure_page(app: str, view: str, runs: int) -> dict[str, float]:
    """First load, median cached reload, provider filter, median reload after it (seconds)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(app, default_timeout=1800)
    at.switch_page(f"views/{view}.py")
    first = _timed(at.run)
    if at.exception:
        raise RuntimeError(f"{view}: {at.exception[0].value}")
    warm = statistics.median(_timed(at.run) for _ in range(runs))
    providers = at.sidebar.multiselect(key="f_providers")
    filtered = _timed(providers.set_value(["aws"]).run)
    refiltered = statistics.median(_timed(at.run) for _ in range(runs))
    return {"first": first, "cached": warm, "filter": filtered, "filter cached": refiltered}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, required=True, help="bill rows of the scaled company")
    parser.add_argument("--workdir", type=Path, help="where to build (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the scaled warehouse")
    parser.add_argument("--runs", type=int, default=5, help="cached reloads per page")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-dashboard-"))
    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / "scaled.duckdb"
    try:
        if not db.exists():
            started = time.perf_counter()
            sizes = build(db, args.rows)
            print(f"built in {time.perf_counter() - started:.0f} s: "
                  + ", ".join(f"{n:,} {t}" for t, n in sizes.items()), flush=True)  # fmt: skip
        os.environ["CLOUDSPEND_DB"] = str(db)
        import dashboard

        app = str(Path(dashboard.__file__).with_name("app.py"))
        print("| page | first load | cached | provider filter | filter, cached |")
        print("|---|---:|---:|---:|---:|")
        for view in VIEWS:
            t = measure_page(app, view, args.runs)
            cells = " | ".join(f"{t[k]:.2f} s" for k in ("first", "cached", "filter",
                                                           "filter cached"))  # fmt: skip
            print(f"| {view} | {cells} |", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
