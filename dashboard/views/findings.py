"""Findings: the table of findings the filters select, a detail view with the evidence, dismiss
or snooze with a reason, and the current view as CSV."""

from __future__ import annotations

import dataclasses

import streamlit as st

from analysis.findings import FAMILIES
from dashboard import data, page
from dashboard.finding_detail import show_detail
from dashboard.format import NOT_COMPUTED, money
from reports.csv_safe import safe_frame
from reports.queries import findings

SORTS = {
    "net savings": "savings_net", "gross savings": "savings_gross", "confidence": "confidence",
    "age": "age_days", "cost of inaction": "inaction", "monthly cost": "monthly_cost",
}  # fmt: skip
STATUSES = ["open", "cannot_judge", "resolved"]
SHOWN = ["state", "family", "check", "provider", "account_id", "resource_id", "owner", "action",
         "savings_net", "savings_gross", "currency", "confidence", "age_days", "inaction",
         "decision_reason", "snoozed_until", "finding_id"]  # fmt: skip

f, _ = page.start("Findings")
with st.container(horizontal=True):
    families = st.multiselect("Family", list(FAMILIES), key="fd_families")
    statuses = st.multiselect("Status", STATUSES, default=["open"], key="fd_statuses")
    low = st.slider("Minimum confidence", 0.0, 1.0, 0.0, 0.05, key="fd_confidence")
    least = st.number_input("Gross savings from", min_value=0.0, value=0.0, step=10.0,
                            key="fd_min_savings")  # fmt: skip
    most = st.number_input("to (0: no limit)", min_value=0.0, value=0.0, step=10.0,
                           key="fd_max_savings")  # fmt: skip
hidden = st.toggle("Show dismissed and snoozed findings", key="fd_hidden")
view = dataclasses.replace(
    f, families=tuple(families), statuses=tuple(statuses), min_confidence=low or None,
    min_savings=least or None, max_savings=most or None,
)  # fmt: skip
table = data.findings_table(view, hidden)

for total in findings.totals(table):
    net = NOT_COMPUTED if total.net is None else money(total.net, total.currency)
    c1, c2, c3 = st.columns(3)
    c1.metric("Open findings", f"{total.findings:,}")
    c2.metric("Net savings / month", net)
    c3.metric("Gross savings / month", money(total.gross, total.currency))
    if total.net_missing and total.net is not None:
        st.caption(f"Net not computed for {total.net_missing} of them (left out of the net).")

sort = st.selectbox("Sort by", list(SORTS), key="fd_sort")
table = table.sort_values(SORTS[sort], ascending=False, na_position="last", kind="stable")
st.text(f"{len(table):,} findings")
st.dataframe(table[SHOWN], hide_index=True, width="stretch", key="fd_table", column_config={
    "savings_net": st.column_config.NumberColumn("Net / month", format="%.2f",
                                                 help="empty: not computed by the ledger"),
    "savings_gross": st.column_config.NumberColumn("Gross / month", format="%.2f"),
    "confidence": st.column_config.ProgressColumn("Confidence", min_value=0.0, max_value=1.0),
    "age_days": st.column_config.NumberColumn("Age (days)"),
    "inaction": st.column_config.NumberColumn(
        "Cost of inaction", format="%.2f", help="net monthly savings x months since first seen"),
})  # fmt: skip
st.download_button(
    "Download CSV", lambda: safe_frame(table[SHOWN]).to_csv(index=False).encode("utf-8"),
    file_name="findings.csv", mime="text/csv", key="fd_csv", on_click="ignore",
)  # fmt: skip

ids = table["finding_id"].tolist()
labels = dict(zip(ids, (f"{c} · {r} · {a}" for c, r, a in zip(
    table["check"], table["resource_id"].fillna("-"), table["action"], strict=True)),
    strict=True))  # fmt: skip
picked = st.selectbox("Finding detail", ids, index=None, format_func=lambda i: labels.get(i, i),
                      placeholder="Choose a finding", key="fd_pick")  # fmt: skip
if picked:
    show_detail(picked, table[table["finding_id"] == picked].iloc[0].to_dict())
