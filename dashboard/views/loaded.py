"""Data: what is loaded (periods and their reconciliation against the source totals), recent
ingests, quarantined rows and why, and the warehouse in use."""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from dashboard import data, page
from warehouse.status import read_status

f, _ = page.start("Data")
st.text(f"Warehouse: {data.where()}")
status = data.query(read_status, 20)
st.text(f"Schema version {status.schema_version}")

st.subheader("Billing periods")
st.dataframe(pd.DataFrame([dataclasses.asdict(p) for p in status.periods]), hide_index=True,
             width="stretch")  # fmt: skip

st.subheader("Recent ingests (source = loaded + quarantined)")
ingests = pd.DataFrame([{**dataclasses.asdict(i), "reconciled": i.reconciled}
                        for i in status.ingests])  # fmt: skip
st.dataframe(ingests, hide_index=True, width="stretch")

st.subheader("Quarantined rows, by reason")
if status.quarantine:
    st.dataframe(pd.DataFrame([dataclasses.asdict(q) for q in status.quarantine]),
                 hide_index=True, width="stretch")  # fmt: skip
else:
    st.text("No row was quarantined.")
