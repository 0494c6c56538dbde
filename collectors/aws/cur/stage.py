"""Stage one CUR file: a single scan reads it into a temporary table under CUR 2.0 names and
types, with each row's problems (``__errors``), the two ``product`` attributes the mapping uses
(``product_name``, ``product_region``) and the row's tags already with FOCUS keys (``tags``).
Everything after the scan (totals, mapping, quarantine) reads the stage, so a CSV is parsed
exactly once.

The stage keeps the file's row order (DuckDB preserves insertion order), so a row's rowid tells
its data row number.
"""

from __future__ import annotations

from collections.abc import Iterator

from collectors.aws.cur.columns import MONEY, READ, REQUIRED, TIME, CurColumns
from collectors.files import sql_str
from collectors.focus.normalize import ident

_WORDS = {MONEY: "a decimal number", TIME: "an ISO 8601 date/time"}
TAGS = "MAP(VARCHAR, VARCHAR)"


def _typed(raw: str, sql_type: str) -> str:
    if sql_type == "VARCHAR":
        return f"NULLIF(CAST({raw} AS VARCHAR), '')"
    return f"TRY_CAST({raw} AS {sql_type})"


def focus_tag_key(cur_key: str) -> str:
    """A CUR tag key as FOCUS writes it: ``user_Team`` -> ``Team``, ``aws_createdBy`` ->
    ``aws:createdBy``."""
    if cur_key.startswith("user_"):
        return cur_key[len("user_") :]
    if cur_key.startswith("aws_"):
        return "aws:" + cur_key[len("aws_") :]
    return cur_key


def _map_column(raw: str, raw_type: str) -> str:
    """A CUR 2.0 map column (or its JSON text in a CSV export) as MAP(VARCHAR, VARCHAR)."""
    if raw_type.startswith("MAP"):
        return f"CAST({raw} AS {TAGS})"
    return f"TRY_CAST(TRY_CAST({raw} AS JSON) AS {TAGS})"


def _tags(cols: CurColumns, raw_types: dict[str, str]) -> str:
    """The row's FOCUS Tags: keys as FOCUS writes them, empty values left out."""
    if cols.tags_map is not None:
        entries = f"map_entries({_map_column(ident(cols.tags_map), raw_types[cols.tags_map])})"
        return (
            f"map_from_entries(list_transform(list_filter({entries},"
            " lambda e: coalesce(e.value, '') <> ''), lambda e: {"
            "'key': CASE WHEN starts_with(e.key, 'user_') THEN e.key[6:]"
            " WHEN starts_with(e.key, 'aws_') THEN 'aws:' || e.key[5:] ELSE e.key END,"
            " 'value': e.value}))"
        )
    if not cols.tag_columns:
        return f"CAST(MAP() AS {TAGS})"
    values = [f"NULLIF({ident(h)}, '')" for h in cols.tag_columns.values()]
    pairs = ", ".join(
        f"{{'key': {sql_str(focus_tag_key(k))}, 'value': {v}}}"
        for k, v in zip(cols.tag_columns, values, strict=True)
    )
    return (
        f"CASE WHEN coalesce({', '.join(values)}) IS NULL THEN CAST(MAP() AS {TAGS})"
        f" ELSE map_from_entries(list_filter([{pairs}], lambda e: e.value IS NOT NULL)) END"
    )


def _product(cols: CurColumns, raw_types: dict[str, str], key: str) -> str:
    """One attribute of the ``product`` map (CUR 2.0) or of its legacy ``product/...`` column."""
    if cols.product_map is not None:
        as_map = _map_column(ident(cols.product_map), raw_types[cols.product_map])
        return f"NULLIF({as_map}[{sql_str(key)}], '')"
    header = cols.product_columns.get(key)
    return f"NULLIF(CAST({ident(header)} AS VARCHAR), '')" if header else "NULL::VARCHAR"


def _checks(cols: CurColumns) -> Iterator[tuple[str, str]]:
    """(condition, message) per rule, naming the file's own column."""
    quote = "''''"
    for name, sql_type in READ.items():
        if name not in cols.source_of:
            continue
        header = cols.name_of(cols.source_of[name])
        if sql_type in _WORDS:
            raw = ident("__raw_" + name)
            yield (
                f"({raw} IS NOT NULL AND {ident(name)} IS NULL)",
                f"{sql_str(header + ': expected ' + _WORDS[sql_type] + ', got ')} || {quote} || "
                f"left(CAST({raw} AS VARCHAR), 80) || {quote}",
            )
        if name in REQUIRED:
            missing = f"{ident(name)} IS NULL"
            if sql_type in _WORDS:
                missing += f" AND {ident('__raw_' + name)} IS NULL"
            yield f"({missing})", sql_str(header + ": required value missing")
    currency = cols.name_of(cols.source_of["line_item_currency_code"])
    yield (
        "NOT regexp_full_match(line_item_currency_code, '[A-Z]{3}')",
        f"{sql_str(currency + ': expected an ISO 4217 code such as USD, got ')} || {quote} || "
        f"line_item_currency_code || {quote}",
    )
    end = cols.name_of(cols.source_of["line_item_usage_end_date"])
    yield (
        "line_item_usage_end_date < line_item_usage_start_date",
        sql_str(end + ": before the usage start"),
    )


def errors_sql(cols: CurColumns) -> str:
    """The row's problems joined by '; ', or ''. Messages are built only for the rows that break
    a rule (one cheap test per row first)."""
    checks = list(_checks(cols))
    any_broken = " OR ".join(f"coalesce({cond}, false)" for cond, _ in checks)
    messages = ", ".join(f"CASE WHEN {cond} THEN {msg} END" for cond, msg in checks)
    return f"CASE WHEN {any_broken} THEN concat_ws('; ', {messages}) ELSE '' END"


def stage_sql(stage: str, scan: str, cols: CurColumns, raw_types: dict[str, str]) -> str:
    """CREATE the stage table from the scan: typed CUR 2.0 columns, tags, ``__errors``."""
    typed = [
        f"{_typed(ident(cols.source_of[n]), t) if n in cols.source_of else 'NULL'}::{t}"
        f" AS {ident(n)}"
        for n, t in READ.items()
    ]
    typed.append(f"{_product(cols, raw_types, 'product_name')} AS product_name")
    typed.append(f"{_product(cols, raw_types, 'region')} AS product_region")
    typed.append(f"{_tags(cols, raw_types)} AS tags")
    checked = [n for n, t in READ.items() if n in cols.source_of and t in _WORDS]
    raws = [f"{ident(cols.source_of[n])} AS {ident('__raw_' + n)}" for n in checked]
    return f"""
        CREATE TEMP TABLE {stage} AS
        SELECT * EXCLUDE ({", ".join(ident("__raw_" + n) for n in checked)}),
               {errors_sql(cols)} AS __errors
        FROM (SELECT {", ".join(typed + raws)} FROM {scan}) AS s
    """


def amortized_cost() -> str:
    """The row's amortized cost as AWS's own amortized-cost query computes it, from the stage
    columns. It is the *source* total EffectiveCost reconciles against, written apart from the
    FOCUS mapping on purpose."""
    return """CASE line_item_line_item_type
        WHEN 'SavingsPlanCoveredUsage' THEN savings_plan_savings_plan_effective_cost
        WHEN 'SavingsPlanRecurringFee' THEN
            savings_plan_total_commitment_to_date - coalesce(savings_plan_used_commitment, 0)
        WHEN 'SavingsPlanNegation' THEN 0
        WHEN 'SavingsPlanUpfrontFee' THEN 0
        WHEN 'DiscountedUsage' THEN reservation_effective_cost
        WHEN 'RIFee' THEN coalesce(reservation_unused_amortized_upfront_fee_for_billing_period, 0)
            + coalesce(reservation_unused_recurring_fee, 0)
        ELSE CASE WHEN line_item_line_item_type = 'Fee'
                   AND reservation_reservation_a_r_n IS NOT NULL THEN 0
                  ELSE line_item_unblended_cost END
        END"""
