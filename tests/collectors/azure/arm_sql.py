"""The fake ARM server's Azure SQL routes: Servers - List (the servers the recorded databases lie
in) and Databases - List By Server (the recorded databases, after the ``master`` database every
server has, as Azure lists it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tests.collectors.azure.arm_data import DemoArm, Json

if TYPE_CHECKING:
    from tests.collectors.azure.arm_routes import Reply
    from tests.collectors.azure.arm_server import FakeArm

SUB = r"/subscriptions/([^/]+)"
DATABASES = "microsoft.sql/servers/databases"


def server_of(database_id: str) -> str:
    return database_id.rsplit("/databases/", 1)[0]


def servers(data: DemoArm, sub: str) -> list[Json]:
    """Servers - List: one server per server id the recorded databases name."""
    found: dict[str, Json] = {}
    for db in data.items(sub, DATABASES):
        server = server_of(db["id"])
        found.setdefault(server.lower(), {
            "id": server, "name": server.rsplit("/", 1)[1], "type": "Microsoft.Sql/servers",
            "location": db["location"], "kind": "v12.0",
            "properties": {"administratorLogin": "sqladmin", "version": "12.0",
                           "state": "Ready", "publicNetworkAccess": "Enabled",
                           "fullyQualifiedDomainName": f"{server.rsplit('/', 1)[1]}"
                                                       ".database.windows.net"},
        })  # fmt: skip
    return [found[k] for k in sorted(found)]


def master(server: Json) -> Json:
    """The system database Azure lists first on every server (not billed)."""
    return {
        "sku": {"name": "System", "tier": "System", "capacity": 0}, "kind": "v12.0,system",
        "managedBy": server["id"], "location": server["location"],
        "properties": {"collation": "SQL_Latin1_General_CP1_CI_AS", "maxSizeBytes": 32212254720,
                       "status": "Online", "currentServiceObjectiveName": "System2",
                       "creationDate": "2025-01-01T00:00:00Z", "requestedServiceObjectiveName":
                       "System2", "zoneRedundant": False},
        "id": f"{server['id']}/databases/master", "name": "master",
        "type": "Microsoft.Sql/servers/databases",
    }  # fmt: skip


def sql_routes(fake: FakeArm) -> list[tuple[str, Callable[..., Reply]]]:
    data = fake.data

    def server_list(query: dict[str, str], sub: str) -> Reply:
        return fake.page(f"/subscriptions/{sub}/providers/Microsoft.Sql/servers", query,
                         servers(data, sub))  # fmt: skip

    def database_list(query: dict[str, str], sub: str, group: str, name: str) -> Reply:
        wanted = (
            f"/subscriptions/{sub}/resourcegroups/{group}/providers/microsoft.sql/servers/{name}"
        )
        server = next((s for s in servers(data, sub) if s["id"].lower() == wanted.lower()), None)
        if server is None:
            return 404, {"error": {"code": "ResourceNotFound", "message": name}}, {}
        mine = [d for d in data.items(sub, DATABASES) if server_of(d["id"]) == server["id"]]
        return fake.page(f"{server['id']}/databases", query, [master(server), *mine])

    return [
        (SUB + "/providers/Microsoft.Sql/servers", server_list),
        (SUB + "/resourceGroups/([^/]+)/providers/Microsoft.Sql/servers/([^/]+)/databases",
         database_list),
    ]  # fmt: skip
