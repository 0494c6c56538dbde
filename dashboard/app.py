"""The dashboard's entrypoint (``cloudspend dashboard`` runs ``streamlit run`` on it): access
check, the shared sidebar filters, then the page the user chose."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard import access, data, sidebar
from reports.queries import spend

VIEWS = Path(__file__).with_name("views")

st.set_page_config(page_title="cloudspend", page_icon=":material/savings:", layout="wide")
st.session_state["user"] = access.gate()

wh = data.warehouse()
choices = data.query(spend.choices) if wh is not None and wh.exists() else None
st.session_state["choices"] = choices
if choices is not None and choices.first_day is not None:
    st.session_state["filters"] = sidebar.filters(choices)

pages = [
    st.Page(VIEWS / "overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page(VIEWS / "findings.py", title="Findings", icon=":material/savings:"),
    st.Page(VIEWS / "commitments.py", title="Commitments", icon=":material/handshake:"),
    st.Page(VIEWS / "tags.py", title="Tags and allocation", icon=":material/sell:"),
    st.Page(VIEWS / "resources.py", title="Resources", icon=":material/dns:"),
    st.Page(VIEWS / "loaded.py", title="Data", icon=":material/database:"),
]
st.navigation(pages).run()
