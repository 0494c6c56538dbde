"""modernize_vm: a previous-generation VM moves to the same size of the successor family when
that is cheaper in its region; savings keep its discount; a missing price is reported."""

from __future__ import annotations

from decimal import Decimal

from analysis.findings import CANNOT_JUDGE
from tests.analysis.world import World, by_resource


def test_previous_generations_move_to_their_cheaper_successor(world: World) -> None:
    world.resource("i-m4", "vm", sku="m4.xlarge")
    world.price("m4.xlarge", 0.200).price("m5.xlarge", 0.192)
    world.cost("i-m4", per_day=4.32)  # 0.18 an hour: 10 % under list
    world.resource("i-m5", "vm", sku="m5.xlarge")  # current generation
    world.cost("i-m5", per_day=4.608)
    world.resource("n1", "vm", provider="gcp", region="us-central1", sku="n1-standard-4")
    world.price("n1-standard-4", 0.19, region="us-central1", provider="gcp")
    world.price("n2-standard-4", 0.194, region="us-central1", provider="gcp")  # dearer
    found = by_resource(world.run("modernize_vm"))
    assert set(found) == {"i-m4"}
    move = found["i-m4"]
    assert move.action == "move from m4.xlarge to m5.xlarge"
    # 0.18 x 730 = 131.40 a month, 4 % cheaper at list: 5.256
    assert move.savings == Decimal("5.2560")
    assert move.evidence["cost_source"] == "bill"
    assert 0 < move.confidence < 1


def test_an_unpriced_successor_cannot_be_judged(world: World) -> None:
    vm = "/subscriptions/s/resourcegroups/rg/providers/microsoft.compute/virtualmachines/old"
    world.resource(vm, "vm", provider="azure", region="westeurope", sku="Standard_D4s_v3")
    world.price("Standard_D4s_v3", 0.2, region="westeurope", provider="azure")
    [finding] = world.run("modernize_vm")
    assert finding.status == CANNOT_JUDGE
    assert finding.target == {"sku": "Standard_D4s_v5"}
    assert "Standard_D4s_v5" in finding.evidence["cannot_judge"]
