"""Network inventory: public IP addresses (and what they are associated with) and load
balancers (their backend pools). Network interfaces are read only to resolve an IP's
configuration to the VM that owns it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from collectors.azure.clients import AzureClients
from collectors.azure.rows import Json, Row, Scope, arm_id, attributes, parent_id, resource


def fetch_public_ips(clients: AzureClients, subscription: str) -> list[Json]:
    """publicIPAddresses.listAll."""
    network = clients.network(subscription)
    return [ip.as_dict() for ip in network.public_ip_addresses.list_all()]


def fetch_nics(clients: AzureClients, subscription: str) -> list[Json]:
    """networkInterfaces.listAll."""
    return [n.as_dict() for n in clients.network(subscription).network_interfaces.list_all()]


def fetch_load_balancers(clients: AzureClients, subscription: str) -> list[Json]:
    """loadBalancers.listAll."""
    return [b.as_dict() for b in clients.network(subscription).load_balancers.list_all()]


def nic_owners(nics: Iterable[Json]) -> dict[str, str]:
    """Lower-case NIC id -> lower-case id of the VM it is attached to."""
    out = {}
    for nic in nics:
        vm = ((nic.get("properties") or {}).get("virtualMachine") or {}).get("id")
        if vm:
            out[str(arm_id(nic["id"]))] = str(arm_id(vm))
    return out


def owner_of(ip_configuration: str, owners: Mapping[str, str]) -> str:
    """What an IP configuration id belongs to: the NIC's VM, else the NIC, load balancer or
    gateway the configuration is a child of."""
    parent = parent_id(ip_configuration)
    return owners.get(parent, parent)


def ip_rows(scope: Scope, ips: Iterable[Json], owners: Mapping[str, str]) -> list[Row]:
    """``ip`` rows: ``associated`` when the address has an IP configuration."""
    rows = []
    for ip in ips:
        props: Mapping[str, Any] = ip.get("properties") or {}
        config = arm_id((props.get("ipConfiguration") or {}).get("id"))
        nat = arm_id((props.get("natGateway") or {}).get("id"))
        attached = owner_of(config, owners) if config else nat
        rows.append(resource(
            scope, ip, "ip", sku=(ip.get("sku") or {}).get("name"),
            state="associated" if attached else "unassociated", attached_to=attached,
            attributes=attributes(
                public_ip=props.get("ipAddress"), ip_configuration=config,
                allocation=props.get("publicIPAllocationMethod"),
                version=props.get("publicIPAddressVersion"),
                tier=(ip.get("sku") or {}).get("tier"), zone=",".join(ip.get("zones") or []),
            ),
        ))  # fmt: skip
    return rows


def lb_rows(scope: Scope, balancers: Iterable[Json]) -> list[Row]:
    """``lb`` rows; ``attributes.registered_targets`` counts backend IP configurations and
    addresses over every backend pool (0: nothing to balance)."""
    rows = []
    for lb in balancers:
        props: Mapping[str, Any] = lb.get("properties") or {}
        pools = props.get("backendAddressPools") or []
        targets = sum(_pool_size(p) for p in pools)
        rows.append(resource(
            scope, lb, "lb", sku=(lb.get("sku") or {}).get("name"),
            state=str(props.get("provisioningState") or "").lower() or None,
            attributes=attributes(
                backend_pools=len(pools), registered_targets=targets,
                rules=len(props.get("loadBalancingRules") or []),
                frontends=len(props.get("frontendIPConfigurations") or []),
                tier=(lb.get("sku") or {}).get("tier"),
            ),
        ))  # fmt: skip
    return rows


def _pool_size(pool: Json) -> int:
    props = pool.get("properties") or {}
    configs = props.get("backendIPConfigurations") or []
    addresses = props.get("loadBalancerBackendAddresses") or []
    # NIC-based pools list their NICs among the addresses too: count those once
    by_address = [
        a
        for a in addresses
        if not (a.get("properties") or {}).get("networkInterfaceIPConfiguration")
    ]
    return len(configs) + len(by_address)
