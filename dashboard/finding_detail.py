"""One finding in detail: its figures, the utilization chart with the thresholds drawn, the
billing rows behind its cost, the ledger's reasoning, the raw evidence; and the user's decision
(dismiss, snooze, reopen) with a reason, stored in the decisions file beside the warehouse."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from dashboard import charts, data
from dashboard.format import NOT_COMPUTED, money, percent
from reports.queries import findings
from warehouse.decisions import DecisionError


def show_detail(finding_id: str, listed: dict[str, Any]) -> None:
    """The detail of ``finding_id`` (``listed``: its row of the findings table)."""
    found = data.query(findings.detail, finding_id)
    if found is None:
        st.warning("That finding is no longer in the warehouse.")
        return
    row, currency = found.row, listed.get("currency")
    st.subheader("Finding detail")
    st.text(f"{row['check']} · {row['provider']} · {row.get('resource_id') or '-'}")
    st.text(f"Action: {row['action']}")
    c1, c2, c3, c4 = st.columns(4)
    net = listed.get("savings_net")
    c1.metric("Net / month", NOT_COMPUTED if net is None or net != net else money(net, currency))
    c2.metric("Gross / month", money(listed.get("savings_gross"), currency))
    c3.metric("Confidence", percent(row.get("confidence")))
    c4.metric("Owner", str(listed.get("owner") or "-"))
    tabs = st.tabs(["Utilization", "Billing rows", "Reasoning", "Evidence"])
    with tabs[0]:
        _utilization(row.get("resource_id"), found.evidence)
    with tabs[1]:
        _billing(row.get("resource_id"))
    with tabs[2]:
        st.dataframe(found.reasons, hide_index=True, width="stretch")
        st.text("The ledger's reasoning (net savings):")
        st.json(found.ledger if found.ledger is not None else {"ledger": NOT_COMPUTED})
    with tabs[3]:
        st.json({"current": found.current, "target": found.target, "evidence": found.evidence})
    _decide(finding_id, listed)


def _utilization(resource_id: str | None, evidence: dict[str, Any]) -> None:
    if not resource_id:
        st.info("This finding is about no single resource.")
        return
    start, end = findings.evidence_window(evidence)
    series = data.query(findings.utilization, resource_id, start, end)
    cpu = series[series["metric"] == "cpu_percent"]
    if cpu.empty:
        st.info("No CPU metrics for this resource in the finding's window.")
        return
    lines = findings.thresholds(evidence)
    st.altair_chart(charts.utilization(cpu, lines), width="stretch")


def _billing(resource_id: str | None) -> None:
    if not resource_id:
        st.info("This finding is about no single resource.")
        return
    rows = data.query(findings.billing_rows, resource_id)
    st.text(f"{len(rows):,} billing rows (newest first, at most 500)")
    st.dataframe(rows, hide_index=True, width="stretch")


def _decide(finding_id: str, listed: dict[str, Any]) -> None:
    store = data.decisions_file()
    if store is None:
        return
    st.subheader("Decision")
    state = listed.get("state")
    if state in findings.HIDDEN:
        st.text(f"{state}: {listed.get('decision_reason') or ''}")
        if st.button("Reopen", key="fd_reopen"):
            store.reopen(finding_id)
            st.rerun()
        return
    choice = st.radio("Decision", ["Dismiss", "Snooze"], horizontal=True, key="fd_choice")
    reason = st.text_input("Reason (required)", key="fd_reason")
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    until = st.date_input("Snooze until", tomorrow + dt.timedelta(days=29), min_value=tomorrow,
                          key="fd_until", disabled=choice != "Snooze")  # fmt: skip
    if st.button(choice, key="fd_decide", type="primary"):
        by = st.session_state.get("user")
        try:
            if choice == "Dismiss":
                store.dismiss(finding_id, reason, by=by)
            else:
                store.snooze(finding_id, until, reason, by=by)
        except DecisionError as exc:
            st.error(str(exc))
            return
        st.rerun()
