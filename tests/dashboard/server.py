"""`cloudspend dashboard` started on a free loopback port for the real-browser test, and the
Debian chromium Playwright drives (never a browser Playwright downloads)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [  # Playwright adds --headless and its own temporary --user-data-dir
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def dashboard_server(db: Path, log: Path, timeout: float = 60) -> Iterator[str]:
    """Run ``cloudspend dashboard --db db`` on a free port until the block ends; its URL."""
    port = free_port()
    cmd = [sys.executable, "-m", "cloudspend", "dashboard", "--db", str(db), "--port", str(port)]
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(proc, url, log, timeout)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def _wait_healthy(proc: subprocess.Popen[bytes], url: str, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"cloudspend dashboard exited {proc.returncode}: {log.read_text()}")
        with contextlib.suppress(OSError), urllib.request.urlopen(url + "/_stcore/health",
                                                                  timeout=1) as r:  # fmt: skip
            if r.read() == b"ok":
                return
        if time.monotonic() > deadline:
            raise TimeoutError(f"no health after {timeout} s: {log.read_text()}")
        time.sleep(0.2)
