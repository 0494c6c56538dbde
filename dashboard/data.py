"""Read-only access for the dashboard: which warehouse (``cloudspend dashboard`` passes it in
the environment), and every query of ``reports.queries`` run on a short-lived read-only
connection and cached per warehouse version (a load or analysis swaps the file in, which changes
the version, so the next rerun reads the new data; until then the last complete state shows)."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from analysis.untagged import TagPolicy
from reports.queries import findings, net
from reports.queries.filters import Filters
from warehouse.db import Settings, Warehouse
from warehouse.decisions import Decision, Decisions

DB_ENV = "CLOUDSPEND_DB"
MEMORY_ENV, THREADS_ENV = "CLOUDSPEND_MEMORY_LIMIT", "CLOUDSPEND_THREADS"
TAG_POLICY_ENV = "CLOUDSPEND_TAG_POLICY"  # JSON: the [analysis.untagged_resource] overrides
T = TypeVar("T")


def warehouse() -> Warehouse | None:
    """The warehouse named by CLOUDSPEND_DB, or None when none is named."""
    path = os.environ.get(DB_ENV)
    if not path:
        return None
    threads = os.environ.get(THREADS_ENV)
    settings = Settings(os.environ.get(MEMORY_ENV) or "1GB", int(threads) if threads else None)
    return Warehouse(path, settings)


def query(fn: Callable[..., T], *args: Any) -> T:
    """``fn(con, *args)`` on the current warehouse, cached per warehouse version."""
    wh = warehouse()
    if wh is None or not wh.exists():
        raise RuntimeError("no warehouse: check data.has_data() first")
    settings = (wh.settings.memory_limit, wh.settings.threads)
    name = f"{fn.__module__}:{fn.__qualname__}"
    result: T = _cached(str(wh.path), settings, wh.version(), name, args)
    return result


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(path: str, settings: tuple[str, int | None], version: tuple[int, int], name: str,
            args: tuple[Any, ...]) -> Any:  # fmt: skip
    module, _, attr = name.partition(":")
    fn = getattr(importlib.import_module(module), attr)
    with Warehouse(path, Settings(*settings)).read() as con:
        return fn(con, *args)


def decisions_file() -> Decisions | None:
    wh = warehouse()
    return None if wh is None else Decisions.beside(wh.path)


def decisions() -> tuple[Decision, ...]:
    """Every dismissal and snooze (read on each rerun: cheap, and never stale)."""
    store = decisions_file()
    return tuple(store.all()) if store else ()


def findings_table(f: Filters, hidden: bool = False) -> pd.DataFrame:
    """The findings ``f`` selects as the decisions leave them today; the ledger's nets come
    from their own cache entry (per data version and decisions), not once per filter."""
    decided, today = decisions(), dt.date.today()
    nets = query(net.current_nets, decided, today)
    return query(findings.findings, f, decided, today, hidden, nets)


def tag_policy() -> TagPolicy:
    """The tag policy in force (the configuration's overrides, else the defaults)."""
    given = os.environ.get(TAG_POLICY_ENV)
    return TagPolicy(**json.loads(given)) if given else TagPolicy()


def where() -> Path | None:
    wh = warehouse()
    return None if wh is None else wh.path
