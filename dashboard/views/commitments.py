"""Commitments: utilization and coverage over time per provider and commitment, commitments
ending soon, the purchase recommendations, and a what-if on a commitment level and term."""

from __future__ import annotations

import dataclasses

import streamlit as st

from analysis.commitment_whatif import WhatIfError, simulate
from dashboard import charts, data, page
from dashboard.format import money, percent
from reports.queries import commitments

f, choices = page.start("Commitments")
span = page.span(f, choices)

daily = data.query(commitments.daily, f)
if daily.empty:
    st.info("No commitment or commitment-eligible usage in the selected bill.")
else:
    providers = daily[daily["commitment_id"] == ""]
    left, right = st.columns(2)
    left.text("Utilization per provider (used / committed)")
    left.altair_chart(charts.ratio_lines(providers, "utilization", "provider"), width="stretch")
    right.text("Coverage per provider (covered / eligible usage)")
    right.altair_chart(charts.ratio_lines(providers, "coverage", "provider"), width="stretch")
    each = daily[daily["commitment_id"] != ""]
    if not each.empty:
        st.text("Utilization per commitment")
        st.altair_chart(charts.ratio_lines(each, "utilization", "commitment_id"), width="stretch")

st.subheader("Portfolio over the selected dates")
st.dataframe(data.query(commitments.portfolio, span), hide_index=True, width="stretch")

st.subheader("Ending within 90 days")
st.dataframe(data.query(commitments.ending, span, 90), hide_index=True, width="stretch")

st.subheader("Purchase recommendations")
view = dataclasses.replace(f, families=("commitment",), statuses=("open",))
listed = data.findings_table(view)
buys = listed[listed["check"] == "commitment_purchase"]
st.dataframe(buys[["provider", "account_id", "region", "resource_id", "action", "savings_net",
                   "savings_gross", "currency", "confidence"]], hide_index=True,
             width="stretch")  # fmt: skip

st.subheader("What if")
st.text("Simulates a commitment hour by hour over the last 30 days of eligible on-demand usage "
        "(on a bill of millions of rows the first run takes a while; other levels and terms "
        "then answer at once).")  # fmt: skip
if not st.toggle("Run the what-if", key="cm_whatif"):
    st.stop()
end, groups = data.query(commitments.whatif_groups)
if end is None or not groups:
    st.info("No eligible on-demand usage with a priced commitment offer.")
    st.stop()
names = ["/".join(g.key) for g in groups]
name = st.selectbox("Commitment group (provider / region / SKU)", names, key="cm_group")
group = groups[names.index(name)]
term = st.selectbox("Term", group.terms, key="cm_term")
price = group.hourly_prices[group.terms.index(term)]
hourly = st.slider("Commitment per hour", 0.0, round(group.peak_hourly * 1.5, 4),
                   round(group.mean_hourly * price / max(group.peak_hourly, 1e-9), 4),
                   step=round(max(group.peak_hourly / 200, 0.0001), 4),
                   key="cm_hourly")  # fmt: skip
try:
    result = simulate(group.usage, group.offers, hourly, term)  # the hours expanded once, above
except WhatIfError as exc:
    st.warning(str(exc))
    st.stop()
c1, c2, c3 = st.columns(3)
c1.metric("Coverage", percent(result.coverage))
c2.metric("Utilization", percent(result.utilization))
c3.metric("Net savings / month", money(result.net_monthly_savings, f.currency))
st.altair_chart(charts.hourly_coverage(result.hourly_coverage), width="stretch")
