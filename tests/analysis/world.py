"""A tiny warehouse for analyzer tests: put in exactly the resources, hourly metrics, bill rows
and prices a case needs, run one analyzer, look at its findings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from analysis.costs import prepare_costs
from analysis.findings import Finding
from analysis.registry import REGISTRY, RunContext, analyzers, parameters
from analysis.window import window
from warehouse.db import Warehouse

END = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)  # the end of the data's last complete day
HOUR = dt.timedelta(hours=1)
COLLECTED = END


class World:
    """Rows to insert, then ``run(analyzer, **params)``."""

    def __init__(self, warehouse: Warehouse) -> None:
        self.warehouse = warehouse
        self.statements: list[tuple[str, list[Any]]] = []

    def resource(self, resource_id: str, resource_type: str, **columns: Any) -> World:
        row = {"provider": "aws", "account_id": "111111111111", "region": "us-east-1",
               "resource_id": resource_id, "resource_type": resource_type,
               "collected_at": COLLECTED, **columns}  # fmt: skip
        tags, attributes = row.pop("tags", {}), row.pop("attributes", {})
        names = ", ".join(row)
        marks = ", ".join("?" * len(row))
        self.statements.append(
            (
                f"INSERT INTO resources ({names}, tags, attributes) VALUES ({marks},"
                " MAP(?::VARCHAR[], ?::VARCHAR[]), MAP(?::VARCHAR[], ?::VARCHAR[]))",
                [
                    *row.values(),
                    list(tags),
                    list(tags.values()),
                    list(attributes),
                    list(attributes.values()),
                ],
            )
        )
        return self

    def metric(
        self,
        resource_id: str,
        metric: str,
        values: Callable[[int], float | tuple[float, float] | None],
        hours: int = 30 * 24,
        provider: str = "aws",
    ) -> World:
        """Hourly samples of the ``hours`` before END: ``values(i)`` gives the average (or
        (average, max)) of hour i counted back from the end; None leaves the hour out."""
        hours_, avgs, peaks = [], [], []
        for i in range(hours):
            value = values(i)
            if value is None:
                continue
            avg, peak = value if isinstance(value, tuple) else (value, value)
            hours_.append(END - (i + 1) * HOUR)
            avgs.append(avg)
            peaks.append(peak)
        if hours_:  # one statement: the samples as arrays, unnested
            self.statements.append((METRIC_ROWS, [provider, resource_id, metric, hours_, avgs,
                                                  peaks, COLLECTED]))  # fmt: skip
        return self

    def cost(self, resource_id: str, per_day: Decimal | float, days: int = 30,
             provider: str = "aws", currency: str = "USD", resource_type: str | None = None,
             category: str = "Compute") -> World:  # fmt: skip
        """Daily usage rows of the ``days`` before END, each costing ``per_day`` (``resource_type``
        and ``category``: the rows' ResourceType and ServiceCategory)."""
        amount = Decimal(str(per_day))
        self.statements.append((BILL_ROW, [amount, amount, amount, amount, currency, END, END,
                                           resource_id, provider, resource_type, category,
                                           days]))  # fmt: skip
        return self

    def price(self, sku: str, unit_price: float, region: str = "us-east-1",
              pricing_model: str = "on_demand", provider: str = "aws", unit: str = "Hours",
              term: str | None = None) -> World:  # fmt: skip
        self.statements.append(
            (
                "INSERT INTO prices (provider, region, sku, pricing_model, term, unit, unit_price,"
                " currency, collected_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'USD', ?)",
                [provider, region, sku, pricing_model, term, unit, unit_price, COLLECTED],
            )
        )
        return self

    def vm_price(self, sku: str, hourly: float, vcpu: float | None = None,
                 memory_gib: float | None = None, region: str = "us-east-1",
                 provider: str = "aws", operating_system: str | None = "Linux",
                 ) -> World:  # fmt: skip
        """An on-demand hourly VM price, with the vCPUs and memory AWS price lists carry."""
        attrs = {k: str(v) for k, v in (("vcpu", vcpu), ("memory", memory_gib)) if v is not None}
        if "memory" in attrs:
            attrs["memory"] += " GiB"
        self.statements.append(
            (
                "INSERT INTO prices (provider, region, sku, pricing_model, operating_system, unit,"
                " unit_price, currency, collected_at, attributes) VALUES (?, ?, ?, 'on_demand', ?,"
                " 'Hours', ?, 'USD', ?, MAP(?::VARCHAR[], ?::VARCHAR[]))",
                [provider, region, sku, operating_system, hourly, COLLECTED, list(attrs),
                 list(attrs.values())],
            )
        )  # fmt: skip
        return self

    def spot_price(self, sku: str, hourly: float, effective_from: dt.datetime | None = None,
                   region: str = "us-east-1", provider: str = "aws",
                   operating_system: str | None = "Linux") -> World:  # fmt: skip
        """A spot hourly price in effect from ``effective_from`` (several: a price history)."""
        self.statements.append(
            (
                "INSERT INTO prices (provider, region, sku, pricing_model, operating_system, unit,"
                " unit_price, currency, effective_from, collected_at) VALUES (?, ?, ?, 'spot', ?,"
                " 'Hours', ?, 'USD', ?, ?)",
                [provider, region, sku, operating_system, hourly, effective_from, COLLECTED],
            )
        )
        return self

    def billed(self, resource_id: str | None, effective_per_day: float, list_per_day: float,
               days: int = 30, provider: str = "aws", tags: dict[str, str] | None = None,
               category: str = "Usage", account: str = "111111111111",
               service: str = "Compute", publisher: str | None = None) -> World:  # fmt: skip
        """Daily bill rows of the ``days`` before END with their own effective and list cost,
        tags, charge category, sub-account, service and publisher (``resource_id`` may be
        None: a charge of no resource)."""
        effective, listed = Decimal(str(effective_per_day)), Decimal(str(list_per_day))
        self.statements.append((BILLED_ROW, [
            effective, effective, listed, listed, END, END,
            resource_id, provider, list((tags or {}).keys()), list((tags or {}).values()),
            category, account, service, publisher or provider, provider, service, days,
        ]))  # fmt: skip
        return self

    def run(self, name: str, **overrides: Any) -> list[Finding]:
        """Insert the rows, then run the analyzer ``name`` (defaults, with ``overrides``)."""
        analyzers()
        with self.warehouse.write() as con:
            for sql, params in self.statements:
                con.execute(sql, params)
            self.statements.clear()
            prepare_costs(con, window(END, 30))
            analyzer = REGISTRY[name]
            return analyzer.run(RunContext(con, END), parameters(analyzer, overrides))


METRIC_ROWS = """
INSERT INTO metrics SELECT $1, '111111111111', $2, $3, unnest($4::TIMESTAMPTZ[]),
    unnest($5::DOUBLE[]), unnest($6::DOUBLE[]), 60, $7
"""

BILL_ROW = """
INSERT INTO focus_costs (BilledCost, EffectiveCost, ListCost, ContractedCost, BillingCurrency,
    ChargePeriodStart, ChargePeriodEnd, ResourceId, x_Provider, ResourceType, ServiceCategory,
    BillingAccountId, BillingPeriodStart, BillingPeriodEnd, ChargeCategory, InvoiceIssuerName,
    ProviderName, PublisherName, ServiceName, x_IngestId, x_SourceFile, x_SourceFormat)
SELECT ?, ?, ?, ?, ?, CAST(? AS TIMESTAMPTZ) - to_days(CAST(d + 1 AS INTEGER)),
    CAST(? AS TIMESTAMPTZ) - to_days(CAST(d AS INTEGER)), ?, ?, ?, ?, 'acct',
    TIMESTAMPTZ '2026-10-01 00:00:00+00', TIMESTAMPTZ '2026-11-01 00:00:00+00', 'Usage', 'test',
    'test', 'test', 'test', 1, 'test', 'test'
FROM range(?) AS t(d)
"""


def by_resource(found: Iterable[Finding]) -> dict[str, Finding]:
    """Findings keyed by resource id."""
    return {f.resource_id or "": f for f in found}


BILLED_ROW = """
INSERT INTO focus_costs (BilledCost, EffectiveCost, ListCost, ContractedCost, BillingCurrency,
    ChargePeriodStart, ChargePeriodEnd, ResourceId, x_Provider, Tags, ChargeCategory,
    SubAccountId, ServiceCategory, PublisherName, ProviderName, ServiceName, BillingAccountId,
    BillingPeriodStart, BillingPeriodEnd, InvoiceIssuerName,
    x_IngestId, x_SourceFile, x_SourceFormat)
SELECT ?, ?, ?, ?, 'USD', CAST(? AS TIMESTAMPTZ) - to_days(CAST(d + 1 AS INTEGER)),
    CAST(? AS TIMESTAMPTZ) - to_days(CAST(d AS INTEGER)), ?, ?,
    MAP(?::VARCHAR[], ?::VARCHAR[]), ?, ?, ?, ?, ?, ?,
    'acct', TIMESTAMPTZ '2026-10-01 00:00:00+00', TIMESTAMPTZ '2026-11-01 00:00:00+00', 'test', 1,
    'test', 'test'
FROM range(?) AS t(d)
"""
