"""Dismissing and snoozing from the findings page: a reason is required, the decision lands in
the decisions file beside the warehouse and persists across sessions, the finding leaves the
totals and comes back on request or when reopened."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.dashboard.conftest import APP
from warehouse.decisions import Decisions


def findings_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("views/findings.py").run()
    assert not at.exception
    return at


def gross(at: AppTest) -> str:
    return next(m.value for m in at.metric if m.label == "Gross savings / month")


def test_dismissal_needs_a_reason_and_persists(demo_db: Path) -> None:
    at = findings_page()
    before = gross(at)
    first = at.dataframe[0].value.iloc[0]
    at.selectbox(key="fd_pick").set_value(first["finding_id"]).run()
    at.button(key="fd_decide").click().run()
    assert "reason is required" in at.error[0].value
    at.text_input(key="fd_reason").set_value("decommissioned next week").run()
    at.button(key="fd_decide").click().run()
    assert not at.exception

    stored = Decisions.beside(demo_db).get(first["finding_id"])
    assert stored is not None
    assert (stored.state, stored.reason) == ("dismissed", "decommissioned next week")

    again = findings_page()  # a new session reads the decisions file
    assert first["finding_id"] not in set(again.dataframe[0].value["finding_id"])
    assert gross(again) != before
    again.toggle(key="fd_hidden").set_value(True).run()
    shown = again.dataframe[0].value.set_index("finding_id")
    assert shown.loc[first["finding_id"], "state"] == "dismissed"
    assert shown.loc[first["finding_id"], "decision_reason"] == "decommissioned next week"

    again.selectbox(key="fd_pick").set_value(first["finding_id"]).run()
    again.button(key="fd_reopen").click().run()
    assert Decisions.beside(demo_db).get(first["finding_id"]) is None
    assert gross(findings_page()) == before


def test_snooze_until_a_date(demo_db: Path) -> None:
    at = findings_page()
    first = at.dataframe[0].value.iloc[0]["finding_id"]
    at.selectbox(key="fd_pick").set_value(first).run()
    at.radio(key="fd_choice").set_value("Snooze").run()
    until = dt.date.today() + dt.timedelta(days=14)
    at.date_input(key="fd_until").set_value(until)
    at.text_input(key="fd_reason").set_value("after the migration").run()
    at.button(key="fd_decide").click().run()
    stored = Decisions.beside(demo_db).get(first)
    assert stored is not None
    assert (stored.state, stored.until) == ("snoozed", until)
    assert first not in set(findings_page().dataframe[0].value["finding_id"])
