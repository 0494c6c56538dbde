"""Values from the data are shown as text: a tag value or resource id full of Markdown and HTML
reaches the page as-is in tables and text, never as rendered Markdown."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.analysis.world import World
from tests.dashboard.conftest import APP
from warehouse.db import Warehouse

EVIL_OWNER = "**team** <img src=x onerror=alert(1)>"
EVIL_ID = "i-[click](javascript:alert(1))"


@pytest.fixture
def evil_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    wh = Warehouse(tmp_path / "evil.duckdb")
    world = World(wh)
    world.resource(EVIL_ID, "vm", tags={"Owner": EVIL_OWNER})
    world.billed(EVIL_ID, 3, 3, days=10, tags={"Owner": EVIL_OWNER})
    with wh.write() as con:
        for sql, params in world.statements:
            con.execute(sql, params)
    monkeypatch.setenv("CLOUDSPEND_DB", str(wh.path))
    yield wh.path
    st.cache_data.clear()


def test_tag_values_and_ids_are_text(evil_db: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("views/resources.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["resource_id"]) == [EVIL_ID]
    assert list(table["owner"]) == [EVIL_OWNER]
    assert EVIL_OWNER in at.sidebar.selectbox(key="f_owner").options
    rendered = [m.value for m in at.markdown] + [c.value for c in at.caption]
    assert not any("onerror" in text or "javascript:" in text for text in rendered)
    at.sidebar.selectbox(key="f_owner").set_value(EVIL_OWNER).run()
    assert any(EVIL_OWNER in t.value for t in at.text)  # the filter line, as plain text
    assert list(at.dataframe[0].value["owner"]) == [EVIL_OWNER]
