"""Elastic IP addresses: DescribeAddresses (not paginated: it returns every address).

An address is unused when it has no ``AssociationId`` (moto, unlike AWS, returns an empty
``InstanceId`` for those). Its ``resource_id`` is the allocation id, as the CUR names it; its
``sku`` is the public IPv4 usage type it is billed under, idle or in use.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from collectors.aws.rows import Page, Row, Scope, attributes, resource, tag_pairs

IDLE_SKU = "PublicIPv4:IdleAddress"
IN_USE_SKU = "PublicIPv4:InUseAddress"


def fetch_addresses(ec2: Any) -> list[Page]:
    """DescribeAddresses: one page with every address."""
    return [ec2.describe_addresses()]


def address_rows(scope: Scope, pages: Iterable[Page]) -> list[Row]:
    """``resources`` rows (type ``ip``) for DescribeAddresses pages."""
    rows = []
    for page in pages:
        for item in page.get("Addresses", []):
            associated = bool(item.get("AssociationId"))
            target = item.get("InstanceId") or item.get("NetworkInterfaceId") or None
            extra = attributes(
                public_ip=item.get("PublicIp"),
                association_id=item.get("AssociationId"),
                network_interface_id=item.get("NetworkInterfaceId"),
                private_ip=item.get("PrivateIpAddress"),
                domain=item.get("Domain"),
            )
            rows.append(
                resource(
                    scope, item.get("AllocationId") or item["PublicIp"], "ip",
                    sku=IN_USE_SKU if associated else IDLE_SKU,
                    state="associated" if associated else "unassociated",
                    attached_to=target if associated else None,
                    last_attached_at=scope.collected_at if associated else None,
                    tags=tag_pairs(item.get("Tags")), attributes=extra,
                )
            )  # fmt: skip
    return rows
