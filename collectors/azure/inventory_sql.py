"""Azure SQL databases (``Microsoft.Sql/servers/databases``), read with plain Resource Manager
GETs (``AzureClients.arm_pages``; azure-mgmt-sql is not a dependency): Servers - List per
subscription, then Databases - List By Server for each server. The ``master`` database every
server has is not billed and is left out.

A subscription not registered for ``Microsoft.Sql`` (409 MissingSubscriptionRegistration) has
no SQL servers: that reads as an empty, complete list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from azure.core.exceptions import HttpResponseError

from collectors.azure.clients import AzureClients
from collectors.azure.rows import (
    Json,
    Row,
    Scope,
    arm_id,
    attributes,
    parent_id,
    resource,
    timestamp,
)

SQL_API = "2021-11-01"
SYSTEM_DATABASES = {"master"}
NOT_REGISTERED = "MissingSubscriptionRegistration"


def fetch_databases(clients: AzureClients, subscription: str) -> list[Json]:
    """Every user database of every SQL server of the subscription (every page)."""
    url = f"/subscriptions/{subscription}/providers/Microsoft.Sql/servers"
    try:
        servers = [s for page in clients.arm_pages(url, SQL_API) for s in page.get("value", [])]
    except HttpResponseError as exc:
        if exc.error is not None and exc.error.code == NOT_REGISTERED:
            return []
        raise
    return [
        db
        for server in servers
        for page in clients.arm_pages(f"{server['id']}/databases", SQL_API)
        for db in user_databases(page.get("value", []))
    ]


def user_databases(databases: Iterable[Json]) -> list[Json]:
    """The databases without ``master``."""
    return [d for d in databases if str(d.get("name", "")).lower() not in SYSTEM_DATABASES]


def db_rows(scope: Scope, databases: Iterable[Json]) -> list[Row]:
    """``db`` rows: ``sku`` the service objective (``GP_Gen5_2``), ``vcpu`` the vCores of a
    vCore database (null for DTU), ``size_gib`` maxSizeBytes, ``state`` status lower-cased."""
    rows = []
    for db in user_databases(databases):
        props: Mapping[str, Any] = db.get("properties") or {}
        sku: Mapping[str, Any] = props.get("currentSku") or db.get("sku") or {}
        rows.append(resource(
            scope, db, "db", sku=props.get("currentServiceObjectiveName") or sku.get("name"),
            vcpu=_vcores(db, sku), size_gib=_gib(props.get("maxSizeBytes")),
            state=str(props.get("status") or "").lower() or None,
            created_at=timestamp(props.get("creationDate")),
            attributes=attributes(
                engine="SQL Server", server=parent_id(str(arm_id(db["id"]))),
                tier=sku.get("tier"), family=sku.get("family"), kind=db.get("kind"),
                elastic_pool=arm_id(props.get("elasticPoolId")),
                license_type=props.get("licenseType"), zone_redundant=props.get("zoneRedundant"),
                database_id=props.get("databaseId"),
                auto_pause_delay=props.get("autoPauseDelay"),
            ),
        ))  # fmt: skip
    return rows


def _vcores(db: Json, sku: Mapping[str, Any]) -> float | None:
    vcore = "vcore" in str(db.get("kind", "")).lower() or bool(sku.get("family"))
    capacity = sku.get("capacity")
    return float(capacity) if vcore and capacity is not None else None


def _gib(size: object) -> float | None:
    return None if size is None else float(str(size)) / 2**30
