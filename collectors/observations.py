"""What one collection observed, whatever the cloud: the warehouse's ``resources``, ``metrics``
and ``prices`` as Arrow tables in a stable order, the inventory scopes read completely (whose
warehouse rows a load replaces), and the problems met on the way (each cloud has its own
``Problem`` type)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Generic, Self, TypeVar

import pyarrow as pa

from collectors.rows import METRICS, PRICES, RESOURCES, Row, table
from warehouse.observations import ResourceScope

ProblemT = TypeVar("ProblemT")

RESOURCE_ORDER = ("account_id", "region", "resource_type", "resource_id")
METRIC_ORDER = ("resource_id", "metric", "hour")
PRICE_ORDER = ("region", "sku", "pricing_model", "term", "operating_system", "unit")


def _key(names: tuple[str, ...]) -> Any:
    return lambda row: tuple(str(row[n] or "") for n in names)


@dataclass(frozen=True)
class Observations(Generic[ProblemT]):
    """Arrow tables with exactly the warehouse's columns; ``scopes``: the (provider, account,
    region, resource type) parts of the inventory read completely; ``problems``: what failed."""

    resources: pa.Table
    metrics: pa.Table
    prices: pa.Table
    scopes: list[ResourceScope]
    problems: list[ProblemT]

    @classmethod
    def build(
        cls,
        resources: list[Row],
        metrics: list[Row],
        prices: list[Row],
        scopes: Iterable[ResourceScope],
        problems: Iterable[ProblemT],
    ) -> Self:
        """Sorted tables, each scope and problem once."""
        return cls(
            table(sorted(resources, key=_key(RESOURCE_ORDER)), RESOURCES),
            table(sorted(metrics, key=_key(METRIC_ORDER)), METRICS),
            table(sorted(prices, key=_key(PRICE_ORDER)), PRICES),
            sorted(set(scopes)),
            sorted(set(problems), key=str),
        )
