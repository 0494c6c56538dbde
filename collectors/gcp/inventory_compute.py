"""Compute Engine instances (``instances.aggregatedList``): machine type, vCPU and memory,
status, managed instance group, GPUs, provisioning model, labels.

Fetch functions return REST JSON pages (what recorded files hold); the normalizers are pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from google.cloud import compute_v1

from collectors.gcp.clients import GcpClients
from collectors.gcp.machine_types import Spec, spec_from_name, spec_of_listed
from collectors.gcp.rows import COMPUTE, Json, Row, Scope, attributes, last, region_of, to_json
from collectors.gcp.rows import resource as base_row

STATES = {"TERMINATED": "stopped"}  # Compute Engine's TERMINATED is a stopped instance
MIG_KEY = "created-by"


def fetch_instances(clients: GcpClients, project: str) -> list[Json]:
    """instances.aggregatedList, every page."""
    request = compute_v1.AggregatedListInstancesRequest(project=project)
    pager = clients.instances.aggregated_list(request=request, retry=clients.retry)
    return [to_json(page) for page in pager.pages]


def fetch_specs(clients: GcpClients, project: str, instances: Iterable[Json]) -> dict[str, Spec]:
    """machineTypes.get for the machine types whose name does not tell their size."""
    out: dict[str, Spec] = {}
    for item in instances:
        name, zone = str(last(item.get("machineType"))), str(last(item.get("zone")))
        if name in out or spec_from_name(name):
            continue
        got = clients.machine_types.get(
            project=project, zone=zone, machine_type=name, retry=clients.retry
        )
        found = spec_of_listed(to_json(got))
        if found:
            out[name] = found
    return out


def scoped(pages: Iterable[Json], key: str) -> Iterator[Json]:
    """The items of aggregatedList pages (every zone or region scope)."""
    for page in pages:
        for scope in (page.get("items") or {}).values():
            yield from scope.get(key) or []


def scope_regions(pages: Iterable[Json]) -> set[str]:
    """The regions an aggregatedList answered for (also those with no items)."""
    return {region_of(key) for page in pages for key in page.get("items") or {}}


def instance_group(project: str, item: Json) -> str | None:
    """The managed instance group an instance belongs to (its ``created-by`` metadata), as a
    ``//compute.googleapis.com/projects/<project id>/.../instanceGroupManagers/<name>`` id."""
    for entry in (item.get("metadata") or {}).get("items") or []:
        value = str(entry.get("value") or "")
        if entry.get("key") == MIG_KEY and "/instanceGroupManagers/" in value:
            parts = value.split("/")
            if parts[0] == "projects" and len(parts) > 1:
                parts[1] = project  # the metadata names the project by number
            return COMPUTE + "/".join(parts)
    return None


def instance_rows(scope: Scope, pages: Iterable[Json], specs: Mapping[str, Spec]) -> list[Row]:
    """``vm`` rows."""
    return [_instance(scope, item, specs) for item in scoped(pages, "instances")]


def _instance(scope: Scope, item: Json, specs: Mapping[str, Spec]) -> Row:
    machine = str(last(item.get("machineType")))
    size = specs.get(machine) or spec_from_name(machine)
    status = str(item.get("status") or "")
    group = instance_group(scope.project, item)
    return base_row(
        scope, item, "vm", region_of(item.get("zone")), sku=machine,
        vcpu=size[0] if size else None, memory_gib=size[1] if size else None,
        state=STATES.get(status, status.lower()) or None, scaling_group=group,
        attributes=attributes(
            instance_id=item.get("id"), zone=last(item.get("zone")), status=status,
            instance_group=last(group), cpu_platform=item.get("cpuPlatform"),
            public_ip=_nat_ip(item), last_start=item.get("lastStartTimestamp"),
            **_scheduling(item.get("scheduling") or {}), **_gpus(item),
        ),
    )  # fmt: skip


def _scheduling(scheduling: Json) -> dict[str, Any]:
    model = scheduling.get("provisioningModel")
    if not model:
        model = "PREEMPTIBLE" if scheduling.get("preemptible") else "STANDARD"
    spot = model in {"SPOT", "PREEMPTIBLE"}
    return {"provisioning_model": model, "lifecycle": "spot" if spot else "on-demand"}


def _gpus(item: Json) -> dict[str, Any]:
    cards = item.get("guestAccelerators") or []
    if not cards:
        return {}
    kinds = sorted({str(last(c.get("acceleratorType"))) for c in cards})
    return {"gpu_count": sum(int(c.get("acceleratorCount") or 0) for c in cards),
            "gpu_type": ",".join(kinds)}  # fmt: skip


def _nat_ip(item: Json) -> str | None:
    for nic in item.get("networkInterfaces") or []:
        for config in nic.get("accessConfigs") or []:
            if config.get("natIP"):
                return str(config["natIP"])
    return None
