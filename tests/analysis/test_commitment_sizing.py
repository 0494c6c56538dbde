"""Commitment sizing by hand: net savings(L) = sum(min(u, L)) - rate x L x hours; the optimum is
where the share of hours above L falls to 1 - discount; the guard takes the lower optimum."""

from __future__ import annotations

import pytest

from analysis.commitment_sizing import Series, for_coverage, guarded, optimal, stable

DAYS = 30


def test_a_constant_baseline_is_committed_in_full() -> None:
    series = Series([0.68] * DAYS * 24)
    level = optimal(series, 0.62)
    assert level == pytest.approx(0.68)
    outcome = series.outcome(level, 0.62)
    assert outcome.coverage == pytest.approx(1.0)
    assert outcome.utilization == pytest.approx(1.0)
    assert outcome.monthly_savings == pytest.approx((0.68 - 0.68 * 0.62) * 730)


def test_a_daily_peak_puts_the_optimum_where_the_share_of_hours_above_is_one_minus_discount(
) -> None:  # fmt: skip
    day = [10.0] * 16 + [float(v) for v in range(11, 19)]  # trough 10, an 8-hour peak to 18
    series = Series(day * DAYS)
    rate = 0.25  # a 75 % discount
    level = optimal(series, rate)
    assert 10 < level < 18
    assert level == 12.0
    above = sum(1 for u in series.values if u > level) / series.hours
    assert above == pytest.approx(1 - 0.75)
    # any other level saves less (12 and 13 tie: the lower is kept)
    net = [series.outcome(x, rate).net_savings for x in (10, 11, 12, 13, 14, 18)]
    assert max(net) == pytest.approx(net[2]) == pytest.approx(net[3])


def test_the_peak_is_not_committed_when_the_discount_is_shallow() -> None:
    day = [10.0] * 16 + [float(v) for v in range(11, 19)]
    assert optimal(Series(day * DAYS), 0.62) == 10.0  # 1/3 of hours above 10 < 0.62


def test_net_savings_are_covered_usage_times_discount_less_unused_commitment() -> None:
    series = Series([5.0, 10.0, 15.0, 20.0])
    o = series.outcome(12.0, 0.6)
    assert o.covered == pytest.approx((5 + 10 + 12 + 12) / 4)
    assert o.unused == pytest.approx(0.6 * (7 + 2) / 4)
    assert o.net_savings == pytest.approx(o.covered * 0.4 - o.unused)


def test_a_declining_baseline_is_guarded_by_the_short_lookback() -> None:
    usage = [10.0] * 27 * 24 + [6.0] * 3 * 24
    level, long, short = guarded(Series(usage), Series(usage[-72:]), 0.62)
    assert (long, short, level) == (10.0, 6.0, 6.0)


def test_stable_and_coverage_target_levels() -> None:
    series = Series([float(v) for v in range(1, 101)])
    assert stable(series, 10) == 10.0
    target = for_coverage(series, 0.8)
    covered = series.covered_total(target) / sum(range(1, 101))
    assert covered == pytest.approx(0.8)
    assert for_coverage(Series([4.0] * 48), 0.8) == pytest.approx(3.2)


def test_nothing_is_committed_when_no_level_saves() -> None:
    assert optimal(Series([0.0] * 24), 0.6) == 0.0
    assert optimal(Series([]), 0.6) == 0.0
