"""What one AWS collection observed: the three warehouse tables, the inventory scopes read
completely, and the problems met on the way."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
from botocore.exceptions import BotoCoreError, ClientError

from collectors.aws.prices import product_specs
from collectors.aws.rows import METRICS, PRICES, RESOURCES, Page, Row, table
from warehouse.observations import ResourceScope

MESSAGE_CHARS = 300


@dataclass(frozen=True, order=True)
class Problem:
    """Something that could not be read: an account (region None), a region, or one service."""

    account_id: str | None
    region: str | None
    service: str
    message: str

    def __str__(self) -> str:
        where = "/".join(x for x in (self.account_id, self.region) if x) or "aws"
        return f"{where} {self.service}: {self.message}"


def describe(exc: ClientError | BotoCoreError) -> str:
    """An error as ``Code: message`` (AWS error messages never carry credentials)."""
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        text = f"{error.get('Code', 'Error')}: {error.get('Message', '')}".rstrip(": ")
    else:
        text = f"{type(exc).__name__}: {exc}"
    text = " ".join(text.split())  # an HTML error page on one line
    return text if len(text) <= MESSAGE_CHARS else text[: MESSAGE_CHARS - 3] + "..."


@dataclass(frozen=True)
class Observations:
    """Arrow tables with exactly the warehouse's ``resources``, ``metrics`` and ``prices``
    columns; ``scopes``: the (provider, account, region, resource type) parts of the inventory
    read completely, whose warehouse rows the load replaces; ``problems``: what failed."""

    resources: pa.Table
    metrics: pa.Table
    prices: pa.Table
    scopes: list[ResourceScope]
    problems: list[Problem]

    @classmethod
    def build(
        cls,
        resources: list[Row],
        metrics: list[Row],
        prices: list[Row],
        product_pages: Iterable[Page],
        scopes: Iterable[ResourceScope],
        problems: Iterable[Problem],
    ) -> Observations:
        """Sorted tables; vCPU and memory the inventory lacks are taken from the price list."""
        fill_specs(resources, product_specs(product_pages))
        return cls(
            table(sorted(resources, key=_key("account_id", "region", "resource_id")), RESOURCES),
            table(metrics, METRICS),
            table(
                sorted(prices, key=_key("region", "sku", "pricing_model", "term", "unit")), PRICES
            ),
            sorted(set(scopes)),
            sorted(set(problems)),
        )


def _key(*names: str) -> Any:
    return lambda row: tuple(str(row[n] or "") for n in names)


def fill_specs(rows: Sequence[Row], specs: dict[str, tuple[float, float]]) -> None:
    """Set vCPU and memory of instances and databases that have none, from ``specs``."""
    for row in rows:
        if row["resource_type"] in {"vm", "db"} and row["vcpu"] is None and row["sku"] in specs:
            row["vcpu"], row["memory_gib"] = specs[row["sku"]]
