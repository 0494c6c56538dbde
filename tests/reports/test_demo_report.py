"""The demo company's report: golden HTML (stable across runs and builds), and a PNG of it as
headless chromium renders it (saved as a test artifact).

Regenerate the golden file after an intended change: CLOUDSPEND_UPDATE_GOLDEN=1 pytest this file.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from analysis.run import analyze
from cloudspend.demo import run_demo
from reports.charts import charts
from reports.render_html import render_html
from reports.weekly.build import ReportOptions, WeeklyReport, build_report
from warehouse.db import Warehouse
from warehouse.decisions import Decisions, register

GOLDEN = Path(__file__).with_name("golden") / "demo_report.html"
ARTIFACTS = Path(os.environ.get("CLOUDSPEND_ARTIFACTS", "/tmp/cloudspend-artifacts"))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory: pytest.TempPathFactory) -> WeeklyReport:
    warehouse = Warehouse(tmp_path_factory.mktemp("demo") / "demo.duckdb")
    run_demo(warehouse)
    analyze(warehouse)
    with warehouse.read() as con:
        register(con, Decisions.beside(warehouse.path))
        return build_report(con, ReportOptions())


@pytest.mark.slow
def test_demo_report_matches_the_golden_html(demo_report: WeeklyReport):
    html = render_html(demo_report, {"daily": "cid:daily", "savings": "cid:savings"})
    if os.environ.get("CLOUDSPEND_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(html, encoding="utf-8")
    assert html == GOLDEN.read_text(encoding="utf-8"), "run with CLOUDSPEND_UPDATE_GOLDEN=1"
    assert "<script" not in html.lower()


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM, reason="chromium is not installed (apt-get install chromium)")
def test_demo_report_renders_in_chromium(demo_report: WeeklyReport, tmp_path: Path):
    images = {name: "data:image/png;base64," + base64.b64encode(png).decode()
              for name, png in charts(demo_report).items()}  # fmt: skip
    page = tmp_path / "report.html"
    page.write_text(render_html(demo_report, images), encoding="utf-8")
    shot = tmp_path / "report.png"
    done = subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--window-size=1000,3200", f"--screenshot={shot}", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 50_000  # tables and two charts, not a blank page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(shot, ARTIFACTS / "demo_report.png")
