"""unassociated_ip: an address attached to nothing is released; its cost comes from the bill,
else the list price; an associated one is left alone."""

from __future__ import annotations

from decimal import Decimal

from tests.analysis.world import World, by_resource


def test_unassociated_addresses_are_found_and_priced(world: World) -> None:
    world.resource("eipalloc-idle", "ip", state="unassociated", sku="PublicIPv4:IdleAddress")
    world.resource("eipalloc-used", "ip", state="associated", attached_to="i-1")
    world.resource("eipalloc-list", "ip", state="unassociated", sku="PublicIPv4:IdleAddress",
                   region="eu-west-1")  # fmt: skip
    world.cost("eipalloc-idle", per_day=0.12)
    world.price("PublicIPv4:IdleAddress", 0.005, region="eu-west-1")
    found = by_resource(world.run("unassociated_ip"))
    assert set(found) == {"eipalloc-idle", "eipalloc-list"}
    billed = found["eipalloc-idle"]
    assert billed.savings == Decimal("3.6500")  # 0.12 a day = 0.005 an hour x 730
    assert billed.evidence["cost_source"] == "bill"
    listed = found["eipalloc-list"]
    assert listed.savings == Decimal("3.6500")
    assert listed.evidence["cost_source"] == "list price"


def test_an_unpriced_address_is_still_reported_with_less_confidence(world: World) -> None:
    world.resource("eipalloc-x", "ip", state="unassociated", sku="unknown")
    [finding] = world.run("unassociated_ip")
    assert finding.savings is None
    assert finding.confidence == 0.7
