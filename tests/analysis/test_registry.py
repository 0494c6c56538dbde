"""The registry: docs/analyzers.md is generated from it; every parameter is documented; config
overrides are checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.docs import markdown
from analysis.findings import FAMILIES
from analysis.params import described
from analysis.registry import AnalysisError, analyzers, check_overrides

DOCS = Path(__file__).resolve().parents[2] / "docs" / "analyzers.md"


def test_the_analyzer_docs_match_the_registry() -> None:
    assert DOCS.read_text(encoding="utf-8") == markdown(), (
        "docs/analyzers.md is stale: run `python -m analysis.docs > docs/analyzers.md`"
    )


def test_every_analyzer_has_a_family_and_documented_parameters() -> None:
    for a in analyzers():
        assert a.family in FAMILIES, a.name
        for name, _default, unit, meaning in described(a.params):
            assert unit, f"{a.name}.{name} needs a unit"
            assert meaning, f"{a.name}.{name} needs a description"


def test_overrides_are_checked() -> None:
    check_overrides({"unassociated_ip": {"unpriced_confidence": 0.5}})
    with pytest.raises(AnalysisError, match=r"\[analysis.nope\]"):
        check_overrides({"nope": {}})
    with pytest.raises(AnalysisError, match="unpriced_confidence"):
        check_overrides({"unassociated_ip": {"unpriced_confidence": 3}})
