"""CloudWatch utilization: the normalizer on the demo company's recorded GetMetricData responses,
the queries against botocore's model, and the fetch against a seeded moto server."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import boto3
import pytest
from botocore.validate import ParamValidator

from collectors.aws import metrics
from collectors.aws.observe import Observations, observations_from_recorded
from collectors.aws.region import RegionResult, scan_region
from collectors.aws.rows import METRICS
from tests.collectors.aws.moto_server import MotoAws
from tests.collectors.aws.seed import DEMO, REGIONS, WINDOW_END, Seeded, seed_demo

ACCOUNT = "200000000002"
HOURS = 48
NAMES = {
    "cpu_percent",
    "memory_percent",
    "network_in_bytes",
    "network_out_bytes",
    "disk_read_iops",
    "disk_write_iops",
    "connections",
    "requests",
}
Key = tuple[str, str, dt.datetime]


def rows_by_key(rows: list[dict[str, Any]]) -> dict[Key, dict[str, Any]]:
    return {(r["resource_id"], r["metric"], r["hour"]): r for r in rows}


def recorded_values(name: str, query_id: str) -> dict[dt.datetime, float]:
    """Hour -> value of one query in one recorded response file."""
    page = json.loads((DEMO / "metrics" / f"cloudwatch.GetMetricData_{name}.json").read_text())
    (result,) = [r for r in page["MetricDataResults"] if r["Id"] == query_id]
    stamps = [dt.datetime.fromisoformat(t) for t in result["Timestamps"]]
    return dict(zip(stamps, result["Values"], strict=True))


@pytest.fixture(scope="module")
def recorded() -> Observations:
    return observations_from_recorded(DEMO)


@pytest.fixture(scope="module")
def recorded_rows(recorded: Observations) -> dict[Key, dict[str, Any]]:
    return rows_by_key(recorded.metrics.to_pylist())


def test_recorded_metrics_have_the_warehouse_columns_and_names(recorded: Observations) -> None:
    assert recorded.metrics.schema.equals(METRICS)
    rows = recorded.metrics.to_pylist()
    assert {r["metric"] for r in rows} <= NAMES
    cpu = [r for r in rows if r["metric"] == "cpu_percent"]
    assert all(0 <= r["avg_value"] <= r["max_value"] <= 100 for r in cpu)


def test_recorded_cpu_is_the_hourly_average_and_maximum(recorded_rows: dict[Key, Any]) -> None:
    name = "300000000003_us-east-1_i-591034d8691bcc1fe"  # the planted idle VM
    average, peak = recorded_values(name, "cpu_avg"), recorded_values(name, "cpu_max")
    assert len(average) == 720
    for hour, value in average.items():
        row = recorded_rows[("i-591034d8691bcc1fe", "cpu_percent", hour)]
        assert (row["avg_value"], row["max_value"], row["samples"]) == (value, peak[hour], 1)


def test_recorded_network_memory_and_databases(recorded_rows: dict[Key, Any]) -> None:
    name = "200000000002_eu-west-1_i-606f57397dffe5894"
    for hour, value in recorded_values(name, "net_in").items():
        assert (
            recorded_rows[("i-606f57397dffe5894", "network_in_bytes", hour)]["avg_value"] == value
        )
    memory = [k for k in recorded_rows if k[1] == "memory_percent"]
    assert memory
    assert all(k[0].startswith("i-") for k in memory)
    db = "arn:aws:rds:eu-west-1:300000000003:db:dev-idle-db-1"
    connections = [v for k, v in recorded_rows.items() if k[:2] == (db, "connections")]
    assert len(connections) == 720
    assert {r["avg_value"] for r in connections} == {0.0}


def test_hours_without_requests_count_as_zero(recorded_rows: dict[Key, Any]) -> None:
    lbs = {k[0] for k in recorded_rows if k[1] == "requests"}
    (idle,) = [lb for lb in lbs if "prod-idle-lb-1" in lb]
    rows = [v for k, v in recorded_rows.items() if k[:2] == (idle, "requests")]
    assert len(rows) == 720
    assert {(r["avg_value"], r["samples"]) for r in rows} == {(0.0, 0)}
    (busy,) = lbs - {idle}
    busy_rows = [v for k, v in recorded_rows.items() if k[:2] == (busy, "requests")]
    assert len(busy_rows) == 720
    assert sum(r["samples"] for r in busy_rows) == len(
        recorded_values("200000000002_eu-west-1_prod-busy-lb-1", "requests")
    )


def test_queries_are_valid_getmetricdata_requests(recorded: Observations) -> None:
    rows = recorded.resources.to_pylist()
    memory = {"i-606f57397dffe5894": [{"Name": "InstanceId", "Value": "i-606f57397dffe5894"}]}
    queries = metrics.build_queries(rows, memory)
    ids = [q["Id"] for q in queries]
    assert len(ids) == len(set(ids))
    stats = [q["MetricStat"] for q in queries]
    assert {s["Period"] for s in stats} == {metrics.PERIOD}
    per_kind = {
        r["resource_type"]
        for r in rows
        if any(d["Value"] in r["resource_id"] for s in stats for d in s["Metric"]["Dimensions"])
    }
    assert per_kind == {"vm", "disk", "db", "lb"}
    detached = [
        r["resource_id"] for r in rows if r["resource_type"] == "disk" and not r["attached_to"]
    ]
    dims = {d["Value"] for s in stats for d in s["Metric"]["Dimensions"]}
    assert not dims & set(detached)
    assert sum(s["Metric"]["Namespace"] == "CWAgent" for s in stats) == 2
    cloudwatch = boto3.client(
        "cloudwatch", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    shape = cloudwatch.meta.service_model.operation_model("GetMetricData").input_shape
    request = {
        "MetricDataQueries": queries[: metrics.MAX_QUERIES],
        "StartTime": WINDOW_END,
        "EndTime": WINDOW_END,
        "ScanBy": "TimestampAscending",
    }
    report = ParamValidator().validate(request, shape)
    assert not report.has_errors(), report.generate_report()


def test_memory_is_queried_by_the_dimensions_naming_the_current_type() -> None:
    def dims(**values: str) -> list[dict[str, str]]:
        return [{"Name": k, "Value": v} for k, v in values.items()]

    listed = (
        dims(InstanceId="i-1", InstanceType="m5.large"),
        dims(InstanceId="i-1", InstanceType="m5.xlarge"),
        dims(InstanceId="i-2", ImageId="ami-1", InstanceType="t3.small"),
        dims(InstanceId="i-2"),
    )
    page = {
        "Metrics": [
            {"Namespace": "CWAgent", "MetricName": "mem_used_percent", "Dimensions": d}
            for d in listed
        ]
    }
    chosen = metrics.memory_dimensions([page], {"i-1": "m5.xlarge", "i-2": "t3.small"})
    assert chosen["i-1"] == dims(InstanceId="i-1", InstanceType="m5.xlarge")
    assert chosen["i-2"] == dims(InstanceId="i-2")


def test_the_window_is_whole_hours_before_now() -> None:
    window = metrics.Window.ending(dt.datetime(2026, 11, 1, 5, 42, tzinfo=dt.UTC), 2)
    assert window.end == dt.datetime(2026, 11, 1, 5, tzinfo=dt.UTC)
    assert len(window.hours()) == 48
    assert window.hours(window.end - dt.timedelta(minutes=90))[0] == window.end - dt.timedelta(
        hours=2
    )
    assert window.hours(window.end) == []


@pytest.fixture(scope="module")
def seeded(moto_aws: MotoAws) -> Seeded:
    return seed_demo(moto_aws, metric_hours=HOURS, accounts=(ACCOUNT,))


@pytest.fixture(scope="module")
def scanned(moto_aws: MotoAws, seeded: Seeded) -> list[RegionResult]:
    clients = moto_aws.clients(accounts=[ACCOUNT], lookback_days=HOURS // 24)
    return [scan_region(clients, ACCOUNT, region, seeded.now) for region in REGIONS]


@pytest.mark.slow
def test_moto_metrics_equal_the_recorded_ones(
    scanned: list[RegionResult], seeded: Seeded, recorded_rows: dict[Key, Any]
) -> None:
    assert [p for r in scanned for p in r.problems] == []
    got = rows_by_key([m for r in scanned for m in r.metrics])
    since = seeded.now - dt.timedelta(hours=HOURS)
    wanted = {
        k: v
        for k, v in recorded_rows.items()
        if k[2] >= since and v["samples"] and ACCOUNT in str(v["account_id"])
    }
    metric_names = {k[1] for k in wanted}
    assert metric_names == {
        "cpu_percent",
        "memory_percent",
        "network_in_bytes",
        "network_out_bytes",
        "connections",
        "requests",
    }
    for (rid, name, hour), row in wanted.items():
        mine = got.pop((seeded.moto(rid), name, hour))
        for column in ("avg_value", "max_value"):
            if row[column] is not None:  # the recording asked fewer statistics than we do
                assert mine[column] == pytest.approx(row[column]), (rid, name, hour, column)
    assert not got, "nothing beyond the seeded datapoints"


def test_metric_data_is_asked_500_queries_at_a_time(moto_aws: MotoAws, faults: Any) -> None:
    ec2 = moto_aws.client("ec2", "eu-central-1", "400000000004")
    made = ec2.run_instances(
        ImageId="ami-12345678", MinCount=90, MaxCount=90, InstanceType="m5.large"
    )
    ids = [i["InstanceId"] for i in made["Instances"]]
    hour = WINDOW_END - dt.timedelta(hours=3)
    cloudwatch = moto_aws.client("cloudwatch", "eu-central-1", "400000000004")
    for iid, value in ((ids[0], 7.0), (ids[-1], 9.0)):
        cloudwatch.put_metric_data(
            Namespace="AWS/EC2",
            MetricData=[
                {
                    "MetricName": "CPUUtilization",
                    "Dimensions": [{"Name": "InstanceId", "Value": iid}],
                    "Timestamp": hour,
                    "Value": value,
                    "Unit": "Percent",
                }
            ],
        )
    rows = [
        {
            "resource_type": "vm",
            "resource_id": i,
            "attributes": [],
            "sku": "m5.large",
            "attached_to": None,
        }
        for i in ids
    ]
    queries = metrics.build_queries(rows, {})
    assert len(queries) == 6 * 90
    window = metrics.Window.ending(WINDOW_END, 1)
    pages = metrics.fetch_metric_data(cloudwatch, queries, window.start, window.end)
    asked = [json.loads(c.body) for c in faults.calls if c.action == "GetMetricData"]
    assert [len(a["MetricDataQueries"]) for a in asked] == [500, 40]
    got = metrics.metric_rows("400000000004", "eu-central-1", queries, pages, window, WINDOW_END)
    cpu = {(r["resource_id"], r["avg_value"], r["max_value"]) for r in got}
    assert cpu == {(ids[0], 7.0, 7.0), (ids[-1], 9.0, 9.0)}
