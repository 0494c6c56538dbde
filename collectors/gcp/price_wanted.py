"""What needs a price: the machine types, GPUs, disk and snapshot types, static IPs, forwarding
rules and Cloud SQL tiers in use per region, each as the catalogue components that price it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from collectors.gcp.inventory_network import FORWARDING_RULE, STATIC_IP
from collectors.gcp.machine_types import family_of
from collectors.gcp.price_match import (
    DISKS,
    USAGES,
    gpu_pattern,
    machine_pattern,
    plain_pattern,
    sql_pattern,
)
from collectors.gcp.rows import Row

PLAIN = {
    STATIC_IP: "static ip charge",
    FORWARDING_RULE: "network load balancing: forwarding rule minimum service charge in ",
    **DISKS,
}


@dataclass(frozen=True)
class Part:
    """One catalogue component: ``core`` / ``ram`` of a family, a ``gpu``, a ``plain``
    description, or Cloud SQL ``vcpu`` / ``ram`` (name ``<engine>|<availability>``)."""

    kind: str
    name: str
    quantity: float

    def pattern(self, usage: str) -> re.Pattern[str]:
        if self.kind in {"core", "ram"}:
            return machine_pattern(self.name, self.kind, usage)
        if self.kind == "gpu":
            return gpu_pattern(self.name, usage)
        if self.kind in {"vcpu", "sql-ram"}:
            engine, availability = self.name.split("|")
            return sql_pattern(engine, availability, "vcpu" if self.kind == "vcpu" else "ram")
        return plain_pattern(self.name)


@dataclass(frozen=True)
class Wanted:
    """A resource ``sku`` in a region and the parts that price it, for these usage types."""

    kind: str
    region: str
    sku: str
    parts: tuple[Part, ...]
    usages: tuple[str, ...] = ("OnDemand",)


def wanted(resources: Iterable[Row]) -> list[Wanted]:
    """Every (kind, region, sku) in use that can be priced, once."""
    out: dict[tuple[str, str, str], Wanted] = {}
    for row in resources:
        for item in _of(row):
            out.setdefault((item.kind, item.region, item.sku), item)
    return [out[k] for k in sorted(out)]


def _of(row: Row) -> list[Wanted]:
    kind, region, sku = row["resource_type"], str(row["region"]), row["sku"]
    extra = dict(row["attributes"] or [])
    if not sku:
        return []
    if kind == "vm":
        return _machine(region, sku, row["vcpu"], row["memory_gib"], extra)
    if kind == "db":
        return _sql(region, sku, row["vcpu"], row["memory_gib"], extra)
    if sku in PLAIN:
        return [Wanted(kind, region, sku, (Part("plain", PLAIN[sku], 1.0),))]
    return []


def _machine(region: str, sku: str, vcpu: object, memory: object, extra: dict[str, str]
             ) -> list[Wanted]:  # fmt: skip
    if vcpu is None or memory is None:
        return []
    family = family_of(sku)
    parts = [Part("core", family, float(str(vcpu))), Part("ram", family, float(str(memory)))]
    gpu, count = extra.get("gpu_type"), float(extra.get("gpu_count") or 0)
    out = []
    if gpu and "," not in gpu:
        parts.append(Part("gpu", gpu, count))
        out.append(Wanted("gpu", region, gpu, (Part("gpu", gpu, 1.0),), USAGES))
    return [Wanted("vm", region, sku, tuple(parts), USAGES), *out]


def _sql(region: str, sku: str, vcpu: object, memory: object, extra: dict[str, str]
         ) -> list[Wanted]:  # fmt: skip
    engine = extra.get("engine")
    if vcpu is None or memory is None or not engine:
        return []
    name = f"{engine}|{extra.get('availability_type') or 'ZONAL'}"
    parts = (Part("vcpu", name, float(str(vcpu))), Part("sql-ram", name, float(str(memory))))
    return [Wanted("db", region, sku, parts)]
