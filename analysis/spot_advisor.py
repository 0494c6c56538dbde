"""Spot interruption frequency from a dated file the user refreshes (no network at analysis
time). Two formats are read:

- ours (``analysis/data/spot_advisor.json``): ``{"format": "cloudspend-spot-advisor/1",
  "as_of": "YYYY-MM-DD", "source": "...", "sample": bool, "buckets": [...],
  "regions": {region: {"Linux" | "Windows": {instance type: bucket}}}}``;
- AWS Spot Instance Advisor's own ``spot-advisor-data.json`` (``ranges`` and
  ``spot_advisor{region: {os: {type: {"s": savings %, "r": range index}}}}``), dated by the
  file's modification time, as AWS does not date it.

A bucket is a label such as ``<5%`` or ``5-10%``; anything the file does not cover is unknown.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SHIPPED = Path(__file__).resolve().parent / "data" / "spot_advisor.json"
FORMAT = "cloudspend-spot-advisor/1"
UNKNOWN = "unknown"


class AdvisorFileError(ValueError):
    """A spot advisor file in neither format."""


@dataclass(frozen=True)
class Advisor:
    """Interruption buckets per (region, operating system, instance type)."""

    path: str
    as_of: dt.date | None
    source: str
    sample: bool
    buckets: dict[tuple[str, str, str], str] = field(default_factory=dict)

    def bucket(self, region: str | None, system: str | None, sku: str | None) -> str:
        """The bucket of an instance type, or ``unknown``."""
        key = ((region or "").lower(), (system or "linux").lower(), (sku or "").lower())
        return self.buckets.get(key, UNKNOWN)

    def describe(self) -> str:
        kind = "sample data, not from AWS" if self.sample else self.source
        return f"spot advisor file {self.path} as of {self.as_of or 'unknown date'} ({kind})"


def load_advisor(path: str | Path | None = None) -> Advisor:
    """The advisor file at ``path`` (default: the one shipped in ``analysis/data``)."""
    where = Path(path) if path else SHIPPED
    try:
        data = json.loads(where.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise AdvisorFileError(f"spot advisor file {where}: {exc}") from exc
    if isinstance(data, dict) and data.get("format") == FORMAT:
        return _ours(where, data)
    if isinstance(data, dict) and "spot_advisor" in data and "ranges" in data:
        return _aws(where, data)
    raise AdvisorFileError(f"spot advisor file {where}: neither {FORMAT} nor AWS's format")


def _ours(where: Path, data: dict[str, Any]) -> Advisor:
    buckets = {
        (region.lower(), system.lower(), sku.lower()): str(label)
        for region, systems in data.get("regions", {}).items()
        for system, types in systems.items()
        for sku, label in types.items()
    }
    as_of = dt.date.fromisoformat(data["as_of"]) if data.get("as_of") else None
    return Advisor(str(where), as_of, str(data.get("source", "")), bool(data.get("sample")),
                   buckets)  # fmt: skip


def _aws(where: Path, data: dict[str, Any]) -> Advisor:
    labels = {int(r["index"]): str(r["label"]) for r in data["ranges"]}
    buckets = {
        (region.lower(), system.lower(), sku.lower()): labels[int(v["r"])]
        for region, systems in data["spot_advisor"].items()
        for system, types in systems.items()
        for sku, v in types.items()
        if int(v.get("r", -1)) in labels
    }
    modified = dt.datetime.fromtimestamp(where.stat().st_mtime, dt.UTC).date()
    return Advisor(str(where), modified, "AWS Spot Instance Advisor", False, buckets)
