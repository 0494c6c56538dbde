"""Net savings as the users' decisions leave them now: the savings ledger recomputed over the
open findings less those dismissed or snoozed since the last analysis
(``analysis.findings_query.current_ledger``), so a finding superseded by one a user has since
dismissed nets its share again at once, not only after the next run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import duckdb
import pandas as pd
import pyarrow as pa

from analysis.findings_query import current_ledger
from analysis.ledger import Entry
from warehouse.decisions import Decision

RELATION = "finding_net_now"
_SCHEMA = pa.schema([("finding_id", pa.string()), ("net", pa.decimal128(38, 6))])


def register_net(con: duckdb.DuckDBPyConnection, decisions: Iterable[Decision], today: dt.date,
                 nets: pd.DataFrame | None = None) -> None:  # fmt: skip
    """The relation ``finding_net_now(finding_id, net)``: the ledger's net of every open finding
    no decision hides on ``today`` (``nets``: those of :func:`current_nets`, already computed)."""
    if nets is not None:
        con.register(RELATION, nets)
        return
    rows = [{"finding_id": e.finding_id, "net": e.net} for e in _entries(con, decisions, today)]
    con.register(RELATION, pa.Table.from_pylist(rows, schema=_SCHEMA))


def current_nets(con: duckdb.DuckDBPyConnection, decisions: Iterable[Decision],
                 today: dt.date) -> pd.DataFrame:  # fmt: skip
    """finding_id and net (float) of the ledger as :func:`register_net` computes it: the same
    for every filter, so the dashboard computes it once per data version and decisions."""
    entries = list(_entries(con, decisions, today))
    return pd.DataFrame({"finding_id": [e.finding_id for e in entries],
                         "net": [float(e.net) for e in entries]})  # fmt: skip


def _entries(con: duckdb.DuckDBPyConnection, decisions: Iterable[Decision], today: dt.date
             ) -> Iterable[Entry]:  # fmt: skip
    now = dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC)
    return current_ledger(con, list(decisions), now).entries.values()


def net_sql(alias: str, joined: str) -> str:
    """SQL for a finding's net savings: the current ledger's (``joined``: the alias of
    ``finding_net_now`` left-joined on finding_id) where it has one and the last run computed
    one (a NULL stays "not computed"), else the stored ``savings_net``."""
    return (f"CASE WHEN {joined}.finding_id IS NOT NULL AND {alias}.savings_net IS NOT NULL "
            f"THEN {joined}.net ELSE {alias}.savings_net END")  # fmt: skip
