"""Detection does not depend on the order collectors registered their formats in: a provider's
own format is asked before native FOCUS, which accepts files that are only mostly FOCUS."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from collectors import base
from collectors.formats import load_builtin_formats

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo"


def test_native_focus_is_asked_last_whatever_the_registration_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    load_builtin_formats()
    focus_first = dict(sorted(base.FORMATS.items(), key=lambda item: item[0] != "focus"))
    monkeypatch.setattr(base, "FORMATS", focus_first)
    assert next(iter(base.FORMATS)) == "focus"
    mca = next((DEMO / "azure" / "billing" / "cost-exports" / "mca-actual-cost").rglob("*.csv.gz"))
    focus = next((DEMO / "azure" / "billing" / "cost-exports" / "focus-cost").rglob("*.csv.gz"))
    con = duckdb.connect()
    found = base.detect(con, mca)
    assert found is not None
    assert found[1].format == "azure-mca"
    found = base.detect(con, focus)
    assert found is not None
    assert found[1].format == "focus"
