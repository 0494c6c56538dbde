"""Subscriptions and resource groups: which subscriptions to read, and their tags, so the
analyzers can compute the tags a resource inherits.

Every subscription read becomes a ``subscription`` row (``resource_id`` ``/subscriptions/<id>``,
region ``global``) and every resource group a ``resource_group`` row (``resource_id`` the
lower-cased group id, region its location), each with its own tags. A resource's group is the
prefix of its id up to ``/resourcegroups/<name>``.
"""

from __future__ import annotations

from collections.abc import Iterable

from collectors.azure.clients import AzureClients
from collectors.azure.rows import Json, Row, Scope, attributes, resource

SUBSCRIPTIONS_API = "2022-12-01"
MANAGEMENT_GROUPS_API = "2020-05-01"
RESOURCE_GROUPS_API = "2021-04-01"


def subscription_ids(clients: AzureClients) -> list[str]:
    """The configured subscriptions; else those under the management group; else every
    subscription the credential can list (disabled ones left out)."""
    settings = clients.settings
    if settings.subscriptions:
        return sorted({s.lower() for s in settings.subscriptions})
    if settings.management_group:
        url = (f"/providers/Microsoft.Management/managementGroups/"
               f"{settings.management_group}/descendants")  # fmt: skip
        found = [
            str(item["name"]).lower()
            for page in clients.arm_pages(url, MANAGEMENT_GROUPS_API)
            for item in page.get("value", [])
            if str(item.get("type", "")).lower().endswith("/subscriptions")
        ]
        return sorted(set(found))
    listed = [
        str(item["subscriptionId"]).lower()
        for page in clients.arm_pages("/subscriptions", SUBSCRIPTIONS_API)
        for item in page.get("value", [])
        if item.get("state", "Enabled") not in {"Disabled", "Deleted"}
    ]
    return sorted(set(listed))


def fetch_subscription(clients: AzureClients, subscription: str) -> Json:
    """Subscriptions - Get (display name, state, tags). A 403 here means no access at all."""
    return clients.arm_get(f"/subscriptions/{subscription}", SUBSCRIPTIONS_API)


def fetch_groups(clients: AzureClients, subscription: str) -> list[Json]:
    """resourceGroups.list."""
    return [g.as_dict() for g in clients.resources(subscription).resource_groups.list()]


def subscription_row(scope: Scope, body: Json) -> Row:
    """The ``subscription`` row."""
    item = {"id": f"/subscriptions/{scope.subscription_id}", "tags": body.get("tags")}
    return resource(
        scope, item, "subscription", state=body.get("state"),
        attributes=attributes(display_name=body.get("displayName"), tenant_id=body.get("tenantId")),
    )  # fmt: skip


def group_rows(scope: Scope, groups: Iterable[Json]) -> list[Row]:
    """``resource_group`` rows."""
    return [
        resource(scope, g, "resource_group", state=(g.get("properties") or {}).get(
            "provisioningState"), attributes=attributes(name=g.get("name"),
            managed_by=g.get("managedBy")))
        for g in groups
    ]  # fmt: skip


def groups_seen(items: Iterable[Json]) -> list[Json]:
    """Resource groups as far as resource ids tell (name, location of their first resource):
    for recorded data, which has no resourceGroups.list; they carry no tags."""
    found: dict[str, Json] = {}
    for item in items:
        group = str(item["id"]).split("/providers/")[0]
        name = group.rsplit("/", 1)[1]
        found.setdefault(group.lower(), {"id": group, "name": name, "location": item["location"]})
    return [found[k] for k in sorted(found)]
