"""The warehouse rows the GCP inventory, metric and price normalizers produce, and the small
conversions they share (ids, regions, labels, messages as REST JSON).

Resource ids are the billing export's ``resource.global_name``: a Compute Engine selfLink
``https://www.googleapis.com/compute/v1/projects/P/zones/Z/instances/N`` is stored as
``//compute.googleapis.com/projects/P/zones/Z/instances/N`` (:func:`global_name`), so inventory
joins FOCUS ``ResourceId``. ``account_id`` is the project id.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from google.protobuf import json_format  # type: ignore[import-untyped]
from google.protobuf.message import Message  # type: ignore[import-untyped]

from collectors.rows import (
    METRICS,
    PRICES,
    RESOURCES,
    UTC,
    Row,
    attributes,
    resource_row,
    table,
    timestamp,
)

__all__ = [
    "GLOBAL", "METRICS", "PRICES", "PROVIDER", "RESOURCES", "UTC", "Json", "Row", "Scope",
    "attributes", "global_name", "label_pairs", "last", "region_of", "resource", "table",
    "timestamp", "to_json",
]  # fmt: skip

PROVIDER = "gcp"
GLOBAL = "global"  # the region of global resources (snapshots without a source, global IPs)
COMPUTE = "//compute.googleapis.com/"
Json = Mapping[str, Any]
_API = re.compile(r"^https?://[^/]+/compute/(?:v1|beta|alpha)/")
_ZONE = re.compile(r"^([a-z]+-[a-z]+\d+)-[a-z]$")


@dataclass(frozen=True)
class Scope:
    """Where rows come from: one project, read at one moment."""

    project: str
    collected_at: dt.datetime


def global_name(link: object) -> str | None:
    """A Compute Engine selfLink (or a ``projects/...`` path) as the billing export's
    ``resource.global_name``."""
    if not link:
        return None
    text = str(link)
    if text.startswith("//"):
        return text
    return COMPUTE + _API.sub("", text).lstrip("/")


def last(link: object) -> str | None:
    """The last segment of a URL or path (a machine type's, zone's or disk type's name)."""
    return str(link).rstrip("/").rsplit("/", 1)[-1] if link else None


def region_of(location: object) -> str:
    """The region of a zone (``europe-west1-b``), a region, or a URL ending in either;
    ``global`` when there is none."""
    name = last(location)
    if not name:
        return GLOBAL
    match = _ZONE.match(name)
    return match.group(1) if match else name


def label_pairs(labels: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """GCP labels as sorted ``(key, value)`` pairs for the ``tags`` MAP column."""
    return sorted((str(k), "" if v is None else str(v)) for k, v in (labels or {}).items())


def resource(scope: Scope, item: Json, resource_type: str, region: str, **fields: Any) -> Row:
    """A ``resources`` row for one Compute Engine resource; columns not given are null."""
    base = {
        "provider": PROVIDER,
        "account_id": scope.project,
        "region": region,
        "resource_id": global_name(item.get("selfLink")),
        "resource_type": resource_type,
        "collected_at": scope.collected_at,
        "created_at": timestamp(item.get("creationTimestamp")),
        "tags": label_pairs(item.get("labels")),
    }
    return resource_row(**{**base, **fields})


def to_json(message: Any) -> dict[str, Any]:
    """A proto-plus (or protobuf) message as the REST API's JSON (camelCase names, int64 as
    text, fields left at their defaults omitted): the shape recorded responses have."""
    raw = message if isinstance(message, Message) else type(message).pb(message)
    body: dict[str, Any] = json_format.MessageToDict(raw)
    return body
