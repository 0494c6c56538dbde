"""Benchmark: synthesize N FOCUS 1.2 rows, ingest them, report time, rows per second and peak RSS.

    python benchmarks/ingest_focus.py --rows 1000000 [--format csv|parquet] [--workdir DIR]

The ingest runs as `cloudspend ingest` in a child process, so the peak RSS reported is the
loader's own (resource.getrusage of the child), not the generator's.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fixtures.focus_synth import write_focus


def run(rows: int, fmt: str, workdir: Path, memory_limit: str) -> dict[str, float | int | str]:
    """Generate, ingest in a child process, and measure."""
    source = workdir / f"focus-{rows}.{fmt}"
    t0 = time.perf_counter()
    write_focus(source, rows)
    generated = time.perf_counter() - t0
    config = workdir / "bench.toml"
    config.write_text(f'[warehouse]\nmemory_limit = "{memory_limit}"\n', encoding="utf-8")
    db = workdir / "bench.duckdb"
    db.unlink(missing_ok=True)
    cmd = [
        sys.executable,
        "-m",
        "cloudspend",
        "ingest",
        str(source),
        "--db",
        str(db),
        "--config",
        str(config),
    ]
    t1 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - t1
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "rows": rows,
        "format": fmt,
        "source_mb": round(source.stat().st_size / 1e6, 1),
        "generate_s": round(generated, 2),
        "ingest_s": round(elapsed, 2),
        "rows_per_s": round(rows / elapsed),
        "peak_rss_mb": round(peak_kib / 1024, 1),
        "warehouse_mb": round(db.stat().st_size / 1e6, 1),
        "memory_limit": memory_limit,
    }


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description="Measure FOCUS ingestion speed and memory.")
    parser.add_argument("--rows", type=int, required=True, help="rows to synthesize")
    parser.add_argument("--format", choices=["csv", "parquet"], default="csv")
    parser.add_argument("--memory-limit", default="1GB", help="DuckDB memory limit")
    parser.add_argument("--workdir", type=Path, help="where to write files (default: a temp dir)")
    args = parser.parse_args()
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        print(json.dumps(run(args.rows, args.format, args.workdir, args.memory_limit)))
        return
    with tempfile.TemporaryDirectory(prefix="cloudspend-bench-") as tmp:
        print(json.dumps(run(args.rows, args.format, Path(tmp), args.memory_limit)))


if __name__ == "__main__":
    main()
