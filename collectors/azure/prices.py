"""Azure Retail Prices API (public, no credential; ``$filter``, ``NextPageLink`` paging) for the
VM sizes and disk SKUs in use, in the regions they run in, as ``prices`` rows.

- ``on_demand``: ``type`` Consumption (not Spot, not Low Priority), per hour (disks per unit).
- ``spot``: Consumption items whose meter ends in `` Spot``.
- ``commitment``: ``Reservation`` items, ``term`` ``1yr-reservation`` / ``3yr-reservation``;
  the API prices the whole term, the row holds it per hour (``attributes.term_price`` keeps
  the total); and the VMs' ``savingsPlan`` rates, ``term`` ``1yr-savings-plan`` / ``3yr-...``.

``operating_system`` of VM prices is ``Windows`` when the product says so, else ``Linux``
(matching ``resources.attributes.operating_system``); null for disks.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from collectors.azure.clients import AzureClients
from collectors.azure.rows import PROVIDER, Json, Row, attributes, timestamp

API_VERSION = "2023-01-01-preview"
TERM_HOURS = {"1 Year": 8760, "3 Years": 26280, "5 Years": 43800}
UNITS = {"1 Hour": "Hours", "1 GB/Month": "GB-Months", "1/Month": "Months", "1 GB": "GB"}
SERVICES = {"vm": "Virtual Machines", "disk": "Storage"}
EXACT = Decimal(10) ** -12  # the warehouse's DECIMAL(38, 12)


def wanted(resources: Iterable[Row]) -> dict[tuple[str, str], set[str]]:
    """(service name, region) -> the SKUs of that kind in use there, and for VM sizes the
    smaller sizes of the same family (right-sizing prices its targets with them)."""
    out: dict[tuple[str, str], set[str]] = {}
    for row in resources:
        service = SERVICES.get(row["resource_type"])
        if service and row["sku"] and row["region"]:
            skus = out.setdefault((service, row["region"]), set())
            skus.add(row["sku"])
            if row["resource_type"] == "vm":
                skus.update(smaller_sizes(row["sku"]))
    return out


VM_SIZE = re.compile(r"^(Standard_[A-Z]+)(\d+)([a-z]*(?:_v\d+)?)$")


def smaller_sizes(sku: str) -> list[str]:
    """Standard_D8s_v5 -> Standard_D4s_v5, Standard_D2s_v5: the halvings of the vCPU count
    down to 2 (a name the price list lacks simply matches nothing)."""
    match = VM_SIZE.match(sku)
    if match is None:
        return []
    family, size, suffix = match.group(1), int(match.group(2)), match.group(3)
    out = []
    while size > 2:
        size //= 2
        out.append(f"{family}{size}{suffix}")
    return out


def selected(items: Iterable[Json], resources: Iterable[Row]) -> list[Json]:
    """The price items the filters of :func:`price_filters` would return (recorded lists)."""
    want = wanted(resources)
    return [i for i in items if i.get("armSkuName") in want.get(_place(i), ())]


def _place(item: Json) -> tuple[str, str]:
    return str(item.get("serviceName")), str(item.get("armRegionName"))


def price_filters(resources: Iterable[Row]) -> list[str]:
    """One ``$filter`` per (service, region): the SKUs of that kind in use there."""
    return [
        f"serviceName eq '{service}' and armRegionName eq '{region}' and ("
        + " or ".join(f"armSkuName eq '{s}'" for s in sorted(skus)) + ")"
        for (service, region), skus in sorted(wanted(resources).items())
    ]  # fmt: skip


def fetch_prices(clients: AzureClients, expression: str) -> Iterator[Json]:
    """Every page answering one ``$filter``."""
    endpoint = clients.settings.retail_prices
    page = clients.retail_get(endpoint, {"api-version": API_VERSION, "$filter": expression})
    yield page
    while page.get("NextPageLink"):
        page = clients.retail_get(str(page["NextPageLink"]))
        yield page


def price_rows(pages: Iterable[Json], collected_at: dt.datetime) -> list[Row]:
    """``prices`` rows, one per key (the first item by meter name when several match)."""
    items = [i for page in pages for i in page.get("Items") or []]
    items.sort(key=lambda i: (str(i.get("meterName")), str(i.get("skuId"))))
    kept: dict[tuple[Any, ...], Row] = {}
    for item in items:
        for row in _rows(item, collected_at):
            key = tuple(row[k] for k in ("region", "sku", "pricing_model", "term",
                                         "operating_system", "unit"))  # fmt: skip
            kept.setdefault(key, row)
    return list(kept.values())


def _rows(item: Json, collected_at: dt.datetime) -> list[Row]:
    meter = str(item.get("meterName") or "")
    if "Low Priority" in meter or float(item.get("tierMinimumUnits") or 0) > 0:
        return []
    kind = item.get("type")
    if kind == "Reservation":
        hours = TERM_HOURS.get(str(item.get("reservationTerm")))
        if not hours:
            return []
        years = str(item["reservationTerm"]).split()[0]
        price = Decimal(str(item["unitPrice"])) / hours
        return [_row(item, "commitment", f"{years}yr-reservation", price, collected_at, "Hours")]
    if kind != "Consumption":
        return []
    model = "spot" if meter.endswith(" Spot") else "on_demand"
    out = [_row(item, model, None, Decimal(str(item["unitPrice"])), collected_at)]
    for plan in item.get("savingsPlan") or []:
        years = str(plan.get("term", "")).split()[0]
        out.append(_row(item, "commitment", f"{years}yr-savings-plan",
                        Decimal(str(plan["unitPrice"])), collected_at))  # fmt: skip
    return out


def _row(
    item: Json, model: str, term: str | None, price: Decimal, at: dt.datetime,
    unit: str | None = None,
) -> Row:  # fmt: skip
    vm = item.get("serviceName") == "Virtual Machines"
    measure = str(item.get("unitOfMeasure") or "")
    return {
        "provider": PROVIDER, "region": item.get("armRegionName"), "sku": item.get("armSkuName"),
        "pricing_model": model, "term": term,
        "operating_system": ("Windows" if "Windows" in str(item.get("productName")) else "Linux")
        if vm else None,
        "unit": unit or UNITS.get(measure, measure), "unit_price": price.quantize(EXACT),
        "currency": item.get("currencyCode") or "USD",
        "effective_from": timestamp(item.get("effectiveStartDate")), "collected_at": at,
        "attributes": attributes(
            meter_id=item.get("meterId"), meter_name=item.get("meterName"),
            product_name=item.get("productName"), sku_id=item.get("skuId"),
            unit_of_measure=measure, term_price=item.get("unitPrice") if term and
            term.endswith("reservation") else None,
        ),
    }  # fmt: skip
