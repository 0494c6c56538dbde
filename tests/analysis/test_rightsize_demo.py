"""The rightsizing and untagged families against the demo company: every planted case is found
with the planted check and savings (untagged: the cost at stake) within 5 %, nothing else is
flagged in these families, and no decoy of theirs is."""

from __future__ import annotations

import pytest

from tests.analysis.demo_company import DemoRun, close, key

FAMILIES = ("rightsizing", "untagged")


@pytest.mark.slow
def test_the_demo_company_rightsizing_and_untagged_cases(demo: DemoRun) -> None:
    ours = demo.found(*FAMILIES)
    planted = demo.planted(*FAMILIES)
    for e in planted:
        k = key(e["check"], e["resource_id"])
        assert k in ours, f"missed {k}"
        found = ours[k]
        if e["family"] == "untagged":
            assert found.savings == 0
            assert close(found.monthly_cost, e["monthly_cost"]), k
        else:
            assert close(found.savings, e["expected_monthly_savings"]), k
            assert found.target["sku"] == e["evidence"]["target_sku"]
    assert not demo.decoys() & set(ours)
    assert len(ours) == len(planted)  # precision: nothing unplanted in these families
