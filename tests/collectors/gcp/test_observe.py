"""GCP observations: the real Google clients (REST and gRPC) against the fakes replaying the demo
company, compared with the same normalizers run on the recorded files; paging, retries,
refused projects and parts; storing into a warehouse."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import grpc  # type: ignore[import-untyped]
import pytest

from collectors.gcp.billing_accounts import project_ids
from collectors.gcp.observe import Observations, collect_observations, observations_from_recorded
from collectors.gcp.prices import fetch_skus
from collectors.gcp.rows import METRICS, PRICES, RESOURCES
from collectors.store import store_observations
from tests.collectors.gcp.fakes import DEMO, GcpFakes, gcp_fakes
from warehouse.db import Warehouse

__all__ = ["gcp_fakes"]
NOW = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)  # the end of the recorded metric window
DEV, PROD = "example-dev-4712", "example-prod-4711"
COMPUTE_SKUS = "/v1/services/6F81-5844-456A/skus"


def collect(fakes: GcpFakes, **settings: Any) -> Observations:
    with fakes.clients(**{"lookback_days": 1, **settings}) as clients:
        return collect_observations(clients, clients.settings, NOW)


def _rows(table: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = table.to_pylist()
    for row in rows:
        row.pop("collected_at")
    return rows


@pytest.fixture(scope="module")
def recorded() -> Observations:
    return observations_from_recorded(DEMO)


@pytest.fixture(scope="module")
def live(gcp_fakes: GcpFakes) -> Observations:
    gcp_fakes.reset()
    return collect(gcp_fakes)


def test_live_equals_the_recorded_normalization(live: Observations, recorded: Observations
                                                ) -> None:  # fmt: skip
    assert live.problems == []
    assert live.resources.schema.equals(RESOURCES)
    assert live.metrics.schema.equals(METRICS)
    assert live.prices.schema.equals(PRICES)
    assert _rows(live.resources) == _rows(recorded.resources)
    assert _rows(live.prices) == _rows(recorded.prices)
    start = NOW - dt.timedelta(days=1)
    want = [r for r in _rows(recorded.metrics) if r["hour"] >= start]
    assert _rows(live.metrics) == want
    assert len(want) == 24 * (16 * 3 + 8 + 2 * 2 + 2)  # VMs, memory agents, SQL, LBs
    assert live.scopes == recorded.scopes


def test_every_page_was_read(gcp_fakes: GcpFakes, live: Observations) -> None:
    for path in (r"/aggregated/instances$", r"/aggregated/disks$", r"/global/snapshots$",
                 COMPUTE_SKUS, r"/billingAccounts/[^/]+/projects$"):  # fmt: skip
        tokens = [r.query.get("pageToken") for r in gcp_fakes.rest.hits(path)]
        assert None in tokens, path
        assert ["p2"] in tokens, path
    assert any(r.page_token for r in gcp_fakes.monitoring.requests)
    first = gcp_fakes.monitoring.requests[0]
    assert first.aggregation.alignment_period.total_seconds() == 3600
    assert first.interval.end_time == NOW


def test_a_throttled_catalogue_call_is_retried(gcp_fakes: GcpFakes) -> None:
    gcp_fakes.reset()
    gcp_fakes.rest.fail(COMPUTE_SKUS + "$", 429, times=2)
    with gcp_fakes.clients() as clients:
        skus = list(fetch_skus(clients, "services/6F81-5844-456A"))
    assert len(skus) > 10
    first_pages = [r for r in gcp_fakes.rest.hits(COMPUTE_SKUS) if "pageToken" not in r.query]
    assert len(first_pages) == 3
    assert all(r.query["currencyCode"] == ["USD"] for r in first_pages)


def test_a_refused_project_is_a_problem_and_the_other_loads(gcp_fakes: GcpFakes) -> None:
    gcp_fakes.reset()
    gcp_fakes.rest.fail(rf"/compute/v1/projects/{DEV}/.*", 403, times=100)
    got = collect(gcp_fakes)
    assert [(p.project, p.service) for p in got.problems] == [(DEV, "project")]
    assert got.problems[0].message.startswith("403 ")
    assert {r["account_id"] for r in got.resources.to_pylist()} == {PROD}
    assert {s.account_id for s in got.scopes} == {PROD}
    assert {r["account_id"] for r in got.metrics.to_pylist()} == {PROD}


def test_a_failed_part_loses_only_that_part(gcp_fakes: GcpFakes) -> None:
    gcp_fakes.reset()
    gcp_fakes.rest.fail(rf"/compute/v1/projects/{PROD}/aggregated/addresses", 403)
    gcp_fakes.monitoring.fail(DEV, grpc.StatusCode.PERMISSION_DENIED, times=100)
    got = collect(gcp_fakes, projects=[DEV, PROD])
    assert [(p.project, p.service) for p in got.problems] == [(DEV, "metrics"), (PROD, "addresses")]
    kinds = {(s.account_id, s.resource_type) for s in got.scopes}
    assert (PROD, "ip") not in kinds
    assert (PROD, "vm") in kinds
    assert (DEV, "ip") in kinds
    assert {r["account_id"] for r in got.metrics.to_pylist()} == {PROD}
    assert not gcp_fakes.rest.hits("/billingAccounts")  # configured projects: no listing


def test_without_an_account_every_open_account_is_read(gcp_fakes: GcpFakes) -> None:
    gcp_fakes.reset()
    with gcp_fakes.clients(billing_account=None) as clients:
        assert project_ids(clients) == [DEV, PROD]
    assert gcp_fakes.rest.hits(r"/v1/billingAccounts$")


def test_stores_into_the_warehouse(live: Observations, tmp_path: Path) -> None:
    stored = store_observations(Warehouse(tmp_path / "w.duckdb"), live)
    assert stored["resources"].inserted == live.resources.num_rows == 27
    assert stored["metrics"].inserted == live.metrics.num_rows
    assert stored["prices"].inserted == live.prices.num_rows
    again = store_observations(Warehouse(tmp_path / "w.duckdb"), live)
    assert again["resources"].deleted == 27
    assert again["metrics"].deleted == live.metrics.num_rows


@pytest.mark.slow
def test_thirty_days_of_metrics_equal_the_recording(gcp_fakes: GcpFakes,
                                                    recorded: Observations) -> None:  # fmt: skip
    gcp_fakes.reset()
    got = collect(gcp_fakes, lookback_days=30)
    assert _rows(got.metrics) == _rows(recorded.metrics)
