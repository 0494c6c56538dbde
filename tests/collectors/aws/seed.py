"""Seed a moto server with the demo company's AWS inventory and CloudWatch data.

Everything comes from the recorded responses in ``fixtures/demo/aws``: instances with their tags
and Auto Scaling groups, volumes (attached or not), snapshots, Elastic IPs, application load
balancers with a target group and the recorded number of healthy targets, RDS instances, and the
last ``metric_hours`` hours of the recorded CloudWatch values. moto assigns its own ids, so
:class:`Seeded` maps the demo ids to moto's (RDS ARNs keep theirs: they are built from names).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.collectors.aws.moto_server import MotoAws

DEMO = Path(__file__).resolve().parents[3] / "fixtures" / "demo" / "aws"
ACCOUNTS = ("100000000001", "200000000002", "300000000003")
REGIONS = ("us-east-1", "eu-west-1", "us-west-2")
WINDOW_END = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)  # the recorded metrics' EndTime
SAMPLES = 12.0  # five-minute samples per hour
BATCH = 500
ROOT = [{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8, "VolumeType": "gp3"}}]  # as the demo's


@dataclass
class Seeded:
    """Demo id -> moto id for every seeded resource; ``now`` ends the seeded metric window."""

    ids: dict[str, str] = field(default_factory=dict)
    now: dt.datetime = WINDOW_END
    metric_hours: int = 0

    def moto(self, demo_id: str) -> str:
        """The moto id of a demo resource (its own id when moto kept it)."""
        return self.ids.get(demo_id, demo_id)


def load(kind: str, operation: str, *parts: str, folder: Path = DEMO) -> dict[str, Any]:
    """One recorded response (empty when not recorded)."""
    path = folder / kind / f"{'_'.join((operation, *parts))}.json"
    return json.loads(path.read_text()) if path.is_file() else {}


def user_tags(tags: list[dict[str, str]] | None) -> list[dict[str, str]]:
    """Tags a user may set (AWS reserves the ``aws:`` prefix)."""
    return [t for t in tags or [] if not t["Key"].startswith("aws:")]


def _spec(kind: str, tags: list[dict[str, str]] | None) -> list[dict[str, Any]]:
    found = user_tags(tags)
    return [{"ResourceType": kind, "Tags": found}] if found else []


class _Region:
    def __init__(self, aws: MotoAws, seeded: Seeded, account: str, region: str) -> None:
        self.aws, self.seeded, self.account, self.region = aws, seeded, account, region
        self.ec2 = self.client("ec2")
        self.subnets: dict[str, str] = {}
        self.types: dict[str, str] = {}  # demo instance id -> instance type
        self.vpc = ""

    def client(self, service: str) -> Any:
        return self.aws.client(service, self.region, self.account)

    def recorded(self, operation: str) -> dict[str, Any]:
        return load("inventory", operation, self.account, self.region)

    def network(self) -> None:
        self.vpc = self.ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        for i, letter in enumerate("ab"):
            zone = f"{self.region}{letter}"
            made = self.ec2.create_subnet(
                VpcId=self.vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=zone
            )
            self.subnets[zone] = made["Subnet"]["SubnetId"]

    def instances(self) -> None:
        for reservation in self.recorded("ec2.DescribeInstances").get("Reservations", []):
            for item in reservation["Instances"]:
                zone = item["Placement"]["AvailabilityZone"]
                made = self.ec2.run_instances(
                    ImageId="ami-12345678",
                    MinCount=1,
                    MaxCount=1,
                    InstanceType=item["InstanceType"],
                    SubnetId=self.subnets[zone],
                    TagSpecifications=_spec("instance", item.get("Tags")),
                    BlockDeviceMappings=ROOT,
                )["Instances"][0]
                self.seeded.ids[item["InstanceId"]] = made["InstanceId"]
                self.types[item["InstanceId"]] = item["InstanceType"]
                if item["State"]["Name"] == "stopped":
                    self.ec2.stop_instances(InstanceIds=[made["InstanceId"]])

    def scaling_groups(self) -> None:
        autoscaling = self.client("autoscaling")
        for group in self.recorded("autoscaling.DescribeAutoScalingGroups").get(
            "AutoScalingGroups", []
        ):
            name = group["AutoScalingGroupName"]
            self.ec2.create_launch_template(
                LaunchTemplateName=name,
                LaunchTemplateData={"ImageId": "ami-12345678", "InstanceType": "m5.large"},
            )
            autoscaling.create_auto_scaling_group(
                AutoScalingGroupName=name,
                LaunchTemplate={"LaunchTemplateName": name},
                MinSize=0,
                MaxSize=10,
                DesiredCapacity=0,
                VPCZoneIdentifier=",".join(self.subnets.values()),
            )
            members = [self.seeded.moto(m["InstanceId"]) for m in group["Instances"]]
            autoscaling.attach_instances(InstanceIds=members, AutoScalingGroupName=name)

    def volumes(self) -> None:
        for item in self.recorded("ec2.DescribeVolumes").get("Volumes", []):
            made = self.ec2.create_volume(
                AvailabilityZone=item["AvailabilityZone"],
                Size=item["Size"],
                VolumeType=item["VolumeType"],
                TagSpecifications=_spec("volume", item.get("Tags")),
            )
            self.seeded.ids[item["VolumeId"]] = made["VolumeId"]
            for attachment in item.get("Attachments", []):
                self.ec2.attach_volume(
                    VolumeId=made["VolumeId"],
                    Device=attachment["Device"],
                    InstanceId=self.seeded.moto(attachment["InstanceId"]),
                )

    def snapshots(self) -> None:
        for item in self.recorded("ec2.DescribeSnapshots").get("Snapshots", []):
            zone = f"{self.region}a"
            source = self.ec2.create_volume(AvailabilityZone=zone, Size=item["VolumeSize"])
            made = self.ec2.create_snapshot(
                VolumeId=source["VolumeId"],
                Description=item.get("Description", ""),
                TagSpecifications=_spec("snapshot", item.get("Tags")),
            )
            self.ec2.delete_volume(VolumeId=source["VolumeId"])
            prefix = f"arn:aws:ec2:{self.region}:{self.account}:snapshot/"
            self.seeded.ids[prefix + item["SnapshotId"]] = prefix + made["SnapshotId"]

    def addresses(self) -> None:
        for item in self.recorded("ec2.DescribeAddresses").get("Addresses", []):
            made = self.ec2.allocate_address(
                Domain="vpc", TagSpecifications=_spec("elastic-ip", item.get("Tags"))
            )
            self.seeded.ids[item["AllocationId"]] = made["AllocationId"]
            if item.get("InstanceId"):
                self.ec2.associate_address(
                    AllocationId=made["AllocationId"],
                    InstanceId=self.seeded.moto(item["InstanceId"]),
                )

    def balancers(self) -> None:
        elbv2 = self.client("elbv2")
        tags = {
            d["ResourceArn"]: user_tags(d["Tags"])
            for d in self.recorded("elbv2.DescribeTags").get("TagDescriptions", [])
        }
        for item in self.recorded("elbv2.DescribeLoadBalancers").get("LoadBalancers", []):
            arn = item["LoadBalancerArn"]
            made = elbv2.create_load_balancer(
                Name=item["LoadBalancerName"],
                Subnets=list(self.subnets.values()),
                Type=item["Type"],
                Scheme=item["Scheme"],
                Tags=tags.get(arn, []),
            )["LoadBalancers"][0]
            self.seeded.ids[arn] = made["LoadBalancerArn"]
            self.targets(elbv2, item["LoadBalancerName"], made["LoadBalancerArn"])

    def targets(self, elbv2: Any, name: str, arn: str) -> None:
        group = f"{name}-tg"
        made = elbv2.create_target_group(
            Name=group, Protocol="HTTP", Port=80, VpcId=self.vpc, TargetType="ip"
        )["TargetGroups"][0]
        tg_arn = made["TargetGroupArn"]
        elbv2.create_listener(
            LoadBalancerArn=arn,
            Protocol="HTTP",
            Port=80,
            DefaultActions=[{"Type": "forward", "TargetGroupArn": tg_arn}],
        )
        health = load("inventory", "elbv2.DescribeTargetHealth", self.account, self.region, group)
        targets = [d["Target"] for d in health.get("TargetHealthDescriptions", [])]
        if targets:
            elbv2.register_targets(TargetGroupArn=tg_arn, Targets=targets)

    def databases(self) -> None:
        rds = self.client("rds")
        for item in self.recorded("rds.DescribeDBInstances").get("DBInstances", []):
            rds.create_db_instance(
                DBInstanceIdentifier=item["DBInstanceIdentifier"],
                DBInstanceClass=item["DBInstanceClass"],
                Engine=item["Engine"],
                AllocatedStorage=item["AllocatedStorage"],
                MasterUsername="admin",
                MasterUserPassword="not-a-secret-1",
                MultiAZ=item["MultiAZ"],
                Tags=user_tags(item.get("TagList")),
            )

    def metrics(self, hours: int) -> None:
        cloudwatch = self.client("cloudwatch")
        pattern = f"cloudwatch.GetMetricData_{self.account}_{self.region}_*.request.json"
        for request in sorted((DEMO / "metrics").glob(pattern)):
            asked = json.loads(request.read_text())["MetricDataQueries"]
            answer = json.loads(request.with_name(request.name.replace(".request", "")).read_text())
            by_namespace: dict[str, list[dict[str, Any]]] = {}
            for namespace, datum in _data(asked, answer, WINDOW_END - dt.timedelta(hours=hours)):
                by_namespace.setdefault(namespace, []).append(self.mapped(datum))
            for namespace, data in by_namespace.items():
                for i in range(0, len(data), BATCH):
                    cloudwatch.put_metric_data(Namespace=namespace, MetricData=data[i : i + BATCH])

    def mapped(self, datum: dict[str, Any]) -> dict[str, Any]:
        dims = []
        for d in datum["Dimensions"]:
            value = d["Value"]
            if d["Name"] == "InstanceId":
                value = self.seeded.moto(value)
            if d["Name"] == "LoadBalancer":
                demo = f"arn:aws:elasticloadbalancing:{self.region}:{self.account}:loadbalancer/"
                value = self.seeded.moto(demo + value).split(":loadbalancer/", 1)[1]
            dims.append({"Name": d["Name"], "Value": value})
            if d["Name"] == "InstanceId" and datum["MetricName"] == "mem_used_percent":
                # the CloudWatch agent adds the instance type (append_dimensions)
                dims.append({"Name": "InstanceType", "Value": self.types[d["Value"]]})
        return {**datum, "Dimensions": dims}


def _data(
    asked: list[dict[str, Any]], answer: dict[str, Any], since: dt.datetime
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(namespace, MetricDatum) per metric and hour: Average and Maximum of one metric become
    one datum whose StatisticValues give both back; Sum metrics carry the hour's sum."""
    values: dict[tuple[str, str, str], dict[str, dict[str, float]]] = {}
    dims: dict[tuple[str, str, str], list[dict[str, str]]] = {}
    results = {r["Id"]: r for r in answer["MetricDataResults"]}
    for query in asked:
        stat = query["MetricStat"]
        metric = stat["Metric"]
        if metric["MetricName"] == "HealthyHostCount":
            continue
        key = (metric["Namespace"], metric["MetricName"], json.dumps(metric["Dimensions"]))
        dims[key] = metric["Dimensions"]
        result = results[query["Id"]]
        for stamp, value in zip(result["Timestamps"], result["Values"], strict=True):
            if dt.datetime.fromisoformat(stamp) >= since:
                values.setdefault(key, {}).setdefault(stamp, {})[stat["Stat"]] = value
    for key, hours in values.items():
        for stamp, stats in hours.items():
            yield key[0], _datum(key[1], dims[key], stamp, stats)


def _datum(name: str, dims: list[dict[str, str]], stamp: str, stats: dict[str, float]) -> Any:
    total = stats.get("Sum", stats.get("Average", 0.0) * SAMPLES)
    mean = total / SAMPLES
    peak = stats.get("Maximum", mean)
    datum = {
        "MetricName": name,
        "Dimensions": dims,
        "Timestamp": stamp,
        "StatisticValues": {
            "SampleCount": SAMPLES,
            "Sum": total,
            "Minimum": min(mean, peak),
            "Maximum": peak,
        },
    }
    return datum


def seed_demo(
    aws: MotoAws,
    metric_hours: int = 48,
    accounts: tuple[str, ...] = ACCOUNTS,
    regions: tuple[str, ...] = REGIONS,
) -> Seeded:
    """Create the demo company's AWS resources and metrics in moto (the given accounts and
    regions); return the id map."""
    seeded = Seeded(metric_hours=metric_hours)
    for account in accounts:
        for region in regions:
            place = _Region(aws, seeded, account, region)
            place.network()
            place.instances()
            place.scaling_groups()
            place.volumes()
            place.snapshots()
            place.addresses()
            place.balancers()
            place.databases()
            place.metrics(metric_hours)
    return seeded
