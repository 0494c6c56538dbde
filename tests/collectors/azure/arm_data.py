"""The demo company's recorded Azure responses (``fixtures/demo/azure``), indexed for the fake
ARM server: inventory lists per subscription, metrics per (resource, metric names), retail price
items; plus what the recordings lack, built from the same company (resource groups, power states,
VM sizes from the catalogue)."""

from __future__ import annotations

import gzip
import json
from functools import cached_property
from pathlib import Path
from typing import Any

from fixtures.catalog import SKUS

DEMO = Path(__file__).resolve().parents[3] / "fixtures" / "demo" / "azure"
LISTS = {
    "microsoft.compute/virtualmachines": "virtual_machines",
    "microsoft.compute/disks": "disks",
    "microsoft.compute/snapshots": "snapshots",
    "microsoft.network/publicipaddresses": "public_ip_addresses",
    "microsoft.network/loadbalancers": "load_balancers",
    "microsoft.network/networkinterfaces": "network_interfaces",
    "microsoft.sql/servers/databases": "sql_databases",  # served per server (arm_sql.py)
}
Json = dict[str, Any]


class DemoArm:
    """Read-only views of the recorded demo responses."""

    def __init__(self, root: Path = DEMO) -> None:
        self.root = root
        self.power: dict[str, str] = {}  # lower-case VM id -> PowerState code (default running)
        self.group_tags: dict[str, dict[str, str]] = {}  # lower-case group id -> tags
        self.subscription_tags: dict[str, dict[str, str]] = {}

    @cached_property
    def subscriptions(self) -> list[str]:
        return sorted(p.name for p in (self.root / "inventory").iterdir() if p.is_dir())

    def items(self, subscription: str, kind: str) -> list[Json]:
        path = self.root / "inventory" / subscription / f"{LISTS[kind]}.json"
        return list(json.loads(path.read_text(encoding="utf-8"))["value"])

    def statuses(self, subscription: str) -> list[Json]:
        """virtualMachines.listAll?statusOnly=true: each VM with its instance view only."""
        out = []
        for vm in self.items(subscription, "microsoft.compute/virtualmachines"):
            code = self.power.get(vm["id"].lower(), "PowerState/running")
            statuses = [
                {"code": "ProvisioningState/succeeded", "level": "Info"},
                {"code": code, "level": "Info", "displayStatus": code.split("/")[1]},
            ]
            keep = {k: vm[k] for k in ("name", "id", "type", "location")}
            out.append({**keep, "properties": {"instanceView": {"statuses": statuses}}})
        return out

    def groups(self, subscription: str) -> list[Json]:
        """resourceGroups.list: every group the recorded resources lie in."""
        found: dict[str, Json] = {}
        for kind in LISTS:
            for item in self.items(subscription, kind):
                group_id = item["id"].split("/providers/")[0]
                found.setdefault(group_id.lower(), {
                    "id": group_id, "name": group_id.rsplit("/", 1)[1],
                    "type": "Microsoft.Resources/resourceGroups", "location": item["location"],
                    "properties": {"provisioningState": "Succeeded"},
                })  # fmt: skip
        for key, group in found.items():
            if key in self.group_tags:
                group["tags"] = self.group_tags[key]
        return [found[k] for k in sorted(found)]

    def subscription(self, subscription: str) -> Json:
        body: Json = {
            "id": f"/subscriptions/{subscription}",
            "subscriptionId": subscription,
            "displayName": f"demo-{subscription[-4:]}",
            "state": "Enabled",
            "tenantId": "72f988bf-0000-4000-8000-000000000000",
        }
        if subscription in self.subscription_tags:
            body["tags"] = self.subscription_tags[subscription]
        return body

    @staticmethod
    def vm_sizes() -> list[Json]:
        return [
            {"name": s.name, "numberOfCores": s.vcpu, "memoryInMB": int(s.memory_gib * 1024),
             "maxDataDiskCount": 8, "osDiskSizeInMB": 1047552, "resourceDiskSizeInMB": 0}
            for s in SKUS if s.provider == "azure" and s.kind == "vm"
        ]  # fmt: skip

    @cached_property
    def metric_files(self) -> dict[tuple[str, str], Path]:
        index = json.loads((self.root / "metrics" / "index.json").read_text(encoding="utf-8"))
        return {
            (r["resourceUri"].lower(), r["metricnames"]): self.root / "metrics" / r["file"]
            for r in index["requests"]
        }

    def metrics(self, resource_uri: str, names: str) -> Json | None:
        path = self.metric_files.get((resource_uri.lower(), names))
        if path is None:
            return None
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            return dict(json.load(handle))

    @cached_property
    def price_items(self) -> list[Json]:
        index = json.loads((self.root / "prices" / "index.json").read_text(encoding="utf-8"))
        items: list[Json] = []
        for request in index["requests"]:
            body = json.loads((self.root / "prices" / request["file"]).read_text("utf-8"))
            items += body["Items"]
        return items
