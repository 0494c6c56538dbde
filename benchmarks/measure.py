"""Measuring a command: wall time and the peak RSS of its whole process tree; and
`cloudspend ingest` into a new warehouse, measured, with what it loaded."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import duckdb
import psutil


def measure(cmd: list[str], log: Path) -> dict[str, Any]:
    """Wall time, peak RSS and outcome of ``cmd`` and its children (stderr goes to ``log``)."""
    peak = {"tree": 0}
    done = threading.Event()
    with log.open("wb") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        sampler = threading.Thread(target=_sample_tree, args=(proc.pid, peak, done), daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        done.set()
        sampler.join()
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    own = usage.ru_maxrss * 1024  # KiB on Linux: the largest single process of the tree
    return {"wall_s": round(wall, 2), "peak_rss_mb": round(max(own, peak["tree"]) / 1e6, 1),
            "ok": code == 0, "note": "" if code == 0 else _last_line(log)}  # fmt: skip


def _sample_tree(pid: int, peak: dict[str, int], done: threading.Event) -> None:
    try:
        root = psutil.Process(pid)
        while not done.wait(0.05):
            procs = [root, *root.children(recursive=True)]
            total = 0
            for p in procs:
                with contextlib.suppress(psutil.Error):
                    total += p.memory_info().rss
            peak["tree"] = max(peak["tree"], total)
    except psutil.Error:
        return


def measure_ingest(
    paths: list[Path], workdir: Path, memory_limit: str, log_name: str
) -> dict[str, Any]:
    """`cloudspend ingest PATHS` into a new warehouse under ``workdir`` with DuckDB's
    ``memory_limit``, measured; the note says what the ingests held and loaded."""
    config = workdir / "bench.toml"
    config.write_text(f'[warehouse]\nmemory_limit = "{memory_limit}"\n', encoding="utf-8")
    db = workdir / "bench.duckdb"
    db.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "cloudspend", "ingest", *map(str, paths), "--db", str(db),
           "--config", str(config)]  # fmt: skip
    run = measure(cmd, workdir / log_name)
    if run["ok"]:
        with duckdb.connect(str(db), read_only=True) as con:
            source, loaded, quarantined = con.execute(
                "SELECT sum(source_rows), sum(loaded_rows), sum(quarantined_rows) FROM ingests"
            ).fetchall()[0]
        run["note"] = f"{source:,} source rows, {loaded:,} loaded, {quarantined:,} quarantined"
    return run


def _last_line(log: Path) -> str:
    lines = [s for s in log.read_text(errors="replace").splitlines() if s.strip()]
    return lines[-1].strip()[:120] if lines else ""
