"""Finding Cloud Billing Catalog SKUs by what they price.

Google prices a machine as vCPU + memory (+ GPU) SKUs per machine family, region and usage type
(``OnDemand``, ``Preemptible`` = spot, ``Commit1Yr``, ``Commit3Yr``), told apart only by their
descriptions (``N2 Instance Core running in Belgium``, ``Spot Preemptible N2 Instance Ram
running in Belgium``, ``Commitment v1: N2 Cpu in Belgium for 1 Year``, ``Nvidia L4 GPU running
in Belgium``). :class:`Catalog` indexes SKUs by usage type and region; the ``*_pattern``
functions give the description each component has.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from collectors.gcp.rows import GLOBAL, Json

NANO = Decimal("1e-9")
USAGES = ("OnDemand", "Preemptible", "Commit1Yr", "Commit3Yr")
DISKS = {  # disk type -> description of its capacity SKU
    "pd-standard": "storage pd capacity", "pd-balanced": "balanced pd capacity",
    "pd-ssd": "ssd backed pd capacity", "pd-extreme": "extreme pd capacity",
    "snapshot-standard": "storage pd snapshot",
}  # fmt: skip


@dataclass(frozen=True)
class Entry:
    """One SKU's first paid tier."""

    sku_id: str
    description: str
    usage: str
    unit: str  # the pricing unit: h, GiBy.h, GiBy.mo
    price: Decimal
    currency: str
    effective: str | None


def entry(sku: Json) -> Entry | None:
    """A SKU's price per pricing unit (units + nanos / 1e9 of its first paid tier)."""
    info = (sku.get("pricingInfo") or [{}])[0]
    expression = info.get("pricingExpression") or {}
    rates = sorted(expression.get("tieredRates") or [],
                   key=lambda r: float(r.get("startUsageAmount") or 0))  # fmt: skip
    prices = [_money(r.get("unitPrice") or {}) for r in rates]
    paid = [p for p in prices if p[0] > 0] or prices
    if not paid:
        return None
    category = sku.get("category") or {}
    return Entry(
        str(sku.get("skuId")), str(sku.get("description") or "").lower(),
        str(category.get("usageType") or ""), str(expression.get("usageUnit") or ""),
        paid[0][0], paid[0][1], info.get("effectiveTime"),
    )  # fmt: skip


def _money(money: Json) -> tuple[Decimal, str]:
    amount = Decimal(str(money.get("units") or 0)) + Decimal(int(money.get("nanos") or 0)) * NANO
    return amount, str(money.get("currencyCode") or "")


class Catalog:
    """SKUs by (usage type, region); global SKUs answer for every region."""

    def __init__(self, skus: Iterable[Json]) -> None:
        self.by_place: dict[tuple[str, str], list[Entry]] = {}
        for sku in skus:
            found = entry(sku)
            if found is None:
                continue
            for region in sku.get("serviceRegions") or [GLOBAL]:
                self.by_place.setdefault((found.usage, region), []).append(found)

    def find(self, pattern: re.Pattern[str], usage: str, region: str) -> Entry | None:
        """The first SKU of ``usage`` in ``region`` (else global) whose description matches."""
        for place in ((usage, region), (usage, GLOBAL)):
            for item in self.by_place.get(place, []):
                if pattern.match(item.description):
                    return item
        return None


def machine_pattern(family: str, component: str, usage: str) -> re.Pattern[str]:
    """The description of a family's ``core`` or ``ram`` SKU of a usage type."""
    name = re.escape(family.lower())
    if usage.startswith("Commit"):
        word = "cpu" if component == "core" else "ram"
        years = "1 year" if usage == "Commit1Yr" else "3 years"
        return re.compile(rf"commitment v1: {name} {word} in .* for {years}$")
    spot = "spot preemptible " if usage == "Preemptible" else ""
    return re.compile(rf"{spot}{name} (predefined )?instance {component} running in ")


def gpu_pattern(accelerator: str, usage: str) -> re.Pattern[str]:
    """The description of a GPU's SKU (``nvidia-l4`` -> ``Nvidia L4 GPU running in ...``)."""
    words = re.escape(accelerator.lower().replace("-", " "))
    if usage.startswith("Commit"):
        years = "1 year" if usage == "Commit1Yr" else "3 years"
        return re.compile(rf"commitment v1: {words} gpu in .* for {years}$")
    spot = "spot preemptible " if usage == "Preemptible" else ""
    return re.compile(rf"{spot}{words} gpu running in ")


def plain_pattern(description: str) -> re.Pattern[str]:
    """A description prefix, matched case-insensitively."""
    return re.compile(re.escape(description.lower()))


def sql_pattern(engine: str, availability: str, component: str) -> re.Pattern[str]:
    """Cloud SQL's vCPU / RAM SKU (``Cloud SQL for PostgreSQL: Zonal - vCPU in Belgium``)."""
    kind = "regional" if availability == "REGIONAL" else "zonal"
    return re.compile(rf"cloud sql for {re.escape(engine.lower())}: {kind} - {component} in ")
