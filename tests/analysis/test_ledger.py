"""The savings ledger: hand-worked cases and properties over random findings."""

from __future__ import annotations

import random
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.ledger import ALTERNATIVE, REDUCED, STAGES, SUPERSEDED, Item, apply

D = Decimal


def item(fid: str, family: str, cost: str | None, gross: str | None, rid: str = "i-1") -> Item:
    return Item(
        fid,
        family,
        "aws",
        rid,
        None if cost is None else D(cost),
        None if gross is None else D(gross),
    )


def test_alone_a_finding_nets_its_gross() -> None:
    ledger = apply([item("r", "rightsizing", "280.32", "140.16")])
    assert ledger.entries["r"].net == D("140.16")
    assert ledger.links == []


def test_idle_supersedes_everything_after_it() -> None:
    ledger = apply(
        [
            item("s", "spot", "140.16", "98.11"),
            item("i", "idle", "140.16", "140.16"),
            item("r", "rightsizing", "140.16", "70.08"),
            item("c", "commitment", "140.16", "38.9"),
        ]
    )
    nets = {k: e.net for k, e in ledger.entries.items()}
    assert nets == {"i": D("140.16"), "r": 0, "s": 0, "c": 0}
    assert {(k.finding_id, k.by_finding_id, k.effect) for k in ledger.links} == {
        ("r", "i", SUPERSEDED), ("s", "i", SUPERSEDED), ("c", "i", SUPERSEDED),
    }  # fmt: skip
    assert ledger.net_total() == D("140.16")


def test_spot_after_right_sizing_saves_its_share_of_the_smaller_price() -> None:
    # 280 a month; right-size halves it (140 saved); spot saves 70 % of what is left: 98
    ledger = apply([item("s", "spot", "280", "196"), item("r", "rightsizing", "280", "140")])
    spot = ledger.entries["s"]
    assert spot.net == D("98")
    assert spot.remaining == D("140")
    (link,) = spot.links
    assert (link.by_finding_id, link.effect, link.amount) == ("r", REDUCED, D("98"))
    assert ledger.net_total() == D("238")


def test_a_commitment_keeps_its_gross_up_to_what_is_left() -> None:
    # sized on the post-optimization baseline already: not cut again by right-sizing
    ledger = apply([item("r", "rightsizing", "280", "140"), item("c", "commitment", "280", "53.2")])
    assert ledger.entries["c"].net == D("53.2")
    assert ledger.entries["c"].links == []


def test_alternatives_in_one_stage_count_once() -> None:
    ledger = apply([item("a", "rightsizing", "280", "140"), item("b", "rightsizing", "280", "150")])
    assert (ledger.entries["b"].net, ledger.entries["a"].net) == (D("150"), D(0))
    (link,) = ledger.entries["a"].links
    assert (link.by_finding_id, link.effect, link.amount) == ("b", ALTERNATIVE, D("140"))


def test_untagged_nets_nothing_and_cuts_nothing() -> None:
    ledger = apply([item("u", "untagged", "70.08", "0"), item("r", "rightsizing", "70.08", "35")])
    assert (ledger.entries["u"].net, ledger.entries["r"].net) == (D(0), D("35"))


def test_findings_on_other_resources_do_not_interact() -> None:
    ledger = apply(
        [item("i", "idle", "100", "100", "i-1"), item("r", "rightsizing", "100", "50", "I-2")]
    )
    assert ledger.net_total() == D("150")


def test_resource_ids_match_case_insensitively_per_provider() -> None:
    ledger = apply(
        [item("i", "idle", "100", "100", "VM-1"), item("r", "rightsizing", "100", "50", "vm-1")]
    )
    assert ledger.entries["r"].net == 0


def test_missing_cost_and_gross_are_zero() -> None:
    ledger = apply([item("x", "spot", None, None), item("y", "idle", None, "12")])
    assert ledger.entries["y"].net == D("12")
    assert ledger.entries["x"].net == 0


money = st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False, allow_infinity=False)
families = st.sampled_from((*STAGES, "untagged"))


@st.composite
def findings(draw: st.DrawFn) -> list[Item]:
    out = []
    for n in range(draw(st.integers(0, 25))):
        rid = draw(st.sampled_from(("i-1", "i-2", "I-2", "i-3", None)))
        cost = draw(st.one_of(st.none(), money))
        gross = draw(st.one_of(st.none(), money))
        out.append(
            Item(f"f{n}", draw(families), draw(st.sampled_from(("aws", "gcp"))), rid, cost, gross)
        )
    return out


@settings(max_examples=300, deadline=None)
@given(findings(), st.randoms(use_true_random=False))
def test_ledger_properties(items: list[Item], rnd: random.Random) -> None:
    ledger = apply(items)
    # never depends on the order the analyzers ran in
    shuffled = items[:]
    rnd.shuffle(shuffled)
    again = apply(shuffled)
    assert {k: (e.net, e.links) for k, e in again.entries.items()} == {
        k: (e.net, e.links) for k, e in ledger.entries.items()
    }
    # per resource: the net never exceeds its current cost, nor a finding's net its gross
    per_resource: dict[str, Decimal] = {}
    for i in items:
        e = ledger.entries[i.finding_id]
        assert 0 <= e.net <= e.gross
        per_resource[i.resource_key] = per_resource.get(i.resource_key, D(0)) + e.net
    for i in items:
        cost = max(
            max(x.monthly_cost or 0, x.gross or 0)
            for x in items
            if x.resource_key == i.resource_key
        )
        assert per_resource[i.resource_key] <= cost
    # the total is the sum of the per-resource nets
    assert ledger.net_total() == sum(per_resource.values(), D(0))
    # what a finding lost is accounted for by its links (to a rounding of the shares)
    for e in ledger.entries.values():
        if e.links and e.stage is not None:
            assert abs(sum(k.amount for k in e.links) - (e.gross - e.net)) <= D("0.00001") * len(
                e.links
            )
