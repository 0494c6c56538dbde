"""Compute inventory: virtual machines (size, power state from the instance view, scale-set
membership, tags) and managed disks (state, attached VM, last ownership update time).

Fetch functions return ARM JSON dicts (the SDK models' ``as_dict()``, the REST shape the
recorded files have); the normalizers are pure and work on either.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from collectors.azure.clients import AzureClients
from collectors.azure.rows import Json, Row, Scope, arm_id, attributes, resource, timestamp
from collectors.azure.vm_sizes import Spec, spec


def fetch_vms(clients: AzureClients, subscription: str) -> list[Json]:
    """virtualMachines.listAll: every VM of the subscription (every page)."""
    return [vm.as_dict() for vm in clients.compute(subscription).virtual_machines.list_all()]


def fetch_statuses(clients: AzureClients, subscription: str) -> list[Json]:
    """virtualMachines.listAll with statusOnly: each VM's instance view (power state)."""
    listed = clients.compute(subscription).virtual_machines.list_all(status_only="true")
    return [vm.as_dict() for vm in listed]


def fetch_sizes(clients: AzureClients, subscription: str, locations: Iterable[str]) -> list[Json]:
    """virtualMachineSizes.list for each location VMs run in."""
    compute = clients.compute(subscription)
    return [
        {"value": [s.as_dict() for s in compute.virtual_machine_sizes.list(location)]}
        for location in sorted(set(locations))
    ]


def fetch_disks(clients: AzureClients, subscription: str) -> list[Json]:
    """disks.list: every managed disk of the subscription."""
    return [d.as_dict() for d in clients.compute(subscription).disks.list()]


def power_states(statuses: Iterable[Json]) -> dict[str, str]:
    """Lower-case VM id -> power state (``running``, ``deallocated``, ``stopped``, ...)."""
    out: dict[str, str] = {}
    for vm in statuses:
        view = (vm.get("properties") or {}).get("instanceView") or {}
        for status in view.get("statuses") or []:
            code = str(status.get("code", ""))
            if code.startswith("PowerState/"):
                out[str(arm_id(vm["id"]))] = code.split("/", 1)[1]
    return out


def operating_system(vm: Json) -> str | None:
    """``Linux`` or ``Windows``, as the retail price list tells the two apart."""
    props = vm.get("properties") or {}
    os_type = ((props.get("storageProfile") or {}).get("osDisk") or {}).get("osType")
    if os_type:
        return str(os_type)
    profile = props.get("osProfile") or {}
    if "windowsConfiguration" in profile:
        return "Windows"
    return "Linux" if "linuxConfiguration" in profile else None


def vm_rows(
    scope: Scope, vms: Iterable[Json], power: Mapping[str, str], sizes: Mapping[str, Spec]
) -> list[Row]:
    """``vm`` rows."""
    rows = []
    for vm in vms:
        props: Mapping[str, Any] = vm.get("properties") or {}
        size = (props.get("hardwareProfile") or {}).get("vmSize")
        cpu_mem = spec(size, sizes)
        scale_set = (props.get("virtualMachineScaleSet") or {}).get("id")
        rows.append(resource(
            scope, vm, "vm", sku=size,
            vcpu=cpu_mem[0] if cpu_mem else None, memory_gib=cpu_mem[1] if cpu_mem else None,
            state=power.get(str(arm_id(vm["id"]))), scaling_group=arm_id(scale_set),
            created_at=timestamp(props.get("timeCreated")),
            attributes=attributes(
                operating_system=operating_system(vm), priority=props.get("priority"),
                eviction_policy=props.get("evictionPolicy"), vm_id=props.get("vmId"),
                zone=",".join(vm.get("zones") or []), license_type=props.get("licenseType"),
            ),
        ))  # fmt: skip
    return rows


def disk_rows(scope: Scope, disks: Iterable[Json]) -> list[Row]:
    """``disk`` rows; ``last_attached_at``: the collection time while attached, else the
    disk's LastOwnershipUpdateTime (when it was last detached; absent if never attached)."""
    rows = []
    for disk in disks:
        props: Mapping[str, Any] = disk.get("properties") or {}
        owner = arm_id(disk.get("managedBy"))
        changed = timestamp(props.get("LastOwnershipUpdateTime"))
        rows.append(resource(
            scope, disk, "disk", sku=(disk.get("sku") or {}).get("name"),
            state=props.get("diskState"), attached_to=owner,
            size_gib=_float(props.get("diskSizeGB")),
            created_at=timestamp(props.get("timeCreated")),
            last_attached_at=scope.collected_at if owner else changed,
            attributes=attributes(
                tier=props.get("tier") or (disk.get("sku") or {}).get("tier"),
                iops=props.get("diskIOPSReadWrite"), mbps=props.get("diskMBpsReadWrite"),
                zone=",".join(disk.get("zones") or []),
                last_ownership_update=props.get("LastOwnershipUpdateTime"),
            ),
        ))  # fmt: skip
    return rows


def _float(value: object) -> float | None:
    return None if value is None else float(str(value))
