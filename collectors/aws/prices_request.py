"""Which prices to ask the Price List Query API for: one GetProducts request per kind of product
in use, filtered to the regions, instance types, volume types and engines the inventory shows
(``ANY_OF`` takes a comma-separated list)."""

from __future__ import annotations

from collections.abc import Iterable

from collectors.aws.inventory_rds import ENGINES
from collectors.aws.rows import Row

Filter = dict[str, str]
Request = tuple[str, list[Filter]]  # service code, filters
LB_FAMILIES = {
    "application": "Load Balancer-Application",
    "network": "Load Balancer-Network",
    "gateway": "Load Balancer-Gateway",
}


def _match(field: str, value: str) -> Filter:
    return {"Type": "TERM_MATCH", "Field": field, "Value": value}


def _any(field: str, values: Iterable[str]) -> Filter:
    return {"Type": "ANY_OF", "Field": field, "Value": ",".join(sorted(set(values)))}


def _of(rows: Iterable[Row], kind: str) -> list[Row]:
    return [r for r in rows if r["resource_type"] == kind and r["sku"]]


def _attr(row: Row, key: str) -> str:
    return str(dict(row["attributes"]).get(key, ""))


def product_requests(rows: Iterable[Row]) -> list[Request]:
    """The GetProducts requests that price every resource of ``rows``."""
    rows = list(rows)
    out: list[Request] = []
    vms, disks, dbs = _of(rows, "vm"), _of(rows, "disk"), _of(rows, "db")
    if vms:
        out.append(("AmazonEC2", [
            _match("productFamily", "Compute Instance"), _any("regionCode", _regions(vms)),
            _any("instanceType", (r["sku"] for r in vms)),
            _any("operatingSystem", (_attr(r, "operating_system") or "Linux" for r in vms)),
            _match("tenancy", "Shared"), _match("preInstalledSw", "NA"),
            _match("capacitystatus", "Used"),
            _any("licenseModel", ["No License required", "License Included"]),
        ]))  # fmt: skip
    if disks:
        out.append(("AmazonEC2", [
            _match("productFamily", "Storage"), _any("regionCode", _regions(disks)),
            _any("volumeApiName", (r["sku"] for r in disks)),
        ]))  # fmt: skip
    out += _simple(rows, "snapshot", "AmazonEC2", "Storage Snapshot")
    out += _simple(rows, "ip", "AmazonVPC", "VPC Public IPv4 Address")
    lbs = [r for r in _of(rows, "lb") if r["sku"] in LB_FAMILIES]
    if lbs:
        out.append(("AWSELB", [
            _any("productFamily", (LB_FAMILIES[r["sku"]] for r in lbs)),
            _any("regionCode", _regions(lbs)),
        ]))  # fmt: skip
    engines = [ENGINES[_attr(r, "engine")] for r in dbs if _attr(r, "engine") in ENGINES]
    if engines:
        out.append(("AmazonRDS", [
            _match("productFamily", "Database Instance"), _any("regionCode", _regions(dbs)),
            _any("instanceType", (r["sku"] for r in dbs)), _any("databaseEngine", engines),
            _any("deploymentOption", (_attr(r, "deployment_option") for r in dbs)),
        ]))  # fmt: skip
    return out


def _regions(rows: Iterable[Row]) -> list[str]:
    return sorted({r["region"] for r in rows})


def _simple(rows: list[Row], kind: str, service: str, family: str) -> list[Request]:
    found = _of(rows, kind)
    if not found:
        return []
    return [(service, [_match("productFamily", family), _any("regionCode", _regions(found))])]
