"""Overview: spend over time, month to date against last month with a forecast, top movers,
savings available (net beside gross) and allocation coverage."""

from __future__ import annotations

import dataclasses
from typing import Any

import streamlit as st

from dashboard import charts, data, page
from dashboard.format import NOT_COMPUTED, money, percent
from reports.queries import findings, spend

PLAIN: dict[str, Any] = {"delta_color": "off", "delta_arrow": "off"}  # a note, not a change
MOVED = 0.01  # a week-over-week change smaller than a cent is no move

f, choices = page.start("Overview")
currency = f.currency

mtd = data.query(spend.month_to_date, f)
open_findings = data.findings_table(dataclasses.replace(f, statuses=("open",)))
totals = next(iter(findings.totals(open_findings)), None)
coverage = data.query(spend.owned_share, f)

c1, c2, c3, c4 = st.columns(4)
if mtd is not None:
    change = None if mtd.change is None else f"{100 * mtd.change:+.1f} % vs same days last month"
    c1.metric(f"Month to date ({mtd.month})", money(mtd.to_date, currency), change,
              delta_color="inverse")  # fmt: skip
    c2.metric("Forecast to month end", money(mtd.forecast, currency),
              f"last month {money(mtd.previous_month, currency)}", **PLAIN)  # fmt: skip
net = NOT_COMPUTED if totals is None or totals.net is None else money(totals.net, currency)
c3.metric("Net savings available / month", net,
          f"gross {money(totals.gross if totals else 0, currency)}", **PLAIN)  # fmt: skip
c4.metric("Allocation coverage (Owner tag)", percent(coverage))
if totals is not None and totals.net_missing:
    st.caption(f"Net savings are not computed for {totals.net_missing} of {totals.findings} "
               "open findings (the savings ledger has not run on them); gross counts the same "
               "dollar once per overlapping finding.")  # fmt: skip

by = st.segmented_control("Stack by", ["provider", "service", "account", "region"],
                          default="provider", key="overview_by") or "provider"  # fmt: skip
daily = data.query(spend.daily, f, by)
st.altair_chart(charts.stacked_daily(daily, currency, by), width="stretch")

st.subheader("Top movers (last 7 days against the 7 before)")
movers = data.query(spend.top_movers, f, 7, by)
movers = movers[movers["change"].abs() >= MOVED]
if movers.empty:
    st.info(f"No {by} moved by more than {money(MOVED, currency)} in the last 7 days.")
else:
    st.dataframe(movers, hide_index=True, width="stretch", column_config={
        "group": st.column_config.TextColumn(by.capitalize()),
        "previous": st.column_config.NumberColumn("Previous 7 days", format="%.2f"),
        "recent": st.column_config.NumberColumn("Last 7 days", format="%.2f"),
        "change": st.column_config.NumberColumn("Change", format="%+.2f"),
    })  # fmt: skip
