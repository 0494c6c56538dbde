"""Stage one export file: a single scan (``schema.py``) reads it into a temporary table of typed,
flat columns with each row's problems (``__errors``), the credits already split by what FOCUS
makes of them (``credits.py``) and the row's tags with FOCUS keys. Totals, mapping and quarantine
all read the stage, so the file is parsed once.

The stage keeps the file's row order, so a row's rowid tells its row (and JSON line) number.
"""

from __future__ import annotations

from collections.abc import Iterator

from collectors.files import sql_str
from collectors.gcp.billing.credits import credit_columns

MONEY = "DECIMAL(38,12)"
PACIFIC = "'America/Los_Angeles'"


def _num(expr: str) -> str:
    return f"TRY_CAST({expr} AS {MONEY})"


def _time(expr: str) -> str:
    return f"TRY_CAST({expr} AS TIMESTAMPTZ)"


def _text(expr: str) -> str:
    return f"NULLIF({expr}, '')"


def _period(months_later: int) -> str:
    """The invoice month's start (``months_later`` 0) or end (1): Google's invoice months follow
    US Pacific time."""
    month = "CASE WHEN regexp_full_match(invoice.month, '[0-9]{6}') THEN invoice.month END"
    start = f"TRY_STRPTIME({month}, '%Y%m')"
    return f"timezone({PACIFIC}, {start} + INTERVAL {months_later} MONTH)"


def _tags() -> str:
    """Resource labels, then project labels the resource does not set (inherited), resource
    manager tags and system labels (their keys carry Google's domain, e.g.
    ``compute.googleapis.com/machine_spec``); empty values are left out."""
    parts = "list_concat(coalesce(labels, []), coalesce(tags, []),"
    parts += " coalesce(list_filter(project.labels, lambda p: NOT list_contains("
    parts += "list_transform(coalesce(labels, []), lambda l: l.key), p.key)), []),"
    parts += " coalesce(system_labels, []))"
    kept = f"list_filter({parts}, lambda e: coalesce(e.key, '') <> '' AND e.value IS NOT NULL)"
    return f"map_from_entries(list_distinct({kept}))"


def _typed() -> dict[str, str]:
    return {
        "billing_account_id": _text("billing_account_id"),
        "service_id": _text("service.id"),
        "service_name": _text("service.description"),
        "sku_id": _text("sku.id"),
        "sku_description": _text("sku.description"),
        "usage_start": _time("usage_start_time"),
        "usage_end": _time("usage_end_time"),
        "project_id": _text("project.id"),
        "project_name": _text("project.name"),
        "region": _text("location.region"),
        "zone": _text("location.zone"),
        "location": _text("location.location"),
        "resource_name": _text("resource.name"),
        "resource_id": _text("resource.global_name"),
        "effective_price": _num("price.effective_price"),
        "tier_start": _text("price.tier_start_amount"),
        "transaction_type": _text("transaction_type"),
        "seller_name": _text("seller_name"),
        "cost": _num("cost"),
        "currency": _text("currency"),
        "usage_amount": _num("usage.amount"),
        "usage_unit": _text("usage.unit"),
        "pricing_amount": _num("usage.amount_in_pricing_units"),
        "pricing_unit": _text("usage.pricing_unit"),
        "invoice_month": _text("invoice.month"),
        "period_start": _period(0),
        "period_end": _period(1),
        "cost_type": f"lower({_text('cost_type')})",
        "adjustment_id": _text("coalesce(adjustment_info.id, adjustment_info.type)"),
        "cost_at_list": _num("cost_at_list"),
        "tags": _tags(),
    }


# (export field, staged typed column, raw copy kept for the message, what it should be)
_PARSED = (
    ("cost", "cost", "__raw_cost", "a decimal number"),
    ("usage_start_time", "usage_start", "__raw_start", "a timestamp"),
    ("usage_end_time", "usage_end", "__raw_end", "a timestamp"),
    ("invoice.month", "period_start", "__raw_month", "a month YYYYMM"),
)


def _checks() -> Iterator[tuple[str, str]]:
    """(condition, message) per rule, naming the export's own field."""
    q = "''''"
    for field, typed, raw, word in _PARSED:
        yield (
            f"({raw} IS NOT NULL AND {typed} IS NULL)",
            f"{sql_str(field + ': expected ' + word + ', got ')} || {q} || left({raw}, 80) || {q}",
        )
        yield f"({raw} IS NULL)", sql_str(f"{field}: required value missing")
    yield "(billing_account_id IS NULL)", sql_str("billing_account_id: required value missing")
    yield (
        "NOT regexp_full_match(currency, '[A-Z]{3}')",
        f"{sql_str('currency: expected an ISO 4217 code such as USD, got ')} || {q}"
        f" || coalesce(currency, '') || {q}",
    )
    yield "(usage_end < usage_start)", sql_str("usage_end_time: before usage_start_time")
    yield "(__credit_broken)", sql_str("credits.amount: expected a decimal number")


def errors_sql() -> str:
    """The row's problems joined by '; ', or ''; messages only for the rows that break a rule."""
    checks = list(_checks())
    any_broken = " OR ".join(f"coalesce({cond}, false)" for cond, _ in checks)
    messages = ", ".join(f"CASE WHEN {cond} THEN {msg} END" for cond, msg in checks)
    return (
        "CASE WHEN NOT __valid THEN 'line: not a JSON object with export fields'"
        f" WHEN {any_broken} THEN concat_ws('; ', {messages}) ELSE '' END"
    )


def _credit_broken() -> str:
    """True when a credit's amount is there but not a number."""
    return (
        "coalesce(list_bool_or(list_transform(credits, lambda c: c.amount IS NOT NULL"
        f" AND TRY_CAST(c.amount AS {MONEY}) IS NULL)), false)"
    )


def stage_sql(stage: str, scan: str) -> str:
    """CREATE the stage table from the scan: typed columns, credits, tags, ``__errors``."""
    typed = {**_typed(), **credit_columns()}
    select = ", ".join(f"{expr} AS {name}" for name, expr in typed.items())
    raws = ", ".join(f"{field} AS {raw}" for field, _, raw, _ in _PARSED)
    tags = "list_transform(tags, lambda t: {'key': t.key, 'value': t.value})"
    dropped = ", ".join(raw for _, _, raw, _ in _PARSED)
    return f"""
        CREATE TEMP TABLE {stage} AS
        SELECT * EXCLUDE (__valid, __credit_broken, {dropped}), {errors_sql()} AS __errors
        FROM (SELECT {select}, {raws}, __valid, {_credit_broken()} AS __credit_broken
              FROM (SELECT * REPLACE ({tags} AS tags)
                    FROM {scan}) AS s) AS t
    """
