"""Sizing an hourly commitment on a series of hourly eligible on-demand spend (checks.md 4.1 and
7 no. 16), as Azure's savings-plan engine does: every hour's spend is a candidate level.

A *level* L is the on-demand spend per hour the commitment covers; it costs ``rate`` x L per
hour whatever is used (``rate`` = commitment price / the on-demand price actually paid, i.e.
1 - discount). Over the hours u_1..u_n:

    net savings(L) = sum(min(u_h, L)) - rate x L x n
                   = covered usage x discount - unused commitment

It is concave in L and grows while the share of hours above L exceeds ``rate``: the optimum is
where the share of hours above it falls to ``1 - discount``."""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass

from analysis.costs import HOURS_PER_MONTH


@dataclass(frozen=True)
class Outcome:
    """What a level does over a series (money per hour, averaged over the series)."""

    level: float  # on-demand spend per hour covered at most
    commitment: float  # what the commitment costs per hour: rate x level
    covered: float  # on-demand spend per hour it covers
    eligible: float  # eligible on-demand spend per hour
    unused: float  # commitment per hour paid for and not used
    net_savings: float  # per hour: covered - commitment

    @property
    def coverage(self) -> float:
        """Covered eligible usage / all eligible usage (checks.md 4.2, SP coverage)."""
        return self.covered / self.eligible if self.eligible else 0.0

    @property
    def utilization(self) -> float:
        """Used commitment / total commitment (checks.md 4.2, SP utilization)."""
        return 1 - self.unused / self.commitment if self.commitment else 0.0

    @property
    def monthly_savings(self) -> float:
        return self.net_savings * HOURS_PER_MONTH


class Series:
    """An hourly series, sorted once so each level is judged in O(log n)."""

    def __init__(self, usage: Sequence[float]) -> None:
        self.values = sorted(max(0.0, u) for u in usage)
        self.prefix = [0.0]
        for value in self.values:
            self.prefix.append(self.prefix[-1] + value)

    @property
    def hours(self) -> int:
        return len(self.values)

    def covered_total(self, level: float) -> float:
        """sum(min(u_h, level)) over the hours."""
        below = bisect.bisect_right(self.values, level)
        return self.prefix[below] + level * (self.hours - below)

    def outcome(self, level: float, rate: float) -> Outcome:
        """What ``level`` covers, costs and saves per hour."""
        n = max(self.hours, 1)
        covered = self.covered_total(level) / n
        commitment = rate * level
        unused = rate * (level * self.hours - self.covered_total(level)) / n
        eligible = self.prefix[-1] / n
        return Outcome(level, commitment, covered, eligible, unused, covered - commitment)


def optimal(series: Series, rate: float) -> float:
    """The level of maximum net savings (the lowest, when several tie); 0 when none saves."""
    best, best_net = 0.0, 0.0
    for level in sorted(set(series.values)):
        net = series.covered_total(level) - rate * level * series.hours
        if net > best_net + 1e-12:
            best, best_net = level, net
    return best


def stable(series: Series, percentile: float) -> float:
    """The ``percentile`` (nearest rank) of hourly usage: a level almost always used."""
    if not series.values:
        return 0.0
    rank = max(1, math.ceil(percentile / 100 * series.hours))
    return series.values[rank - 1]


def for_coverage(series: Series, target: float) -> float:
    """The lowest level covering ``target`` (0-1) of the eligible usage."""
    total = series.prefix[-1]
    if total <= 0:
        return 0.0
    for i, value in enumerate(series.values):
        if series.covered_total(value) >= target * total - 1e-12:
            below = series.prefix[i]  # the hours under this value are covered in full
            return (target * total - below) / (series.hours - i)
    return series.values[-1]


def guarded(long: Series, short: Series, rate: float) -> tuple[float, float, float]:
    """(level, long optimum, short optimum): the lower of the two optima, so a recent drop in
    usage is not committed to (Azure's savings-plan guard)."""
    a, b = optimal(long, rate), optimal(short, rate)
    return (min(a, b) if short.hours else a), a, b
