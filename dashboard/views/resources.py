"""Resources: the inventory joined to its cost and CPU utilization over the selected dates,
searchable by id, type, SKU, state, owner and tags."""

from __future__ import annotations

import streamlit as st

from dashboard import data, page
from reports.queries import resources

f, _ = page.start("Resources")
search = st.text_input("Search (id, type, SKU, state, owner, tags)", key="rs_search")
found = data.query(resources.inventory, f, search, 1000)
st.text(f"{len(found):,} resources (costliest first, at most 1,000)")
st.dataframe(found, hide_index=True, width="stretch", column_config={
    "cost": st.column_config.NumberColumn("Cost", format="%.2f"),
    "cpu_avg": st.column_config.NumberColumn("CPU avg %", format="%.1f"),
    "cpu_p95": st.column_config.NumberColumn("CPU p95 of hourly max %", format="%.1f"),
})  # fmt: skip
