"""What the last e-mailed report saw, kept beside the warehouse (``<warehouse>.report.json``) so
the next report can say which billing periods were restated since.

A period counts as restated when its effective cost over the days the last report covered
differs (by a cent or more) from what that report saw; days added since do not count.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import duckdb

SUFFIX = ".report.json"
CENT = Decimal("0.01")

TOTALS_SQL = """
SELECT x_Provider || '/' || BillingAccountId AS source,
       strftime(BillingPeriodStart, '%Y-%m') AS period, sum(EffectiveCost) AS cost
FROM focus_costs WHERE ChargePeriodStart < $until GROUP BY ALL ORDER BY ALL
"""


@dataclass(frozen=True)
class ReportState:
    """The last day of data a report covered and each period's cost up to it."""

    last_day: dt.date
    totals: dict[str, dict[str, str]] = field(default_factory=dict)  # source -> period -> cost


def state_path(warehouse_path: Path) -> Path:
    return warehouse_path.with_name(warehouse_path.name + SUFFIX)


def load_state(path: Path) -> ReportState | None:
    """The state the last report left, or None before the first one."""
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return ReportState(dt.date.fromisoformat(data["last_day"]), data["totals"])


def save_state(path: Path, state: ReportState) -> None:
    data = {"last_day": state.last_day.isoformat(), "totals": state.totals}
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
    tmp.replace(path)


def current_state(con: duckdb.DuckDBPyConnection, last_day: dt.date) -> ReportState:
    """What a report covering data up to ``last_day`` sees."""
    return ReportState(last_day, _totals(con, last_day))


def restated(con: duckdb.DuckDBPyConnection, previous: ReportState | None) -> dict[str, list[str]]:
    """Per source (``provider/account``), the periods whose cost changed since ``previous``."""
    if previous is None:
        return {}
    now = _totals(con, previous.last_day)
    out: dict[str, list[str]] = {}
    for source, periods in previous.totals.items():
        for period, cost in periods.items():
            seen = Decimal(now.get(source, {}).get(period, "0"))
            if abs(seen - Decimal(cost)) >= CENT:
                out.setdefault(source, []).append(period)
    return out


def _totals(con: duckdb.DuckDBPyConnection, last_day: dt.date) -> dict[str, dict[str, str]]:
    until = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    out: dict[str, dict[str, str]] = {}
    for source, period, cost in con.execute(TOTALS_SQL, {"until": until}).fetchall():
        out.setdefault(source, {})[period] = format(Decimal(cost).quantize(CENT), "f")
    return out
