"""Static IP addresses (``addresses.aggregatedList``) and load balancers' forwarding rules
(``forwardingRules.aggregatedList``).

An address is ``associated`` while its status is ``IN_USE`` (``attached_to``: its first user,
an instance or a forwarding rule), ``unassociated`` while ``RESERVED``. A forwarding rule is
the billed part of a load balancer (a ``lb`` row); backend health is not read.
"""

from __future__ import annotations

from collections.abc import Iterable

from google.cloud import compute_v1

from collectors.gcp.clients import GcpClients
from collectors.gcp.inventory_compute import scoped
from collectors.gcp.rows import (
    GLOBAL,
    Json,
    Row,
    Scope,
    attributes,
    global_name,
    last,
    region_of,
    resource,
    to_json,
)

ADDRESS_STATES = {"IN_USE": "associated", "RESERVED": "unassociated"}
STATIC_IP = "static-ip"  # the sku of external addresses (priced by the "Static Ip Charge")
INTERNAL_IP = "internal-ip"
FORWARDING_RULE = "forwarding-rule"


def fetch_addresses(clients: GcpClients, project: str) -> list[Json]:
    """addresses.aggregatedList, every page."""
    request = compute_v1.AggregatedListAddressesRequest(project=project)
    pager = clients.addresses.aggregated_list(request=request, retry=clients.retry)
    return [to_json(page) for page in pager.pages]


def fetch_forwarding_rules(clients: GcpClients, project: str) -> list[Json]:
    """forwardingRules.aggregatedList, every page."""
    request = compute_v1.AggregatedListForwardingRulesRequest(project=project)
    pager = clients.forwarding_rules.aggregated_list(request=request, retry=clients.retry)
    return [to_json(page) for page in pager.pages]


def _region(item: Json) -> str:
    return region_of(item["region"]) if item.get("region") else GLOBAL


def address_rows(scope: Scope, pages: Iterable[Json]) -> list[Row]:
    """``ip`` rows."""
    rows = []
    for address in scoped(pages, "addresses"):
        status = str(address.get("status") or "")
        users = [str(global_name(u)) for u in address.get("users") or []]
        kind = str(address.get("addressType") or "EXTERNAL")
        rows.append(resource(
            scope, address, "ip", _region(address),
            sku=STATIC_IP if kind == "EXTERNAL" else INTERNAL_IP,
            state=ADDRESS_STATES.get(status, status.lower()) or None,
            attached_to=users[0] if users else None,
            attributes=attributes(
                address_id=address.get("id"), public_ip=address.get("address"),
                status=status, address_type=kind, network_tier=address.get("networkTier"),
                purpose=address.get("purpose"), users=len(users) or None,
            ),
        ))  # fmt: skip
    return rows


def forwarding_rule_rows(scope: Scope, pages: Iterable[Json]) -> list[Row]:
    """``lb`` rows, one per forwarding rule."""
    rows = []
    for rule in scoped(pages, "forwardingRules"):
        rows.append(resource(
            scope, rule, "lb", _region(rule), sku=FORWARDING_RULE,
            attributes=attributes(
                rule_id=rule.get("id"), ip_address=rule.get("IPAddress"),
                protocol=rule.get("IPProtocol"), port_range=rule.get("portRange"),
                load_balancing_scheme=rule.get("loadBalancingScheme"),
                target=global_name(rule.get("target")),
                backend_service=global_name(rule.get("backendService")),
                network_tier=rule.get("networkTier"), target_name=last(rule.get("target")),
            ),
        ))  # fmt: skip
    return rows
