"""Tags and allocation: spend-weighted compliance per key, account and provider, the largest
untagged resources, and the spend no tag can reach as its own bucket."""

from __future__ import annotations

import streamlit as st

from dashboard import data, page
from reports.queries import tags

f, choices = page.start("Tags and allocation")
span = page.span(f, choices)
policy = data.tag_policy()
table, kinds, untagged = data.query(tags.allocation, policy, span, f, 50)
st.text("Required keys: " + ", ".join(policy.required_keys))

percent = st.column_config.NumberColumn("Compliant %", format="%.1f")
providers = table[table["account_id"].isna()]
st.subheader("Per provider and key (all keys: every required key present and valid)")
st.dataframe(providers.assign(key=providers["key"].fillna("(all keys)")).drop(
    columns=["account_id"]), hide_index=True, width="stretch",
    column_config={"compliant_percent": percent})  # fmt: skip

st.subheader("Per account")
accounts = table[table["account_id"].notna()]
st.dataframe(accounts.assign(key=accounts["key"].fillna("(all keys)")), hide_index=True,
             width="stretch", column_config={"compliant_percent": percent})  # fmt: skip

st.subheader("Largest resources missing a required tag")
st.dataframe(untagged, hide_index=True, width="stretch")

st.subheader("Spend no tag can reach (tax, credits, support, marketplace, commitments)")
st.dataframe(kinds, hide_index=True, width="stretch")
