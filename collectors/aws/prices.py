"""List prices: the Price List Query API (Pricing GetProducts, every page; each ``PriceList`` item
is a JSON *string*) for the instance types, volume types, databases, load balancers, snapshots
and public IPv4 addresses in use, and EC2 DescribeSpotPriceHistory for spot.

Price rows' ``sku`` matches the ``resources`` rows' ``sku``: the instance type (``m5.large``,
``db.m5.large``), the volume type (``gp3``), the load balancer type (``application``; its
capacity units as ``application:LCUUsage``), and for snapshots and addresses the usage type
without its region prefix (``EBS:SnapshotUsage``, ``PublicIPv4:IdleAddress``). Instances and
databases also match on ``operating_system`` (``Linux``; ``MySQL`` or ``MySQL (Multi-AZ)``).
Reserved terms become ``commitment`` rows with terms like ``1yr-no-upfront`` (``-convertible``
appended for convertible offerings); an upfront fee is its own row with unit ``Quantity``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from collectors.aws.prices_spot import fetch_spot_prices, spot_rows
from collectors.aws.rows import PROVIDER, Page, Row, attributes, timestamp

UNITS = {"Hrs": "Hours", "GB-Mo": "GB-Months"}
LB_FAMILIES = {
    "Load Balancer-Application": "application",
    "Load Balancer-Network": "network",
    "Load Balancer-Gateway": "gateway",
    "Load Balancer": "classic",
}
_REGION_PREFIX = re.compile(r"^[A-Z]{2,4}[0-9]?-")
_ATTRIBUTES = ("usagetype", "location", "vcpu", "memory", "databaseEngine", "deploymentOption",
               "tenancy", "licenseModel", "volumeType")  # fmt: skip
PLACES = Decimal("1e-12")
TERMS = {"on_demand": "OnDemand", "commitment": "Reserved"}

__all__ = ["fetch_products", "fetch_spot_prices", "price_rows", "product_specs", "spot_rows"]


def fetch_products(pricing: Any, service_code: str, filters: list[dict[str, str]]) -> list[Page]:
    """GetProducts for one service code and filter list, every page."""
    pages = pricing.get_paginator("get_products").paginate(
        ServiceCode=service_code, Filters=filters, FormatVersion="aws_v1"
    )
    return list(pages)


def items(pages: Iterable[Page]) -> list[dict[str, Any]]:
    """The price-list entries of GetProducts pages (each one a JSON string)."""
    return [json.loads(text) for page in pages for text in page.get("PriceList", [])]


def usage(attrs: Mapping[str, str]) -> str:
    """The usage type without its region prefix (``EU-EBS:SnapshotUsage`` -> ``EBS:...``)."""
    return _REGION_PREFIX.sub("", attrs.get("usagetype", ""))


def sku_of(family: str, attrs: Mapping[str, str]) -> tuple[str, str | None]:
    """(sku, operating_system) of a product, as ``resources`` rows name it."""
    if family == "Compute Instance":
        return attrs["instanceType"], attrs.get("operatingSystem")
    if family == "Database Instance":
        engine, option = attrs.get("databaseEngine", ""), attrs.get("deploymentOption", "")
        label = engine if option in {"", "Single-AZ"} else f"{engine} ({option})"
        return attrs["instanceType"], label
    if family == "Storage" and attrs.get("volumeApiName"):
        return attrs["volumeApiName"], None
    if family in LB_FAMILIES:
        kind = LB_FAMILIES[family]
        return (kind if usage(attrs) == "LoadBalancerUsage" else f"{kind}:{usage(attrs)}"), None
    return usage(attrs), None


def term_name(attrs: Mapping[str, str]) -> str:
    """``1yr-no-upfront`` from a reserved term's attributes (``-convertible`` when it is)."""
    lease = attrs.get("LeaseContractLength", "")
    option = attrs.get("PurchaseOption", "").lower().replace(" ", "-")
    name = f"{lease}-{option}"
    return name + "-convertible" if attrs.get("OfferingClass") == "convertible" else name


def _term_rows(item: Mapping[str, Any], model: str, collected_at: Any) -> Iterable[Row]:
    product = item["product"]
    attrs = product.get("attributes", {})
    sku, system = sku_of(product.get("productFamily", ""), attrs)
    terms = item.get("terms", {}).get(TERMS[model], {})
    for term in terms.values():
        term_attrs = term.get("termAttributes", {})
        for dim in term.get("priceDimensions", {}).values():
            ((currency, price),) = dim["pricePerUnit"].items()
            yield {
                "provider": PROVIDER, "region": attrs.get("regionCode"), "sku": sku,
                "pricing_model": model,
                "term": term_name(term_attrs) if model == "commitment" else None,
                "operating_system": system, "unit": UNITS.get(dim["unit"], dim["unit"]),
                "unit_price": Decimal(price).quantize(PLACES), "currency": currency,
                "effective_from": timestamp(term.get("effectiveDate")),
                "collected_at": collected_at,
                "attributes": attributes(
                    product_sku=product.get("sku"), product_family=product.get("productFamily"),
                    offer_term_code=term.get("offerTermCode"), rate_code=dim.get("rateCode"),
                    **{k: attrs.get(k) for k in _ATTRIBUTES},
                ),
            }  # fmt: skip


def price_rows(pages: Iterable[Page], collected_at: Any) -> list[Row]:
    """``prices`` rows (on demand and commitment) from GetProducts pages (pure). When two
    products give the same key, the first one's price is kept."""
    rows: dict[tuple[Any, ...], Row] = {}
    for item in items(pages):
        for model in ("on_demand", "commitment"):
            for row in _term_rows(item, model, collected_at):
                key = tuple(row[k] for k in ("region", "sku", "pricing_model", "term",
                                             "operating_system", "unit"))  # fmt: skip
                rows.setdefault(key, row)
    return list(rows.values())


def product_specs(pages: Iterable[Page]) -> dict[str, tuple[float, float]]:
    """Instance type -> (vCPU, memory GiB) from the price list's instance products (fills in
    databases, which DescribeInstanceTypes does not know)."""
    specs = {}
    for item in items(pages):
        attrs = item["product"].get("attributes", {})
        vcpu, memory = attrs.get("vcpu"), attrs.get("memory", "")
        number = memory.replace(",", "").split(" ")[0]
        if attrs.get("instanceType") and vcpu and _is_number(number):
            specs[attrs["instanceType"]] = (float(vcpu), float(number))
    return specs


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
