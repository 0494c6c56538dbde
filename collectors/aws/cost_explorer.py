"""Cost Explorer fallback: daily ``GetCostAndUsage`` totals per linked account and service, loaded
into ``focus_costs`` as clearly labelled aggregates, for organizations without a CUR export.

No resource, region, SKU or line-item detail: ``ResourceId`` is NULL, ``x_SourceFormat`` is
``aws-cost-explorer``, ``ChargeDescription`` says what the row is. ``fetch_cost_and_usage`` does the
(billed) requests; ``ce_rows`` is pure; ``load_cost_explorer`` writes into an open transaction;
``collect_cost_explorer`` does the whole write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

import duckdb
import pyarrow as pa

from collectors.base import CollectorError
from warehouse.db import Warehouse
from warehouse.focus_columns import DECIMAL, FOCUS_COLUMNS, JSON, TAGS, TIMESTAMP
from warehouse.load import ZERO, IngestSummary, SourceTotals, finish_ingest, new_ingest_id

SOURCE_FORMAT = "aws-cost-explorer"
METRICS = ("UnblendedCost", "AmortizedCost", "UsageQuantity")
GROUP_BY = (("DIMENSION", "LINKED_ACCOUNT"), ("DIMENSION", "SERVICE"))
DESCRIPTION = "AWS Cost Explorer daily aggregate by linked account and service"
ISSUER = "Amazon Web Services, Inc."
CENT_DIGITS = Decimal("1e-12")  # the scale of DECIMAL(38,12)
NO_UNIT = ("", "N/A")  # Cost Explorer's unit when a group sums usage of different units

# Cost Explorer SERVICE values whose FOCUS category is obvious (as the CUR loader maps their
# product codes); everything else is Other.
SERVICE_CATEGORIES: dict[str, tuple[str, str]] = {
    "Amazon Elastic Compute Cloud - Compute": ("Compute", "Virtual Machines"),
    "AWS Lambda": ("Compute", "Serverless Compute"),
    "Amazon Elastic Container Service": ("Compute", "Containers"),
    "Amazon Elastic Kubernetes Service": ("Compute", "Containers"),
    "Amazon Simple Storage Service": ("Storage", "Object Storage"),
    "Amazon Elastic File System": ("Storage", "File Storage"),
    "Amazon Relational Database Service": ("Databases", "Relational Databases"),
    "Amazon DynamoDB": ("Databases", "NoSQL Databases"),
    "Amazon ElastiCache": ("Databases", "Caching"),
    "Amazon Redshift": ("Databases", "Data Warehouses"),
    "Amazon Elastic Load Balancing": ("Networking", "Network Infrastructure"),
    "Amazon Virtual Private Cloud": ("Networking", "Network Infrastructure"),
    "Amazon CloudFront": ("Networking", "Content Delivery"),
    "Amazon Route 53": ("Networking", "Network Routing"),
    "AmazonCloudWatch": ("Management and Governance", "Observability"),
    "AWS Key Management Service": ("Security", "Secret Management"),
    "AWS Secrets Manager": ("Security", "Secret Management"),
    "AWS CloudTrail": ("Management and Governance", "Compliance"),
    "AWS Cost Explorer": ("Management and Governance", "Cost Management"),
    "AWS Support (Business)": ("Management and Governance", "Support"),
    "AWS Support (Enterprise)": ("Management and Governance", "Support"),
    "AWS Support (Developer)": ("Management and Governance", "Support"),
}
OTHER = ("Other", "Other (Other)")

_ARROW_TYPES = {
    DECIMAL: pa.decimal128(38, 12),
    TIMESTAMP: pa.timestamp("us", tz="UTC"),
    TAGS: pa.map_(pa.string(), pa.string()),
    JSON: pa.string(),
}
SCHEMA = pa.schema([(c.name, _ARROW_TYPES.get(c.sql_type, pa.string())) for c in FOCUS_COLUMNS])


def fetch_cost_and_usage(ce_client: Any, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Every page of daily cost and usage per linked account and service, ``start`` to ``end``
    (exclusive). GetCostAndUsage has no paginator: follow ``NextPageToken`` by hand."""
    request: dict[str, Any] = {
        "TimePeriod": {"Start": start.isoformat(), "End": end.isoformat()},
        "Granularity": "DAILY",
        "Metrics": list(METRICS),
        "GroupBy": [{"Type": kind, "Key": key} for kind, key in GROUP_BY],
    }
    pages: list[dict[str, Any]] = []
    seen: set[str] = set()
    token: str | None = None
    while True:
        paging = {"NextPageToken": token} if token else {}
        page = dict(ce_client.get_cost_and_usage(**request, **paging))
        page.pop("ResponseMetadata", None)
        pages.append(page)
        token = page.get("NextPageToken")
        if not token:
            return pages
        if token in seen:
            raise CollectorError(f"Cost Explorer returned page token {token!r} twice")
        seen.add(token)


def ce_rows(pages: list[dict[str, Any]], payer_account_id: str) -> pa.Table:
    """The FOCUS 1.2 rows (columns of ``focus_costs``, no ``x_`` columns) of Cost Explorer pages."""
    rows = [row for page in pages for row in _page_rows(page, payer_account_id)]
    return pa.Table.from_pylist(rows, schema=SCHEMA)


def source_totals(pages: list[dict[str, Any]], payer_account_id: str) -> SourceTotals:
    """Groups and summed cost metrics as Cost Explorer sent them, in all and per billing period
    (calendar month), independently of ``ce_rows``."""
    totals = SourceTotals()
    for page in pages:
        for result in page.get("ResultsByTime", []):
            month = _utc(dt.date.fromisoformat(result["TimePeriod"]["Start"]).replace(day=1))
            key = ("aws", payer_account_id, month)
            for group in result.get("Groups", []):
                billed = _amount(group, "UnblendedCost")[0]
                effective = _amount(group, "AmortizedCost")[0]
                totals.rows += 1
                totals.billed += billed
                totals.effective += effective
                had = totals.periods.get(key, (ZERO, ZERO))
                totals.periods[key] = (had[0] + billed, had[1] + effective)
    return totals


def load_cost_explorer(
    con: duckdb.DuckDBPyConnection,
    ingest_id: int,
    pages: list[dict[str, Any]],
    payer_account_id: str,
    source: str,
) -> SourceTotals:
    """Insert the pages' rows into ``focus_costs`` in the open transaction; return the source's
    own totals for :func:`warehouse.load.finish_ingest`."""
    view = f"_ce_rows_{ingest_id}"
    con.register(view, ce_rows(pages, payer_account_id))
    try:
        con.execute(
            f"INSERT INTO focus_costs BY NAME SELECT *, 'aws' AS x_Provider, ? AS x_IngestId,"
            f" ? AS x_SourceFile, ? AS x_SourceFormat FROM {view}",
            [ingest_id, source, SOURCE_FORMAT],
        )
    finally:
        con.unregister(view)
    _refuse_to_replace_line_items(con, ingest_id)
    return source_totals(pages, payer_account_id)


def collect_cost_explorer(
    warehouse: Warehouse,
    ce_client: Any,
    start: dt.date,
    end: dt.date,
    payer_account_id: str,
    today: dt.date | None = None,
) -> IngestSummary:
    """Fetch and load whole calendar months covering ``start`` to ``end`` (exclusive) in one write.

    Loads replace whole billing periods, so the window widens to month boundaries (capped at
    tomorrow, ``today`` being the UTC date): a partial fetch never deletes the rest of a month.
    """
    first, stop = whole_months(start, end, today or dt.datetime.now(dt.UTC).date())
    pages = fetch_cost_and_usage(ce_client, first, stop)  # network I/O before the writer lock
    source = f"{SOURCE_FORMAT}:{payer_account_id}:{first.isoformat()}..{stop.isoformat()}"
    with warehouse.write() as con:
        started = dt.datetime.now(dt.UTC)
        con.execute("BEGIN TRANSACTION")
        ingest_id = new_ingest_id(con)
        totals = load_cost_explorer(con, ingest_id, pages, payer_account_id, source)
        summary = finish_ingest(con, ingest_id, source, SOURCE_FORMAT, 0, totals, started)
        con.execute("COMMIT")
    return summary


def whole_months(start: dt.date, end: dt.date, today: dt.date) -> tuple[dt.date, dt.date]:
    """``start`` back to its month's first day, ``end`` (exclusive) on to the next month's first
    day but not past tomorrow."""
    if end <= start:
        raise CollectorError(f"Cost Explorer window {start}..{end} is empty (end is exclusive)")
    first = start.replace(day=1)
    stop = min(_next_month(end - dt.timedelta(days=1)), today + dt.timedelta(days=1))
    if stop <= first:
        raise CollectorError(f"Cost Explorer window {start}..{end} lies in the future")
    return first, stop


def _page_rows(page: dict[str, Any], payer: str) -> Iterator[dict[str, Any]]:
    names = {
        str(a.get("Value")): a.get("Attributes", {}).get("description")
        for a in page.get("DimensionValueAttributes", [])
    }
    for result in page.get("ResultsByTime", []):
        day = dt.date.fromisoformat(result["TimePeriod"]["Start"])
        day_end = dt.date.fromisoformat(result["TimePeriod"]["End"])
        estimated = bool(result.get("Estimated"))
        for group in result.get("Groups", []):
            yield _row(group, payer, names, (day, day_end), estimated)


def _row(
    group: dict[str, Any],
    payer: str,
    names: dict[str, str | None],
    period: tuple[dt.date, dt.date],
    estimated: bool,
) -> dict[str, Any]:
    account, service = _keys(group)
    billed, currency = _amount(group, "UnblendedCost")
    effective, amortized_currency = _amount(group, "AmortizedCost")
    if amortized_currency != currency:
        raise CollectorError(
            f"Cost Explorer {period[0]} {account} {service}: UnblendedCost is in {currency}"
            f" but AmortizedCost in {amortized_currency}"
        )
    tax = service == "Tax"
    quantity, unit = (None, None) if tax else _quantity(group)
    category, subcategory = SERVICE_CATEGORIES.get(service, OTHER)
    month = period[0].replace(day=1)
    note = " (estimated: Cost Explorer may still revise it)" if estimated else ""
    return {
        "BilledCost": _cents(billed),
        "EffectiveCost": _cents(effective),
        "ListCost": _cents(billed),
        "ContractedCost": _cents(billed),
        "BillingAccountId": payer,
        "BillingAccountName": names.get(payer),
        "BillingAccountType": "Billing Account",
        "BillingCurrency": currency,
        "BillingPeriodStart": _utc(month),
        "BillingPeriodEnd": _utc(_next_month(month)),
        "ChargeCategory": "Tax" if tax else "Usage",
        "ChargeDescription": f"{DESCRIPTION}: {service}{note}",
        "ChargeFrequency": "Recurring" if tax else "Usage-Based",
        "ChargePeriodStart": _utc(period[0]),
        "ChargePeriodEnd": _utc(period[1]),
        "ConsumedQuantity": quantity,
        "ConsumedUnit": unit,
        "PricingQuantity": quantity,
        "PricingUnit": unit,
        "PricingCategory": None if tax else "Other",  # an aggregate mixes every pricing model
        "InvoiceIssuerName": ISSUER,
        "ProviderName": "AWS",
        "PublisherName": "AWS",
        "ServiceCategory": category,
        "ServiceName": service,
        "ServiceSubcategory": subcategory,
        "SubAccountId": account,
        "SubAccountName": names.get(account),
        "SubAccountType": "Account",
    }


def _keys(group: dict[str, Any]) -> tuple[str, str]:
    keys = group.get("Keys") or []
    if len(keys) != len(GROUP_BY):
        raise CollectorError(
            f"Cost Explorer group keys {keys!r}: expected (linked account, service)"
        )
    return str(keys[0]), str(keys[1])


def _amount(group: dict[str, Any], metric: str) -> tuple[Decimal, str]:
    value = group.get("Metrics", {}).get(metric)
    if not value:
        raise CollectorError(f"Cost Explorer group {group.get('Keys')} lacks the metric {metric}")
    try:
        return Decimal(value["Amount"]), str(value.get("Unit") or "")
    except (KeyError, InvalidOperation) as exc:
        raise CollectorError(
            f"Cost Explorer group {group.get('Keys')}: {metric} is not an amount: {value!r}"
        ) from exc


def _quantity(group: dict[str, Any]) -> tuple[Decimal | None, str | None]:
    """Usage quantity, or nothing when the group sums usage of different units (unit N/A)."""
    if "UsageQuantity" not in group.get("Metrics", {}):
        return None, None
    amount, unit = _amount(group, "UsageQuantity")
    if unit in NO_UNIT:
        return None, None
    return _cents(amount), unit


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT_DIGITS)


def _utc(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def _refuse_to_replace_line_items(con: duckdb.DuckDBPyConnection, ingest_id: int) -> None:
    """A period already loaded from a CUR or FOCUS export keeps its line items: aggregates from
    Cost Explorer would replace them, so the load stops instead."""
    clash = con.execute(
        """SELECT DISTINCT f.BillingAccountId, strftime(f.BillingPeriodStart, '%Y-%m'),
                  f.x_SourceFormat
           FROM focus_costs f JOIN (SELECT DISTINCT BillingAccountId, BillingPeriodStart
                                    FROM focus_costs WHERE x_IngestId = $1) n
             USING (BillingAccountId, BillingPeriodStart)
           WHERE f.x_Provider = 'aws' AND f.x_IngestId <> $1 AND f.x_SourceFormat <> $2
           ORDER BY ALL LIMIT 1""",
        [ingest_id, SOURCE_FORMAT],
    ).fetchall()
    if clash:
        account, period, fmt = clash[0]
        raise CollectorError(
            f"billing account {account}, period {period} is already loaded from {fmt} line"
            " items; Cost Explorer aggregates would replace them, so nothing was loaded"
            " (the Cost Explorer fallback is for accounts without a CUR export)"
        )
