"""The commitment family against the demo company: every planted case is found with its savings
within 5 % and each planted group's recommended hourly commitment within 5 % of the planted
optimum; nothing unplanted and no decoy is flagged; the portfolio summary shows the planted
utilization."""

from __future__ import annotations

import pytest

from analysis.commitment_portfolio import summary
from analysis.window import window
from benchmarks.accuracy import level_errors
from tests.analysis.demo_company import DemoRun, close, key


@pytest.mark.slow
def test_the_demo_company_commitment_cases(demo: DemoRun) -> None:
    run, warehouse, truth = demo.run, demo.warehouse, demo.truth
    ours = demo.found("commitment")
    for e in demo.planted("commitment"):
        k = key(e["check"], e["resource_id"])
        assert k in ours, f"missed {k}"
        assert close(ours[k].savings, e["expected_monthly_savings"]), k
    assert set(ours) == {key(e["check"], e["resource_id"]) for e in demo.planted("commitment")}
    assert not demo.decoys() & set(ours)
    errors = level_errors(run.findings, truth, "commitment")
    assert len(errors) == 20  # provider/region/SKU groups
    assert max(errors.values()) <= 0.05, errors
    with warehouse.read() as con:
        rows = {(r.level, r.key): r for r in summary(con, window(run.end, 30))}
    sp = next(r for (level, k), r in rows.items() if level == "commitment" and "savingsplan/" in k)
    assert sp.utilization == pytest.approx(5 / 6, abs=1e-4)
