"""Cloud Billing Catalog list prices (``services.list``, ``services.skus.list`` in the configured
currency) of what the inventory shows in use, as ``prices`` rows whose ``sku`` is the
resources' ``sku``.

- Machine types: vCPUs x the family's core rate + GiB x its RAM rate (+ GPUs x the GPU rate),
  for ``on_demand`` (OnDemand), ``spot`` (Preemptible) and ``commitment`` ``1yr-cud`` /
  ``3yr-cud`` (Commit1Yr / Commit3Yr, resource-based committed use), per hour. A machine whose
  components are not all found has no row of that pricing model.
- GPUs (``sku`` the accelerator type), per hour; disk types and snapshots per GiB month; the
  static IP charge and the forwarding-rule charge per hour; Cloud SQL tiers (vCPU + RAM).
- ``operating_system`` is null (licences are separate SKUs); ``attributes`` keep the component
  SKU ids and rates. Rates are the first paid tier (units + nanos / 1e9).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal

from google.cloud import billing_v1

from collectors.gcp.clients import GcpClients
from collectors.gcp.machine_types import family_of
from collectors.gcp.price_match import Catalog, Entry
from collectors.gcp.price_wanted import Wanted, wanted
from collectors.gcp.rows import PROVIDER, Json, Row, attributes, timestamp, to_json

COMPUTE_ENGINE, CLOUD_SQL = "Compute Engine", "Cloud SQL"
MODELS = {
    "OnDemand": ("on_demand", None),
    "Preemptible": ("spot", None),
    "Commit1Yr": ("commitment", "1yr-cud"),
    "Commit3Yr": ("commitment", "3yr-cud"),
}
UNITS = {"h": "Hours", "GiBy.mo": "GiB-Months", "GiBy.h": "GiB-Hours"}
EXACT = Decimal(10) ** -12  # the warehouse's DECIMAL(38, 12)


def fetch_services(clients: GcpClients) -> list[Json]:
    """services.list, every page."""
    pager = clients.catalog.list_services(request={}, retry=clients.retry)
    return [to_json(page) for page in pager.pages]


def service_names(pages: Iterable[Json], display_names: Iterable[str]) -> dict[str, str]:
    """Display name -> ``services/<id>`` of the services asked for."""
    want = set(display_names)
    return {str(s["displayName"]): str(s["name"]) for page in pages
            for s in page.get("services") or [] if s.get("displayName") in want}  # fmt: skip


def fetch_skus(clients: GcpClients, service: str) -> Iterator[Json]:
    """services.skus.list of one service in the configured currency, every SKU."""
    request = billing_v1.ListSkusRequest(parent=service, currency_code=clients.settings.currency)
    pager = clients.catalog.list_skus(request=request, retry=clients.retry)
    for page in pager.pages:
        yield from to_json(page).get("skus") or []


def services_needed(resources: Iterable[Row]) -> list[str]:
    """The catalogue services whose SKUs price the resources."""
    kinds = {r["resource_type"] for r in resources}
    need = [COMPUTE_ENGINE] if kinds & {"vm", "disk", "snapshot", "ip", "lb"} else []
    return need + ([CLOUD_SQL] if "db" in kinds else [])


def price_rows(
    resources: Iterable[Row], skus: Iterable[Json], collected_at: dt.datetime
) -> list[Row]:
    """``prices`` rows of the SKUs pricing what the resources use."""
    catalog = Catalog(skus)
    rows: dict[tuple[str, str, str], Row] = {}
    for item in wanted(resources):
        for usage in item.usages:
            found = [catalog.find(p.pattern(usage), usage, item.region) for p in item.parts]
            if found and all(found):
                row = _row(item, usage, [f for f in found if f], collected_at)
                rows.setdefault((item.region, item.sku, usage), row)
    return list(rows.values())


def _row(item: Wanted, usage: str, found: list[Entry], at: dt.datetime) -> Row:
    pairs = list(zip(found, item.parts, strict=True))
    price = sum((e.price * Decimal(str(p.quantity)) for e, p in pairs), Decimal(0))
    model, term = MODELS[usage]
    unit = "Hours" if len(found) > 1 else UNITS.get(found[0].unit, found[0].unit)
    return {
        "provider": PROVIDER, "region": item.region, "sku": item.sku, "pricing_model": model,
        "term": term, "operating_system": None, "unit": unit,
        "unit_price": price.quantize(EXACT), "currency": found[0].currency,
        "effective_from": timestamp(found[0].effective), "collected_at": at,
        "attributes": attributes(
            sku_ids=",".join(e.sku_id for e in found), usage_type=usage,
            rates=",".join(f"{e.price.normalize()}/{e.unit}" for e in found),
            quantities=",".join(f"{p.quantity:g}" for p in item.parts),
            family=family_of(item.sku) if item.kind == "vm" else None,
        ),
    }  # fmt: skip
