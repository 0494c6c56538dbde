"""The filters every page shares, in the sidebar: the user's choices become one
``reports.queries.filters.Filters`` in ``st.session_state["filters"]``."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from reports.queries.filters import Filters
from reports.queries.spend import Choices

ANY = "(any)"


def filters(choices: Choices) -> Filters:
    """Draw the sidebar filters for what is loaded; the Filters they select."""
    with st.sidebar:
        st.header("Filters")
        start, end = _dates(choices)
        currency = _currency(choices.currencies)
        providers = st.multiselect("Provider", choices.providers, key="f_providers")
        accounts = st.multiselect("Account / subscription / project", choices.accounts,
                                  key="f_accounts")  # fmt: skip
        regions = st.multiselect("Region", choices.regions, key="f_regions")
        services = st.multiselect("Service", choices.services, key="f_services")
        owner = st.selectbox("Owner (tag Owner)", [ANY, *choices.owners], key="f_owner")
        tag_key = st.selectbox("Tag key", [ANY, *choices.tag_keys], key="f_tag_key")
        tag_value = st.text_input("Tag value (empty: any)", key="f_tag_value",
                                  disabled=tag_key == ANY)  # fmt: skip
    return Filters(
        start=start, end=end, providers=tuple(providers), accounts=tuple(accounts),
        regions=tuple(regions), services=tuple(services), currency=currency,
        tag_key=None if tag_key == ANY else tag_key,
        tag_value=(tag_value.strip() or None) if tag_key != ANY else None,
        owner=None if owner == ANY else owner,
    )  # fmt: skip


def _dates(choices: Choices) -> tuple[dt.date | None, dt.date | None]:
    first, last = choices.first_day, choices.last_day
    if first is None or last is None:
        return None, None
    picked = st.date_input("Dates (UTC)", (first, last), min_value=first, max_value=last,
                           key="f_dates")  # fmt: skip
    # a 1-tuple while the user is half-way through picking a range
    if isinstance(picked, tuple | list) and len(picked) == 2:
        start, end = picked
        return (None if start <= first else start), (None if end >= last else end)
    return None, None


def _currency(currencies: list[str]) -> str | None:
    """Sums never mix currencies: with more than one, the user picks one."""
    if len(currencies) <= 1:
        return currencies[0] if currencies else None
    return str(st.selectbox("Currency", currencies, key="f_currency"))
