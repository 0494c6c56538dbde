"""Azure normalizers without a server: retry headers, VM size names, recorded observations."""

from __future__ import annotations

from collectors.azure.clients import cost_management_retry_after
from collectors.azure.vm_sizes import spec_from_name
from fixtures.catalog import SKUS


def test_the_longest_cost_management_retry_header_counts() -> None:
    headers = {
        "x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after": "2",
        "X-Ms-Ratelimit-Microsoft.CostManagement-Entity-Retry-After": "5",
        "x-ms-ratelimit-microsoft.costmanagement-qpu-remaining": "0",
    }
    assert cost_management_retry_after(headers) == 5.0
    assert cost_management_retry_after({"Retry-After": "3"}) is None


def test_size_names_agree_with_the_catalogue() -> None:
    for sku in (s for s in SKUS if s.provider == "azure" and s.kind == "vm"):
        assert spec_from_name(sku.name) == (sku.vcpu, sku.memory_gib)
    assert spec_from_name("Standard_M128s") is None
