"""Every page renders on the demo company and on an empty warehouse; the sidebar filters change
the figures (AppTest: no server, no browser)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboard.conftest import APP, VIEWS

TITLES = ["Overview", "Findings", "Commitments", "Tags and allocation", "Resources", "Data"]


def open_page(view: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page(f"views/{view}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


@pytest.mark.parametrize(("view", "title"), list(zip(VIEWS, TITLES, strict=True)))
def test_page_renders_on_the_demo_company(demo_db: Path, view: str, title: str) -> None:
    at = open_page(view)
    assert at.title[0].value == title
    assert not at.info or "No data yet" not in at.info[0].value
    if view == "overview":  # the demo's spend is flat week over week: said in words, no table
        moved = "No provider moved by more than USD 0.01 in the last 7 days."
        assert [i.value for i in at.info] == [moved]
    else:
        assert at.dataframe


@pytest.mark.parametrize("view", VIEWS)
def test_page_says_how_to_load_data_on_an_empty_warehouse(empty_db: Path, view: str) -> None:
    at = open_page(view)
    assert "cloudspend demo" in at.info[0].value
    assert "cloudspend ingest" in at.info[0].value


def test_no_warehouse_file_yet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOUDSPEND_DB", str(tmp_path / "none.duckdb"))
    at = open_page("overview")
    assert "cloudspend demo" in at.info[0].value
    assert not (tmp_path / "none.duckdb").exists()  # the dashboard never creates one


def test_overview_answers_the_headline_questions(demo_db: Path) -> None:
    at = open_page("overview")
    assert metric(at, "Net savings available / month") in ("not computed",) or metric(
        at, "Net savings available / month"
    ).startswith("USD ")
    assert at.metric[2].delta.startswith("gross USD ")
    assert metric(at, "Allocation coverage (Owner tag)").endswith("%")


def test_provider_filter_changes_the_figures(demo_db: Path) -> None:
    at = open_page("findings")
    everything = metric(at, "Gross savings / month")
    count = metric(at, "Open findings")
    at.sidebar.multiselect(key="f_providers").set_value(["aws"]).run()
    assert not at.exception
    assert metric(at, "Gross savings / month") != everything
    assert int(metric(at, "Open findings")) < int(count)
    assert set(at.dataframe[0].value["provider"]) == {"aws"}


def test_owner_and_dates_change_the_overview(demo_db: Path) -> None:
    at = open_page("overview")
    month = metric(at, "Month to date (2026-10)")
    at.sidebar.selectbox(key="f_owner").set_value("team-data").run()
    assert metric(at, "Month to date (2026-10)") != month
    assert metric(at, "Allocation coverage (Owner tag)") == "100.0 %"
    assert "owner: team-data" in at.text[0].value


def test_finding_filters_family_confidence_savings(demo_db: Path) -> None:
    at = open_page("findings")
    at.multiselect(key="fd_families").set_value(["idle"]).run()
    table = at.dataframe[0].value
    assert set(table["family"]) == {"idle"}
    at.slider(key="fd_confidence").set_value(0.9).run()
    assert at.dataframe[0].value["confidence"].min() >= 0.9
    at.number_input(key="fd_min_savings").set_value(100.0).run()
    assert at.dataframe[0].value["savings_gross"].min() >= 100


def test_finding_detail_shows_the_evidence(demo_db: Path) -> None:
    at = open_page("findings")
    at.multiselect(key="fd_families").set_value(["idle"]).run()
    idle_vm = at.dataframe[0].value.query("check == 'idle_vm'").iloc[0]
    at.selectbox(key="fd_pick").set_value(idle_vm["finding_id"]).run()
    assert not at.exception
    assert at.subheader[0].value == "Finding detail"
    assert any(idle_vm["resource_id"] in t.value for t in at.text)
    assert len(at.tabs) == 4
    assert at.json  # reasoning and evidence


def test_what_if_moves_with_the_commitment_level(demo_db: Path) -> None:
    at = open_page("commitments")
    assert not at.metric  # the simulation runs on request only
    at.toggle(key="cm_whatif").set_value(True).run()
    at.slider(key="cm_hourly").set_value(0.0).run()
    assert metric(at, "Coverage") == "0.0 %"
    low = metric(at, "Net savings / month")
    top = at.slider(key="cm_hourly").max
    at.slider(key="cm_hourly").set_value(top).run()
    assert metric(at, "Net savings / month") != low


def test_resources_search(demo_db: Path) -> None:
    at = open_page("resources")
    everything = len(at.dataframe[0].value)
    at.text_input(key="rs_search").set_value("team-data").run()
    found = at.dataframe[0].value
    assert 0 < len(found) < everything
    assert set(found["owner"]) == {"team-data"}
