"""Which VMs may run on spot: the configurable rules that make a VM eligible (the first one
that matches is the finding's rule; every match is evidence), and the exclusions that never
allow it (already spot, GPU, attached data volumes, stateful tags, not running)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from analysis.idle_common import marker
from analysis.spot_params import SpotParams

SCALING_GROUP, NODE_GROUP, BATCH, NON_PROD, SHORT_LIVED = (
    "scaling_group", "node_group", "batch_tag", "non_production_tag", "short_lived",
)  # fmt: skip
SPOT_MARKS = {"lifecycle": {"spot"}, "provisioning_model": {"spot", "preemptible"},
              "priority": {"spot", "low"}}  # fmt: skip
BOOT_ATTRIBUTES = {"boot": "true", "delete_on_termination": "true", "os_disk": "true"}


def _norm(text: str) -> str:
    return "".join(c for c in text.casefold() if c not in "-_ ")


def tagged(tags: Mapping[str, str] | None, keys: Sequence[str], values: Sequence[str]) -> str:
    """``key=value`` of the first tag whose key (normalized) and value (case-blind) match."""
    wanted_keys, wanted_values = {_norm(k) for k in keys}, {v.casefold() for v in values}
    for key, value in (tags or {}).items():
        if _norm(key) in wanted_keys and (value or "").casefold() in wanted_values:
            return f"{key}={value}"
    return ""


def lifetime_hours(row: Mapping[str, Any]) -> float | None:
    """Hours from creation to the last sign of life (metrics, else the bill)."""
    if row["created_at"] is None or row["last_alive"] is None:
        return None
    return float((row["last_alive"] - row["created_at"]).total_seconds() / 3600)


def matches(row: Mapping[str, Any], p: SpotParams) -> list[tuple[str, str]]:
    """Every enabled rule the VM meets, in the configured order, with what met it."""
    found: list[tuple[str, str]] = []
    for rule in p.rules:
        detail = _detail(rule, row, p)
        if detail:
            found.append((rule, detail))
    return found


def _detail(rule: str, row: Mapping[str, Any], p: SpotParams) -> str:
    tags = row["tags"]
    if rule == SCALING_GROUP:
        return str(row["scaling_group"] or "")
    if rule == NODE_GROUP:
        return marker(tags, row["attributes"], p.node_group_markers) or ""
    if rule == BATCH:
        return tagged(tags, p.batch_tag_keys, p.batch_tag_values)
    if rule == NON_PROD:
        return tagged(tags, p.non_production_tag_keys, p.non_production_tag_values)
    hours = lifetime_hours(row)
    ended = bool(row["stopped"])
    if rule == SHORT_LIVED and ended and hours is not None and hours < p.short_lived_hours:
        return f"lived {hours:.1f} h (< {p.short_lived_hours:g} h)"
    return ""


def already_spot(row: Mapping[str, Any]) -> str:
    """Why the VM already runs on spot (inventory marks, or only spot usage in the bill)."""
    attributes = row["attributes"] or {}
    for key, values in SPOT_MARKS.items():
        if (attributes.get(key) or "").casefold() in values:
            return f"{key}={attributes[key]}"
    if (row["spot_cost"] or 0) > 0 and not (row["od_cost"] or 0):
        return "billed at spot (Dynamic) pricing only"
    return ""


def gpu(row: Mapping[str, Any], p: SpotParams) -> str:
    count = float((row["attributes"] or {}).get("gpu_count") or 0)
    sku = (row["sku"] or "").lower()
    return f"GPU VM ({row['sku']})" if count > 0 or sku.startswith(tuple(p.gpu_markers)) else ""


def data_disks(disks: Sequence[Mapping[str, Any]], p: SpotParams) -> list[str]:
    """Attached disks that are not the boot disk: marked boot disks are ephemeral; with none
    marked, the first ``boot_disks_assumed`` attached disks are taken to be the boot disk."""
    marked = [d for d in disks if _boot(d, p)]
    others = [str(d["resource_id"]) for d in disks if d not in marked]
    return others if marked else others[p.boot_disks_assumed :]


def _boot(disk: Mapping[str, Any], p: SpotParams) -> bool:
    attributes = {k.lower(): (v or "").lower() for k, v in (disk["attributes"] or {}).items()}
    if any(attributes.get(k) == v for k, v in BOOT_ATTRIBUTES.items()):
        return True
    name = str(disk["resource_id"]).rsplit("/", 1)[-1].lower()
    return any(m.lower() in name for m in p.boot_disk_markers)


def exclusion(row: Mapping[str, Any], disks: Sequence[Mapping[str, Any]], p: SpotParams) -> str:
    """Why the VM is never a spot candidate, if it is not."""
    spot = already_spot(row)
    if spot:
        return f"already spot: {spot}"
    if not p.include_gpu and gpu(row, p):
        return gpu(row, p)
    stateful = tagged(row["tags"], list(row["tags"] or {}), p.stateful_tag_values)
    if stateful:
        return f"stateful workload tag {stateful}"
    volumes = data_disks(disks, p)
    return f"attached data volume(s): {', '.join(volumes)}" if volumes else ""
