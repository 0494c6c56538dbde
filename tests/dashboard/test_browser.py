"""The dashboard in a real browser: `cloudspend dashboard` on a free loopback port, Playwright
driving Debian's chromium. Filters the findings, opens a detail view, downloads the CSV and
reads it, and saves a PNG of every page (CLOUDSPEND_ARTIFACTS, else pytest's temporary folder;
the path is printed)."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.analysis.demo_company import DemoRun
from tests.dashboard.server import CHROMIUM, CHROMIUM_ARGS, dashboard_server

pytestmark = [
    pytest.mark.e2e,
    # pytest-playwright's pytest-base-url dependency defines its fixture in a way pytest 9 warns on
    pytest.mark.filterwarnings(
        "ignore:Session-scoped fixtures defined as instance methods:pytest.PytestRemovedIn10Warning"
    ),
]
PAGES = ["Overview", "Findings", "Commitments", "Tags and allocation", "Resources", "Data"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no chromium at {CHROMIUM}: apt-get install chromium")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": {"width": 1500, "height": 1000},
            "accept_downloads": True}  # fmt: skip


@pytest.fixture(scope="module")
def app_url(demo_run: DemoRun, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("dashboard-server") / "dashboard.log"
    with dashboard_server(demo_run.warehouse.path, log) as url:
        yield url


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("CLOUDSPEND_ARTIFACTS")
    folder = Path(given) if given else tmp_path_factory.mktemp("dashboard-screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    print(f"dashboard screenshots: {folder}")
    return folder


def pick(page: Page, label: str, option: str | None = None) -> None:
    """Open the select box or multiselect labelled ``label``; click ``option`` (else the
    first)."""
    widgets = page.locator('[data-testid="stSelectbox"], [data-testid="stMultiSelect"]')
    widget = widgets.filter(has=page.get_by_text(label, exact=True)).first
    options = page.get_by_role("option")
    for _ in range(5):  # a rerun may redraw the widget under the click: open it again
        widget.get_by_role("combobox").click()
        try:
            options.first.wait_for(timeout=3_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    (options.filter(has_text=option).first if option else options.first).click()
    if widget.get_attribute("data-testid") == "stMultiSelect":
        page.keyboard.press("Escape")  # a multiselect stays open for more choices


def test_findings_filter_detail_csv_and_screenshots(page: Page, app_url: str,
                                                    artifacts: Path) -> None:  # fmt: skip
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Overview")).to_be_visible(timeout=60_000)
    page.get_by_test_id("stVegaLiteChart").locator("canvas, svg").first.wait_for()
    page.screenshot(path=artifacts / "overview.png", full_page=True)

    page.get_by_role("link", name="Findings").click()
    expect(page.get_by_role("heading", name="Findings")).to_be_visible()
    pick(page, "Provider", "aws")
    expect(page.get_by_text("Filtered: providers: aws")).to_be_visible()

    with page.expect_download() as info:
        page.get_by_role("button", name="Download CSV").click()
    target = artifacts / info.value.suggested_filename
    info.value.save_as(target)
    with target.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    assert {r["provider"] for r in rows} == {"aws"}
    assert {r["state"] for r in rows} == {"open"}

    pick(page, "Finding detail")
    expect(page.get_by_role("heading", name="Finding detail")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("tab", name="Billing rows")).to_be_visible()
    page.get_by_role("tab", name="Billing rows").click()
    page.screenshot(path=artifacts / "findings.png", full_page=True)

    for name in PAGES[2:]:
        page.get_by_role("link", name=name).click()
        expect(page.get_by_role("heading", name=name)).to_be_visible(timeout=30_000)
        page.wait_for_load_state("networkidle")
        expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=30_000)
        page.screenshot(path=artifacts / f"{name.split()[0].lower()}.png", full_page=True)
    for png in artifacts.glob("*.png"):
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
