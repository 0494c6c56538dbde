"""The fake ARM server's routes: (path regex, handler(query, *groups) -> reply)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from tests.collectors.azure.arm_data import Json
from tests.collectors.azure.arm_sql import sql_routes

if TYPE_CHECKING:
    from tests.collectors.azure.arm_server import FakeArm

Reply = tuple[int, Json, dict[str, str]]
SUB = r"/subscriptions/([^/]+)"
PRICE_PAGE = 7


def routes(fake: FakeArm) -> list[tuple[str, Callable[..., Reply]]]:
    data = fake.data

    def subscriptions(query: dict[str, str]) -> Reply:
        items = [data.subscription(s) for s in data.subscriptions]
        return fake.page("/subscriptions", query, items)

    def subscription(query: dict[str, str], sub: str) -> Reply:
        if sub not in data.subscriptions:
            return 404, {"error": {"code": "SubscriptionNotFound", "message": sub}}, {}
        return 200, data.subscription(sub), {}

    def descendants(query: dict[str, str], group: str) -> Reply:
        items = [{"id": f"/subscriptions/{s}", "type": "Microsoft.Management/managementGroups/"
                  "subscriptions", "name": s, "properties": {"displayName": s,
                  "parent": {"id": f"/providers/Microsoft.Management/managementGroups/{group}"}}}
                 for s in [*data.subscriptions, *fake.denied]]  # fmt: skip
        path = f"/providers/Microsoft.Management/managementGroups/{group}/descendants"
        return fake.page(path, query, items)

    def groups(query: dict[str, str], sub: str) -> Reply:
        return fake.page(f"/subscriptions/{sub}/resourcegroups", query, data.groups(sub))

    def listing(query: dict[str, str], sub: str, provider: str, kind: str) -> Reply:
        path = f"/subscriptions/{sub}/providers/{provider}/{kind}"
        key = f"{provider}/{kind}".lower()
        if key == "microsoft.compute/virtualmachines" and query.get("statusOnly") == "true":
            return fake.page(path, query, data.statuses(sub))
        return fake.page(path, query, data.items(sub, key))

    def sizes(query: dict[str, str], sub: str, location: str) -> Reply:
        return 200, {"value": data.vm_sizes()}, {}

    def metrics(query: dict[str, str], resource: str) -> Reply:
        names = query.get("metricnames", "")
        body = data.metrics(resource, names) or _no_data(resource, names)
        return 200, _within(body, query.get("timespan")), {}

    def prices(query: dict[str, str]) -> Reply:
        items = [i for i in data.price_items if _matches(query.get("$filter", ""), i)]
        skip = int(query.get("$skip", "0"))
        chunk = items[skip : skip + PRICE_PAGE]
        more = skip + PRICE_PAGE < len(items)
        link = f"{fake.url}/api/retail/prices?{_encode({**query, '$skip': skip + PRICE_PAGE})}"
        return 200, {"BillingCurrency": "USD", "CustomerEntityId": "Default",
                     "CustomerEntityType": "Retail", "Items": chunk,
                     "NextPageLink": link if more else None, "Count": len(chunk)}, {}  # fmt: skip

    kinds = "|".join(k.split("/")[1] for k in _LISTED)
    return [
        ("/subscriptions", subscriptions),
        (SUB, subscription),
        ("/providers/Microsoft.Management/managementGroups/([^/]+)/descendants", descendants),
        (SUB + "/resourcegroups", groups),
        (SUB + f"/providers/(Microsoft.Compute|Microsoft.Network)/({kinds})", listing),
        (SUB + "/providers/Microsoft.Compute/locations/([^/]+)/vmSizes", sizes),
        ("(/subscriptions/.+)/providers/Microsoft.Insights/metrics", metrics),
        ("/api/retail/prices", prices),
        *sql_routes(fake),
    ]


_LISTED = ("compute/virtualmachines", "compute/disks", "compute/snapshots",
           "network/publicipaddresses", "network/loadbalancers",
           "network/networkinterfaces")  # fmt: skip


def _encode(query: dict[str, Any]) -> str:
    return urlencode(query)


def _no_data(resource: str, names: str) -> Json:
    """What Azure Monitor answers for metrics without values: empty time series."""
    value = [{"id": f"{resource}/providers/Microsoft.Insights/metrics/{n}",
              "type": "Microsoft.Insights/metrics", "name": {"value": n, "localizedValue": n},
              "unit": "Bytes", "timeseries": [], "errorCode": "Success"}
             for n in names.split(",")]  # fmt: skip
    return {"cost": 0, "interval": "PT1H", "value": value}


def _within(body: Json, timespan: str | None) -> Json:
    """The response cut to the requested ``start/end`` timespan."""
    if not timespan:
        return body
    start, end = (dt.datetime.fromisoformat(t.replace("Z", "+00:00")) for t in timespan.split("/"))

    def inside(point: Json) -> bool:
        moment = dt.datetime.fromisoformat(point["timeStamp"].replace("Z", "+00:00"))
        return start <= moment < end

    value = [
        {**m, "timeseries": [{**s, "data": [p for p in s["data"] if inside(p)]}
                             for s in m["timeseries"]]}
        for m in body["value"]
    ]  # fmt: skip
    return {**body, "timespan": timespan, "value": value}


def _matches(expression: str, item: Json) -> bool:
    """The Retail Prices ``$filter`` subset we send: ``and`` of ``field eq 'v'`` terms, each
    possibly an ``or`` of them in parentheses."""
    for term in expression.split(" and "):
        pairs = re.findall(r"(\w+) eq '([^']*)'", term)
        if not pairs:
            raise ValueError(f"unsupported $filter term: {term!r}")
        if not any(str(item.get(name)) == value for name, value in pairs):
            return False
    return True
