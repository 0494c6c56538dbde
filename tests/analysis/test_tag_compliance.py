"""Spend-weighted tag compliance: the share of taggable cost carrying each required key (and all
of them) per provider and account; tax, credits, support, marketplace and commitment charges are
their own bucket; charges spanning the window's start count for the part inside it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from analysis.registry import REGISTRY, analyzers, parameters
from analysis.window import window
from tests.analysis.world import BILLED_ROW, END, World

if TYPE_CHECKING:  # imported once the registry is loaded in its order (docs follow that order)
    from analysis.tag_compliance import ComplianceRow

    Rows = dict[tuple[str | None, str | None], ComplianceRow]

ALL = {"Owner": "a", "CostCenter": "cc-1", "Environment": "prod", "Application": "shop"}


def rows_of(world: World, **overrides: object) -> Rows:
    analyzers()
    from analysis.tag_compliance import compliance
    from analysis.untagged import TagPolicy

    policy = parameters(REGISTRY["untagged_resource"], overrides)
    assert isinstance(policy, TagPolicy)
    with world.warehouse.write() as con:
        for sql, params in world.statements:
            con.execute(sql, params)
        found = compliance(con, policy, window(END, 30))
    return {(r.account_id, r.key): r for r in found}


def company(world: World) -> World:
    world.resource("i-good", "vm", account_id="a1", tags=ALL)
    world.resource("i-bad", "vm", account_id="a1", tags={**ALL, "Owner": ""})
    world.billed("i-good", 10, 12, account="a1")
    world.billed("i-bad", 5, 5, account="a1", tags={"cost-center": "cc-1"})
    world.billed(None, 2, 2, account="a1", category="Tax")
    world.billed("i-good", -1, -1, account="a1", category="Credit")
    world.billed(None, 3, 3, account="a1", service="AWS Support (Business)")
    world.billed("mp-1", 4, 4, account="a1", publisher="Acme Corp")
    world.billed("sp-1", 0, 9, account="a1", category="Purchase")
    world.billed(None, 7, 7, account="a2", category="Tax")
    return world


def test_allocated_share_of_taggable_cost(world: World) -> None:
    rows = rows_of(company(world))
    total = rows[None, None]
    assert total.provider == "aws"
    assert (total.taggable_cost, total.compliant_cost) == (Decimal(450), Decimal(300))
    assert total.compliant_percent == 66.67
    assert (total.resources, total.compliant_resources) == (2, 1)
    assert rows["a1", None].compliant_percent == 66.67
    assert rows["a1", "Owner"].compliant_cost == Decimal(300)
    assert rows["a1", "CostCenter"].compliant_percent == 100.0


def test_untaggable_charges_are_their_own_bucket(world: World) -> None:
    rows = rows_of(company(world))
    assert rows["a1", None].untaggable_by_kind == {
        "tax": Decimal(60), "credit": Decimal(-30), "support": Decimal(90),
        "marketplace": Decimal(120), "commitment": Decimal(0),
    }  # fmt: skip
    assert rows["a1", None].untaggable_cost == Decimal(240)
    only_tax = rows["a2", None]
    assert (only_tax.taggable_cost, only_tax.compliant_percent) == (Decimal(0), None)
    assert only_tax.untaggable_cost == Decimal(210)
    assert rows[None, None].untaggable_cost == Decimal(450)


def test_rows_are_ordered_provider_account_then_policy_keys(world: World) -> None:
    keys = [(r.account_id, r.key) for r in rows_of(company(world)).values()]
    assert keys[:5] == [(None, None), (None, "Owner"), (None, "CostCenter"),
                        (None, "Environment"), (None, "Application")]  # fmt: skip
    assert keys[5] == ("a1", None)


def test_a_charge_spanning_the_window_start_counts_for_its_part_inside(world: World) -> None:
    start, month_end = dt.datetime(2026, 10, 1, tzinfo=dt.UTC), END
    world.resource("i-good", "vm", tags=ALL)
    # one row (days = 1): it starts a day before its first parameter and ends at its second
    world.statements.append((BILLED_ROW, [
        Decimal(31), Decimal(31), Decimal(31), Decimal(31), start + dt.timedelta(days=1),
        month_end, "i-good", "aws", [], [], "Usage", "a1", "Compute", "aws", "aws", "Compute", 1,
    ]))  # fmt: skip
    rows = rows_of(world)
    assert rows[None, None].taggable_cost == Decimal(30)


def test_the_policy_shapes_compliance(world: World) -> None:
    rows = rows_of(company(world), required_keys=["CostCenter"])
    assert rows[None, None].compliant_percent == 100.0
    assert (None, "Owner") not in rows


def test_providers_and_accounts_restrict_the_bill_before_the_sums(world: World) -> None:
    analyzers()
    from analysis.tag_compliance import compliance
    from analysis.untagged import TagPolicy

    company(world)
    world.resource("g-1", "vm", provider="gcp", account_id="p1", tags=ALL)
    world.billed("g-1", 8, 8, provider="gcp", account="p1")
    world.run("untagged_resource")  # inserts the rows
    with world.warehouse.read() as con:
        every = compliance(con, TagPolicy(), window(END, 30))
        aws = compliance(con, TagPolicy(), window(END, 30), providers=("aws",))
        a2 = compliance(con, TagPolicy(), window(END, 30), accounts=("a2",))
    assert {r.provider for r in every} == {"aws", "gcp"}
    assert aws == [r for r in every if r.provider == "aws"]
    [provider, account] = a2  # the provider's row sums the chosen account only
    assert (provider.account_id, account.account_id) == (None, "a2")
    assert provider.untaggable_cost == account.untaggable_cost == Decimal(7 * 30)
