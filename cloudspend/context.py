"""Resolving the warehouse and configuration every command works on."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cloudspend.config import Config, default_db_path, load_config
from warehouse.db import Settings, Warehouse


@dataclass(frozen=True)
class Context:
    """The configuration in force and where it came from."""

    config: Config
    config_path: Path | None
    db_path: Path
    db_source: str  # "--db / CLOUDSPEND_DB" | "config file" | "default"

    def warehouse(self, path: Path | None = None) -> Warehouse:
        """The warehouse at ``path`` (default: the resolved one) with the configured limits."""
        wc = self.config.warehouse
        settings = Settings(wc.memory_limit, wc.threads, wc.lock_timeout_seconds)
        return Warehouse(path or self.db_path, settings)


def resolve(db: Path | None, config_path: Path | None) -> Context:
    """--db (or CLOUDSPEND_DB) first, then the config file's [warehouse] path, then the default."""
    config, found = load_config(config_path)
    if db is not None:
        return Context(config, found, db, "--db / CLOUDSPEND_DB")
    if config.warehouse.path is not None:
        path = config.warehouse.path.expanduser()
        if found is not None and not path.is_absolute():
            path = found.parent / path
        return Context(config, found, path, "config file")
    return Context(config, found, default_db_path(), "default")
