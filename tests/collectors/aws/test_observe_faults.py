"""Faults while observing an organization: throttling, a role that cannot be assumed, an empty
region, an opt-in region that is not enabled, an unreachable endpoint, a refused price list; and
what the warehouse keeps when part of a collection fails.

The moto server's fault layer answers chosen calls with AWS's own errors before moto sees them.
Pricing (not in moto) is refused throughout this module, which is itself one of the faults.
"""

from __future__ import annotations

import datetime as dt
import socket
from typing import Any

import pyarrow as pa
import pytest

from collectors.aws.observe import Observations, Problem, collect_observations
from collectors.aws.rows import PROVIDER
from tests.collectors.aws.moto_server import Fault, Faults, MotoAws
from tests.collectors.aws.seed import Seeded, seed_demo
from warehouse.db import Warehouse
from warehouse.errors import InputError
from warehouse.observations import ResourceScope, load_metrics, load_prices, load_resources

PROD, DEV = "200000000002", "300000000003"
KINDS = {"vm", "disk", "snapshot", "ip", "lb", "db"}


@pytest.fixture(scope="module")
def seeded(moto_aws: MotoAws) -> Seeded:
    return seed_demo(moto_aws, metric_hours=2, accounts=(PROD, DEV), regions=("us-east-1",))


@pytest.fixture
def refused(faults: Faults) -> Faults:
    """The fault layer, with the Price List API refusing every call."""
    faults.add(Fault("AccessDeniedException", service="pricing"))
    return faults


def collect(aws: MotoAws, seeded: Seeded, **config: Any) -> Observations:
    values = {"accounts": [PROD, DEV], "regions": ["us-east-1"], "lookback_days": 1} | config
    return collect_observations(aws.clients(**values), seeded.now)


def problems(got: Observations) -> list[Problem]:
    """The problems other than the refused price list."""
    return [p for p in got.problems if p.service != "pricing"]


def scopes(got: Observations) -> set[tuple[str, str, str]]:
    return {(s.account_id, s.region, s.resource_type) for s in got.scopes}


def ids(got: Observations, **match: str) -> set[str]:
    rows = got.resources.to_pylist()
    return {r["resource_id"] for r in rows if all(r[k] == v for k, v in match.items())}


@pytest.fixture(scope="module")
def clean(moto_aws: MotoAws, seeded: Seeded) -> Observations:
    moto_aws.faults.add(Fault("AccessDeniedException", service="pricing"))
    got = collect(moto_aws, seeded)
    moto_aws.faults.clear()
    assert problems(got) == []
    return got


def test_a_refused_price_list_is_a_problem_and_the_rest_loads(
    moto_aws: MotoAws, seeded: Seeded, refused: Faults
) -> None:
    got = collect(moto_aws, seeded)
    priced = {p.message.split(":")[0] for p in got.problems if p.service == "pricing"}
    assert priced == {"AmazonEC2", "AWSELB", "AmazonVPC"}
    assert all("AccessDeniedException" in p.message for p in got.problems)
    assert scopes(got) == {(a, "us-east-1", k) for a in (PROD, DEV) for k in KINDS}
    assert {r["pricing_model"] for r in got.prices.to_pylist()} == {"spot"}
    assert got.metrics.num_rows > 0


def test_throttled_calls_are_retried_and_succeed(
    moto_aws: MotoAws, seeded: Seeded, clean: Observations, refused: Faults
) -> None:
    throttles = [
        refused.add(Fault("RequestLimitExceeded", 503, "ec2", "DescribeInstances", times=1)),
        refused.add(
            Fault("Throttling", 400, "elasticloadbalancing", "DescribeLoadBalancers", times=1)
        ),
        refused.add(Fault("ThrottlingException", 400, "monitoring", "GetMetricData", times=1)),
    ]
    got = collect(moto_aws, seeded, max_attempts=3)
    assert problems(got) == []
    assert [f.hits for f in throttles] == [1, 1, 1]
    assert ids(got) == ids(clean)
    assert got.metrics.num_rows == clean.metrics.num_rows
    described = [c for c in refused.calls if c.action == "DescribeInstances"]
    assert len(described) == 3  # two accounts, one of them twice


def test_throttling_that_does_not_stop_costs_only_that_service(
    moto_aws: MotoAws, seeded: Seeded, clean: Observations, refused: Faults
) -> None:
    refused.add(Fault("Throttling", 400, "rds", "DescribeDBInstances", body_contains="DBInstances"))
    got = collect(moto_aws, seeded)
    assert {(p.account_id, p.service) for p in problems(got)} == {(PROD, "rds"), (DEV, "rds")}
    assert all(p.message.startswith("Throttling:") for p in problems(got))
    assert scopes(got) == {(a, "us-east-1", k) for a in (PROD, DEV) for k in KINDS - {"db"}}
    assert ids(got) == ids(clean)  # no database in us-east-1 anyway; the rest is all there


def test_a_role_that_cannot_be_assumed_skips_only_that_account(
    moto_aws: MotoAws, seeded: Seeded, clean: Observations, refused: Faults
) -> None:
    refused.add(Fault("AccessDenied", 403, "sts", "AssumeRole", body_contains=DEV))
    got = collect(moto_aws, seeded)
    (problem,) = problems(got)
    assert (problem.account_id, problem.region, problem.service) == (DEV, None, "sts")
    assert problem.message.startswith("AccessDenied:")
    assert {a for a, _, _ in scopes(got)} == {PROD}
    assert ids(got) == ids(clean, account_id=PROD)
    assert {r["account_id"] for r in got.metrics.to_pylist()} == {PROD}


def test_an_empty_region_is_read_and_holds_nothing(
    moto_aws: MotoAws, seeded: Seeded, clean: Observations, refused: Faults
) -> None:
    got = collect(moto_aws, seeded, regions=["us-east-1", "ca-central-1"])
    assert problems(got) == []
    assert {(a, "ca-central-1", k) for a in (PROD, DEV) for k in KINDS} <= scopes(got)
    assert ids(got, region="ca-central-1") == set()
    assert ids(got) == ids(clean)


@pytest.mark.parametrize("code", ["AuthFailure", "OptInRequired"])
def test_a_disabled_opt_in_region_is_one_problem(
    moto_aws: MotoAws, seeded: Seeded, clean: Observations, refused: Faults, code: str
) -> None:
    refused.add(Fault(code, 401 if code == "AuthFailure" else 403, "ec2", region="ap-east-1"))
    got = collect(moto_aws, seeded, regions=["us-east-1", "ap-east-1"])
    assert sorted((p.account_id, p.region, p.service) for p in problems(got)) == [
        (PROD, "ap-east-1", "ec2"),
        (DEV, "ap-east-1", "ec2"),
    ]
    assert all(p.message.startswith(f"{code}:") for p in problems(got))
    assert {r for _, r, _ in scopes(got)} == {"us-east-1"}
    assert ids(got) == ids(clean)
    asked = {c.action for c in refused.calls if c.region == "ap-east-1"}
    assert asked == {"DescribeInstances"}  # nothing more is tried in that region


def test_an_unreachable_endpoint_ends_the_region_keeping_what_was_read(
    moto_aws: MotoAws, seeded: Seeded, clean: Observations, refused: Faults
) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    endpoints = dict(moto_aws.config().endpoints, elbv2=f"http://127.0.0.1:{port}")
    clients = moto_aws.clients(
        accounts=[PROD], regions=["us-east-1"], lookback_days=1, endpoints=endpoints
    )
    got = collect_observations(clients, seeded.now)
    (problem,) = problems(got)
    assert (problem.account_id, problem.region, problem.service) == (PROD, "us-east-1", "elbv2")
    assert "EndpointConnectionError" in problem.message
    assert scopes(got) == {(PROD, "us-east-1", k) for k in KINDS - {"lb", "db"}}
    assert ids(got) == ids(clean, account_id=PROD) - ids(clean, resource_type="lb")


def test_progress_is_told_per_region(moto_aws: MotoAws, seeded: Seeded, refused: Faults) -> None:
    told: list[tuple[str, int, int]] = []
    clients = moto_aws.clients(accounts=[PROD, DEV], regions=["us-east-1"], lookback_days=1)
    collect_observations(clients, seeded.now, lambda *said: told.append(said))
    assert sorted((done, total) for _, done, total in told) == [(1, 2), (2, 2)]
    assert sorted(m.split(":")[0] for m, _, _ in told) == [f"{PROD} us-east-1", f"{DEV} us-east-1"]


def store(warehouse: Warehouse, got: Observations) -> None:
    with warehouse.write() as con:
        con.execute("BEGIN TRANSACTION")
        load_resources(con, got.resources, got.scopes)
        load_metrics(con, got.metrics)
        load_prices(con, got.prices)
        con.execute("COMMIT")


def counts(warehouse: Warehouse) -> dict[str, list[tuple[Any, ...]]]:
    with warehouse.read() as con:
        return {
            table: con.execute(
                f"SELECT account_id, count(*), min(collected_at) FROM {table} GROUP BY ALL"
                " ORDER BY ALL"
            ).fetchall()
            for table in ("resources", "metrics")
        }


def test_failed_scopes_keep_their_rows_and_loads_never_double(
    moto_aws: MotoAws, seeded: Seeded, clean: Observations, refused: Faults, warehouse: Warehouse
) -> None:
    store(warehouse, clean)
    first = counts(warehouse)
    refused.add(Fault("AccessDenied", 403, "sts", "AssumeRole", body_contains=DEV))
    later = seeded.now + dt.timedelta(hours=1)
    again = collect_observations(
        moto_aws.clients(accounts=[PROD, DEV], regions=["us-east-1"], lookback_days=1), later
    )
    store(warehouse, again)
    second = counts(warehouse)
    dev = [row for row in first["resources"] if row[0] == DEV]
    assert dev == [row for row in second["resources"] if row[0] == DEV]  # untouched
    (prod,) = [row for row in second["resources"] if row[0] == PROD]
    assert prod[1:] == (len(ids(clean, account_id=PROD)), later)
    assert [r[:2] for r in second["metrics"]] == [r[:2] for r in first["metrics"]]


def test_loads_refuse_rows_they_cannot_place(clean: Observations, warehouse: Warehouse) -> None:
    with warehouse.write() as con:
        outside = [ResourceScope(PROVIDER, PROD, "us-east-1", "vm")]
        with pytest.raises(InputError, match="outside the scopes"):
            load_resources(con, clean.resources, outside)
        doubled = clean.metrics.slice(0, 1)
        with pytest.raises(InputError, match="repeat a key"):
            load_metrics(con, pa.concat_tables([doubled, doubled]))
        with pytest.raises(InputError, match="missing columns"):
            load_prices(con, clean.prices.drop_columns(["unit"]))
        assert con.execute("SELECT count(*) FROM metrics").fetchall() == [(0,)]
        relation = con.from_arrow(clean.prices)  # DuckDB relations load as well
        assert load_prices(con, relation).inserted == clean.prices.num_rows
