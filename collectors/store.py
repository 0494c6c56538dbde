"""Storing what a collector observed (inventory, hourly metrics, list prices) in one write."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from warehouse.db import Warehouse
from warehouse.observations import (
    Replaced,
    ResourceScope,
    load_metrics,
    load_prices,
    load_resources,
)


class ObservationTables(Protocol):
    """What every provider's observations offer: Arrow tables with the warehouse's columns and
    the inventory scopes that were read completely."""

    @property
    def resources(self) -> Any: ...

    @property
    def metrics(self) -> Any: ...

    @property
    def prices(self) -> Any: ...

    @property
    def scopes(self) -> Iterable[ResourceScope]: ...


def store_observations(warehouse: Warehouse, obs: ObservationTables) -> dict[str, Replaced]:
    """Write inventory, metrics and prices in one transaction."""
    with warehouse.write() as con:
        con.execute("BEGIN TRANSACTION")
        stored = {
            "resources": load_resources(con, obs.resources, obs.scopes),
            "metrics": load_metrics(con, obs.metrics),
            "prices": load_prices(con, obs.prices),
        }
        con.execute("COMMIT")
    return stored
