"""The savings ledger: net savings that never count a dollar twice (ARCHITECTURE.md, checks.md 8).

Findings on one resource are applied in order: delete or stop (idle), schedule, right-size, move
to spot, commit. Each later action saves its share of what the earlier ones leave: a right-sized
VM moved to spot saves spot's share of the smaller price, an idle VM saves nothing more. Within
one stage, findings on the same resource are alternatives (right-size or modernize, renew or
resize): the larger counts, the others net nothing. Commitment purchases are already sized on the
post-optimization baseline, so they keep their gross up to what is left.

``apply`` is a pure function of the findings, so its result does not depend on the order the
analyzers ran in; the net of a resource never exceeds its current monthly cost.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

STAGES = ("idle", "schedule", "rightsizing", "spot", "commitment")
SUPERSEDED, REDUCED, ALTERNATIVE = "superseded", "reduced", "alternative"
_CENTS = Decimal("0.000001")
_ZERO = Decimal(0)


@dataclass(frozen=True)
class Item:
    """What the ledger needs of a finding."""

    finding_id: str
    family: str
    provider: str
    resource_id: str | None
    monthly_cost: Decimal | None
    gross: Decimal | None

    @property
    def resource_key(self) -> str:
        """Findings on the same resource share it; a finding on no resource stands alone."""
        if not self.resource_id:
            return f"finding:{self.finding_id}"
        return f"{self.provider}|{self.resource_id.lower()}"


@dataclass(frozen=True)
class Link:
    """An earlier action cut ``finding_id``'s savings by ``amount`` a month."""

    finding_id: str
    by_finding_id: str
    effect: str  # superseded | reduced | alternative
    amount: Decimal


@dataclass
class Entry:
    """One finding in the ledger: its net and why."""

    finding_id: str
    gross: Decimal
    net: Decimal
    stage: str | None  # None: not a savings action (untagged)
    base: Decimal  # the resource's monthly cost the ledger started from
    remaining: Decimal  # what was left of it when this finding applied
    links: list[Link] = field(default_factory=list)

    def explain(self) -> dict[str, object]:
        """The reasoning stored with the finding (findings.ledger)."""
        return {
            "stage": self.stage,
            "resource_monthly_cost": str(self.base),
            "remaining_before": str(self.remaining),
            "gross": str(self.gross),
            "net": str(self.net),
            "cut_by": [
                {"finding_id": k.by_finding_id, "effect": k.effect, "amount": str(k.amount)}
                for k in self.links
            ],
        }


@dataclass
class Ledger:
    """The result: an entry per finding and every link between them."""

    entries: dict[str, Entry]

    @property
    def links(self) -> list[Link]:
        return [k for e in self.entries.values() for k in e.links]

    def net_total(self) -> Decimal:
        return sum((e.net for e in self.entries.values()), _ZERO)


def apply(items: Iterable[Item]) -> Ledger:
    """The ledger of ``items`` (the open findings a user has not dismissed or snoozed)."""
    by_resource: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        by_resource[item.resource_key].append(item)
    entries: dict[str, Entry] = {}
    for group in by_resource.values():
        for entry in _resource(group):
            entries[entry.finding_id] = entry
    return Ledger(entries)


def _money(value: Decimal | None) -> Decimal:
    return max(_ZERO, value or _ZERO)


def _resource(items: list[Item]) -> list[Entry]:
    """Apply one resource's findings stage by stage."""
    base = max(max(_money(i.monthly_cost), _money(i.gross)) for i in items)
    remaining, applied = base, list[Entry]()
    out = [_inert(i, base) for i in items if i.family not in STAGES]
    for stage in STAGES:
        here = sorted((i for i in items if i.family == stage), key=_strongest)
        if not here:
            continue
        best = _applied(here[0], stage, base, remaining, applied)
        out.append(best)
        out += [_alternative(i, stage, base, remaining, best) for i in here[1:]]
        remaining -= best.net
        applied.append(best)
    return out


def _strongest(item: Item) -> tuple[Decimal, str]:
    return (-_money(item.gross), item.finding_id)


def _inert(item: Item, base: Decimal) -> Entry:
    """A finding that is not a savings action (untagged: spend at stake): it nets nothing."""
    return Entry(item.finding_id, _money(item.gross), _ZERO, None, base, base)


def _applied(
    item: Item, stage: str, base: Decimal, remaining: Decimal, earlier: list[Entry]
) -> Entry:
    gross = _money(item.gross)
    if stage == "commitment":  # sized on what the earlier actions leave
        net = min(gross, remaining)
    else:
        cost = _money(item.monthly_cost) or base
        share = min(Decimal(1), gross / cost) if cost else Decimal(1)
        net = min(gross, remaining * share)
    net = net.quantize(_CENTS, rounding=ROUND_DOWN)
    entry = Entry(item.finding_id, gross, net, stage, base, remaining)
    entry.links = _cuts(entry, earlier)
    return entry


def _cuts(entry: Entry, earlier: list[Entry]) -> list[Link]:
    """Share the savings ``entry`` lost among the earlier actions, by what each took."""
    lost, taken = entry.gross - entry.net, sum((e.net for e in earlier), _ZERO)
    if lost <= 0 or not taken:
        return []
    effect = SUPERSEDED if entry.net == 0 else REDUCED
    return [
        Link(entry.finding_id, e.finding_id, effect, (lost * e.net / taken).quantize(_CENTS))
        for e in earlier
        if e.net
    ]


def _alternative(item: Item, stage: str, base: Decimal, remaining: Decimal, best: Entry) -> Entry:
    gross = _money(item.gross)
    entry = Entry(item.finding_id, gross, _ZERO, stage, base, remaining)
    entry.links = [Link(item.finding_id, best.finding_id, ALTERNATIVE, gross)] if gross else []
    return entry
