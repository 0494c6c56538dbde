"""What every page starts with: the filters in force, or a clear word when there is no data."""

from __future__ import annotations

import dataclasses

import streamlit as st

from analysis.window import Window
from dashboard import data
from reports.queries.filters import Filters
from reports.queries.spend import Choices
from reports.queries.tags import span_of

NO_DATA = (
    "No data yet. Load some with `cloudspend demo` (the embedded demo company), "
    "`cloudspend ingest PATH` (billing files) or `cloudspend collect aws|azure|gcp`, "
    "then `cloudspend analyze`."
)


def start(title: str) -> tuple[Filters, Choices]:
    """Title the page; the shared filters and choices, or stop with what to run."""
    st.title(title)
    choices: Choices | None = st.session_state.get("choices")
    if data.warehouse() is None:
        st.warning("No warehouse named: start the dashboard with `cloudspend dashboard`.")
        st.stop()
    if choices is None or choices.first_day is None:
        st.info(NO_DATA)
        st.stop()
    f: Filters = st.session_state["filters"]
    if not dataclasses.replace(f, currency=None).is_default():
        st.text("Filtered: " + f.describe())
    return f, choices


def span(f: Filters, choices: Choices) -> Window:
    """The filter's dates as a window (the loaded data's where the filter leaves them open)."""
    first, last = choices.first_day, choices.last_day
    if first is None or last is None:
        raise ValueError("no data loaded")
    return span_of(f, first, last)
