"""Cloud SQL instances from Cloud SQL Admin ``instances.list`` responses (REST JSON).

No Cloud SQL client library is installed: the REST API is called with a signed session
(``[gcp.endpoints] sql``). A project where the Cloud SQL Admin API is disabled has no instances.
``resource_id`` is the billing export's ``//cloudsql.googleapis.com/projects/P/instances/N``.
"""

from __future__ import annotations

from collections.abc import Iterable

from google.api_core.exceptions import Forbidden

from collectors.gcp.clients import GcpClients
from collectors.gcp.machine_types import spec_from_name
from collectors.gcp.rows import PROVIDER, Json, Row, Scope, attributes, label_pairs, timestamp
from collectors.rows import resource_row

SQL = "//cloudsql.googleapis.com/"
ENGINES = {"POSTGRES": "PostgreSQL", "MYSQL": "MySQL", "SQLSERVER": "SQL Server"}


def fetch_sql_instances(clients: GcpClients, project: str) -> list[Json]:
    """Cloud SQL Admin instances.list (v1), every page."""
    url = f"{clients.sql_endpoint}/v1/projects/{project}/instances"
    pages: list[Json] = []
    token = ""
    try:
        while not pages or token:
            pages.append(clients.rest_get(url, {"pageToken": token} if token else {}))
            token = str(pages[-1].get("nextPageToken") or "")
    except Forbidden as exc:
        if "SERVICE_DISABLED" not in str(exc.details) and "disabled" not in str(exc.message):
            raise
        return []
    return pages


def sql_id(project: str, name: str) -> str:
    """A Cloud SQL instance's resource id."""
    return f"{SQL}projects/{project}/instances/{name}"


def engine(version: object) -> str | None:
    """``PostgreSQL``, ``MySQL`` or ``SQL Server`` from a databaseVersion (``POSTGRES_15``)."""
    head = str(version or "").split("_", 1)[0]
    return ENGINES.get(head)


def sql_rows(scope: Scope, pages: Iterable[Json]) -> list[Row]:
    """``db`` rows."""
    rows = []
    for item in (i for page in pages for i in page.get("items") or []):
        settings = item.get("settings") or {}
        tier = str(settings.get("tier") or "")
        size = spec_from_name(tier.removeprefix("db-")) if tier else None
        disk = settings.get("dataDiskSizeGb")
        rows.append(resource_row(
            provider=PROVIDER, account_id=scope.project, region=item.get("region"),
            resource_id=sql_id(str(item.get("project") or scope.project), str(item["name"])),
            resource_type="db", sku=tier or None,
            vcpu=size[0] if size else None, memory_gib=size[1] if size else None,
            state=str(item.get("state") or "").lower() or None,
            created_at=timestamp(item.get("createTime")), collected_at=scope.collected_at,
            size_gib=float(disk) if disk is not None else None,
            tags=label_pairs(settings.get("userLabels")),
            attributes=attributes(
                engine=engine(item.get("databaseVersion")),
                database_version=item.get("databaseVersion"),
                availability_type=settings.get("availabilityType"),
                activation_policy=settings.get("activationPolicy"),
                zone=item.get("gceZone"), connection_name=item.get("connectionName"),
                pricing_plan=settings.get("pricingPlan"),
            ),
        ))  # fmt: skip
    return rows
