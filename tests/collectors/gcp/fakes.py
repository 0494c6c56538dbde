"""The demo company's Google Cloud behind fakes: the REST fake (Compute Engine, Cloud SQL
Admin, Cloud Billing, the catalogue) and the gRPC Cloud Monitoring fake, both seeded from
``fixtures/demo/gcp``.

Every list is served over two pages (``nextPageToken``), every body checked against its proto
message (Cloud SQL Admin has none installed). Fixture ``gcp_fakes`` (module scope) starts both.
``gcp_fakes.settings(**overrides)`` is a ``GcpConfig`` pointing at them (the demo company's
billing account and no ``projects``, so the linked projects are listed; fast retries);
``gcp_fakes.clients(**overrides)`` a ``GcpClients`` with ``AnonymousCredentials``. Reuse it from
another test module with ``from tests.collectors.gcp.fakes import gcp_fakes`` (and list it in
``__all__``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud import billing_v1, compute_v1

from collectors.gcp.clients import GcpClients
from collectors.gcp.settings import GcpConfig, GcpEndpoints, GcpRetry
from tests.collectors.gcp.grpc_monitoring import FakeMonitoring
from tests.collectors.gcp.rest_server import FakeRest, Json, Route

DEMO = Path(__file__).resolve().parents[3] / "fixtures" / "demo" / "gcp"
ACCOUNT = "01A2B3-C4D5E6-F7A8B9"
PROJECTS = ("example-dev-4712", "example-prod-4711")
COMPUTE = "/compute/v1/projects/{project}/"
INVENTORY = {  # file -> (path below the project, message, list key)
    "instances_aggregated.json": ("aggregated/instances", compute_v1.InstanceAggregatedList),
    "disks_aggregated.json": ("aggregated/disks", compute_v1.DiskAggregatedList),
    "addresses_aggregated.json": ("aggregated/addresses", compute_v1.AddressAggregatedList),
    "forwarding_rules_aggregated.json": ("aggregated/forwardingRules",
                                         compute_v1.ForwardingRuleAggregatedList),
    "snapshots.json": ("global/snapshots", compute_v1.SnapshotList),
}  # fmt: skip
LIST_KEYS = ("items", "services", "skus", "projectBillingInfo", "billingAccounts")


def _read(path: Path) -> Json:
    body: Json = json.loads(path.read_text(encoding="utf-8"))
    return body


def pages(body: Json, count: int = 2) -> list[Json]:
    """A list answer split over ``count`` pages (``nextPageToken`` p2, p3, ...)."""
    key = next(k for k in LIST_KEYS if k in body)
    items = body[key]
    names = list(items)
    size = max(1, -(-len(names) // count))
    out = []
    for n, at in enumerate(range(0, max(len(names), 1), size)):
        part = names[at : at + size]
        chunk = {k: items[k] for k in part} if isinstance(items, dict) else part
        page = {**{k: v for k, v in body.items() if k != "nextPageToken"}, key: chunk}
        if at + size < len(names):
            page["nextPageToken"] = f"p{n + 2}"
        out.append(page)
    return out


def add_paged(fake: FakeRest, path: str, body: Json, message: Any) -> None:
    """Routes serving ``body`` over two pages: the first without a token, then p2, ..."""
    for n, page in enumerate(pages(body)):
        query = {"pageToken": f"p{n + 1}"} if n else {}
        fake.add(Route("GET", path, [(200, page)], query=query), message, first=bool(n))


def demo_routes(fake: FakeRest, folder: Path = DEMO) -> None:
    """Compute Engine inventory of both projects, the billing account and its project links,
    and the catalogue (services, SKUs)."""
    for project in PROJECTS:
        for name, (below, message) in INVENTORY.items():
            body = _read(folder / "inventory" / project / name)
            add_paged(fake, COMPUTE.format(project=project) + below, body, message)
        sql = _read(folder / "inventory" / project / "sql_instances.json")  # no proto to check
        add_paged(fake, f"/v1/projects/{project}/instances", sql, None)
    links = {"projectBillingInfo": [
        {"name": f"projects/{p}/billingInfo", "projectId": p,
         "billingAccountName": f"billingAccounts/{ACCOUNT}", "billingEnabled": True}
        for p in PROJECTS]}  # fmt: skip
    add_paged(fake, f"/v1/billingAccounts/{ACCOUNT}/projects", links,
              billing_v1.ListProjectBillingInfoResponse)  # fmt: skip
    accounts = {"billingAccounts": [{"name": f"billingAccounts/{ACCOUNT}", "open": True,
                                     "displayName": "Example Corp"}]}  # fmt: skip
    fake.add(Route("GET", "/v1/billingAccounts", [(200, accounts)]),
             billing_v1.ListBillingAccountsResponse)  # fmt: skip
    services = _read(folder / "prices" / "services.json")
    fake.add(Route("GET", "/v1/services", [(200, services)]), billing_v1.ListServicesResponse)
    for path in sorted((folder / "prices").glob("skus-*.json")):
        service = path.stem.removeprefix("skus-")
        add_paged(fake, f"/v1/services/{service}/skus", _read(path), billing_v1.ListSkusResponse)


@dataclass
class GcpFakes:
    rest: FakeRest
    monitoring: FakeMonitoring

    def settings(self, **overrides: Any) -> GcpConfig:
        values: dict[str, Any] = {
            "billing_account": ACCOUNT,
            "endpoints": GcpEndpoints(billing=self.rest.url, compute=self.rest.url,
                                      monitoring=self.monitoring.endpoint, sql=self.rest.url),
            "retry": GcpRetry(initial=0.01, maximum=0.05, multiplier=2.0, timeout=20.0),
        }  # fmt: skip
        return GcpConfig(**{**values, **overrides})

    def clients(self, **overrides: Any) -> GcpClients:
        return GcpClients(self.settings(**overrides), AnonymousCredentials())  # type: ignore[no-untyped-call]

    def reset(self) -> None:
        """Forget requests and faults (the demo routes stay)."""
        with self.rest.lock:
            self.rest.requests.clear()
            self.rest.routes = [r for r in self.rest.routes if r.times is None]
            for route in self.rest.routes:
                route.hits = 0
        self.monitoring.reset()


@pytest.fixture(scope="module")
def gcp_fakes() -> Iterator[GcpFakes]:
    with FakeRest() as rest, FakeMonitoring(DEMO / "metrics") as monitoring:
        demo_routes(rest)
        yield GcpFakes(rest, monitoring)
