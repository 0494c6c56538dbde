"""RDS DB instances: DescribeDBInstances (tags come inline as ``TagList``).

``resource_id`` is the DB instance ARN, as the CUR names it; CloudWatch names the instance by
its identifier (the ARN's last part). ``attributes.operating_system`` holds the price list's
database engine, with the deployment option when it is not Single-AZ (``MySQL (Multi-AZ)``), so
resources join to price rows on (sku, operating_system).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from collectors.aws.rows import Page, Row, Scope, attributes, resource, tag_pairs, timestamp

ENGINES = {  # DescribeDBInstances Engine -> the price list's databaseEngine
    "mysql": "MySQL",
    "postgres": "PostgreSQL",
    "mariadb": "MariaDB",
    "aurora-mysql": "Aurora MySQL",
    "aurora-postgresql": "Aurora PostgreSQL",
}


def fetch_db_instances(rds: Any) -> list[Page]:
    """DescribeDBInstances, every page."""
    return list(rds.get_paginator("describe_db_instances").paginate())


def deployment(item: Mapping[str, Any]) -> str:
    """The price list's deploymentOption of a DB instance."""
    return "Multi-AZ" if item.get("MultiAZ") else "Single-AZ"


def engine_label(engine: str, deployment_option: str) -> str:
    """``MySQL`` or ``MySQL (Multi-AZ)``: the price rows' operating_system for databases."""
    return engine if deployment_option == "Single-AZ" else f"{engine} ({deployment_option})"


def db_rows(scope: Scope, pages: Iterable[Page]) -> list[Row]:
    """``resources`` rows (type ``db``) for DescribeDBInstances pages."""
    rows = []
    for page in pages:
        for item in page.get("DBInstances", []):
            engine = ENGINES.get(str(item.get("Engine")), str(item.get("Engine")))
            extra = attributes(
                identifier=item["DBInstanceIdentifier"],
                engine=item.get("Engine"),
                engine_version=item.get("EngineVersion"),
                deployment_option=deployment(item),
                operating_system=engine_label(engine, deployment(item)),
                storage_type=item.get("StorageType"),
                availability_zone=item.get("AvailabilityZone"),
            )
            size = item.get("AllocatedStorage")
            rows.append(
                resource(
                    scope, item["DBInstanceArn"], "db",
                    sku=item.get("DBInstanceClass"), state=item.get("DBInstanceStatus"),
                    created_at=timestamp(item.get("InstanceCreateTime")),
                    tags=tag_pairs(item.get("TagList")),
                    size_gib=float(size) if size else None, attributes=extra,
                )
            )  # fmt: skip
    return rows
