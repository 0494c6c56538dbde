"""Opening the warehouse: many readers, one writer, and loads that readers never see half-done.

DuckDB allows either one writing process or many reading ones on a file. So a write never touches
the file readers use: it copies the current file, writes the copy (migrations first), checkpoints
it and renames it over the original in one atomic step. Readers that opened the old file keep
reading it; readers that open after the rename see the new one. Writers queue on a lock file.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import duckdb

from warehouse import migrations
from warehouse.errors import WarehouseError


@dataclass(frozen=True)
class Settings:
    """DuckDB resources for one connection."""

    memory_limit: str = "1GB"
    threads: int | None = None
    lock_timeout_s: float = 600.0


class Warehouse:
    """The DuckDB file at ``path`` and the rules for reading and writing it."""

    def __init__(self, path: Path | str, settings: Settings | None = None) -> None:
        self.path = Path(path).expanduser().resolve()
        self.settings = settings or Settings()

    def exists(self) -> bool:
        """True once something has been written."""
        return self.path.is_file()

    def version(self) -> tuple[int, int]:
        """Changes whenever a write lands: use it as a cache key for derived data."""
        st = self.path.stat()
        return (st.st_ino, st.st_mtime_ns)

    @contextlib.contextmanager
    def read(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-only connection to the last complete state."""
        if not self.exists():
            raise WarehouseError(
                f"no warehouse at {self.path}: load data first "
                "(`cloudspend ingest PATH` or `cloudspend demo`)"
            )
        con = self._connect(self.path, read_only=True)
        try:
            if migrations.current_version(con) < migrations.latest_version():
                con.close()
                with self.write():
                    pass  # the write session applies the pending migrations
                con = self._connect(self.path, read_only=True)
            yield con
        finally:
            con.close()

    @contextlib.contextmanager
    def write(
        self, on_wait: Callable[[], None] | None = None
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection to a private copy that replaces the warehouse on success."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._writer_lock(on_wait):
            self._remove_leftovers()
            tmp = self.path.with_name(f"{self.path.name}.tmp-{os.getpid()}")
            try:
                if self.exists():
                    shutil.copyfile(self.path, tmp)
                con = self._connect(tmp, read_only=False)
                try:
                    migrations.migrate(con)
                    yield con
                    con.execute("CHECKPOINT")
                finally:
                    con.close()
                _fsync(tmp)
                tmp.replace(self.path)
                _fsync(self.path.parent)
            finally:
                tmp.unlink(missing_ok=True)

    def _connect(self, path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
        config: dict[str, str | bool | int | float | list[str]] = {
            "memory_limit": self.settings.memory_limit
        }
        if self.settings.threads:
            config["threads"] = self.settings.threads
        try:
            con = duckdb.connect(str(path), read_only=read_only, config=config)
        except duckdb.Error as exc:
            raise WarehouseError(f"cannot open the warehouse {self.path}: {exc}") from exc
        con.execute("SET TimeZone = 'UTC'")
        return con

    @contextlib.contextmanager
    def _writer_lock(self, on_wait: Callable[[], None] | None) -> Iterator[None]:
        lock_path = self.path.with_name(self.path.name + ".lock")
        with lock_path.open("a+") as handle:
            _acquire(handle, self.settings.lock_timeout_s, on_wait, lock_path)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _remove_leftovers(self) -> None:
        """Delete copies left by a writer that crashed (we hold the lock, so none is active)."""
        for stale in self.path.parent.glob(f"{self.path.name}.tmp-*"):
            if stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink(missing_ok=True)


def _acquire(
    handle: IO[str], timeout_s: float, on_wait: Callable[[], None] | None, lock_path: Path
) -> None:
    deadline = time.monotonic() + timeout_s
    told = False
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise WarehouseError(
                    f"another cloudspend load still holds {lock_path} after {timeout_s:.0f} s"
                ) from None
            if on_wait and not told:
                on_wait()
                told = True
            time.sleep(0.1)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
