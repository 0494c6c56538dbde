"""Allocation coverage: the share of the week's taggable spend whose resources carry every
required tag (the tag policy of ``analysis.untagged``, with the config's overrides)."""

from __future__ import annotations

from typing import Any

import duckdb

from analysis.registry import REGISTRY, analyzers, parameters
from analysis.tag_compliance import ComplianceRow, compliance
from analysis.untagged import TagPolicy
from analysis.window import Window
from reports.weekly.period import Span

POLICY_ANALYZER = "untagged_resource"


def coverage(
    con: duckdb.DuckDBPyConnection, week: Span, overrides: dict[str, dict[str, Any]]
) -> list[ComplianceRow]:
    """One row per provider: taggable, allocated (all required keys) and untaggable cost."""
    analyzers()  # registers the analyzers, the tag policy's among them
    policy = parameters(REGISTRY[POLICY_ANALYZER], overrides.get(POLICY_ANALYZER))
    assert isinstance(policy, TagPolicy)
    rows = compliance(con, policy, Window(week.start, week.end))
    return [r for r in rows if r.account_id is None and r.key is None]
