"""Spot prices: EC2 DescribeSpotPriceHistory for the instance types in use, reduced to one
``prices`` row per (region, instance type, operating system): the mean of each zone's latest
price, with the zones' prices and the spread in ``attributes``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from collectors.aws.rows import PROVIDER, Page, Row, attributes, timestamp

DESCRIPTIONS = {  # the price list's operatingSystem -> spot ProductDescription
    "Linux": "Linux/UNIX",
    "Windows": "Windows",
    "RHEL": "Red Hat Enterprise Linux",
    "SUSE": "SUSE Linux",
}
PLACES = Decimal("1e-12")


def fetch_spot_prices(
    ec2: Any, instance_types: Iterable[str], systems: Iterable[str], now: dt.datetime
) -> list[Page]:
    """DescribeSpotPriceHistory as of ``now`` (the price in effect per zone), every page."""
    types = sorted(set(instance_types))
    descriptions = sorted({DESCRIPTIONS[s] for s in systems if s in DESCRIPTIONS})
    if not types or not descriptions:
        return []
    pages = ec2.get_paginator("describe_spot_price_history").paginate(
        InstanceTypes=types, ProductDescriptions=descriptions, StartTime=now, EndTime=now
    )
    return list(pages)


def operating_system(description: str) -> str:
    """``Linux/UNIX (Amazon VPC)`` -> ``Linux``."""
    base = description.removesuffix(" (Amazon VPC)")
    return next((os for os, d in DESCRIPTIONS.items() if d == base), base)


def spot_rows(region: str, pages: Iterable[Page], collected_at: dt.datetime) -> list[Row]:
    """``prices`` rows (spot) from DescribeSpotPriceHistory pages (pure)."""
    latest: dict[tuple[str, str], dict[str, tuple[dt.datetime, Decimal]]] = {}
    for page in pages:
        for item in page.get("SpotPriceHistory", []):
            key = (item["InstanceType"], operating_system(item["ProductDescription"]))
            when = timestamp(item["Timestamp"]) or collected_at
            zones = latest.setdefault(key, {})
            zone = item["AvailabilityZone"]
            if zone not in zones or when > zones[zone][0]:
                zones[zone] = (when, Decimal(item["SpotPrice"]))
    return [_row(region, key, zones, collected_at) for key, zones in sorted(latest.items())]


def _row(
    region: str,
    key: tuple[str, str],
    zones: dict[str, tuple[dt.datetime, Decimal]],
    collected_at: dt.datetime,
) -> Row:
    prices = [price for _, price in zones.values()]
    mean = (sum(prices, Decimal(0)) / len(prices)).quantize(PLACES)
    per_zone = {f"price:{zone}": str(price) for zone, (_, price) in sorted(zones.items())}
    return {
        "provider": PROVIDER, "region": region, "sku": key[0], "pricing_model": "spot",
        "term": None, "operating_system": key[1], "unit": "Hours", "unit_price": mean,
        "currency": "USD", "effective_from": max(when for when, _ in zones.values()),
        "collected_at": collected_at,
        "attributes": attributes(zones=len(zones), min=min(prices), max=max(prices), **per_zone),
    }  # fmt: skip
