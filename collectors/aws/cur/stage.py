"""Stage one CUR file: a single scan reads it into a temporary table under CUR 2.0 names and
types, with each row's problems (``__errors``). Everything after the scan (totals, mapping,
quarantine) reads the stage, so a CSV is parsed exactly once.

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


def _map(header: str | None, raw_types: dict[str, str], pairs: dict[str, str]) -> str:
    """A MAP(VARCHAR, VARCHAR) from a CUR 2.0 map column (or its JSON text in CSV), or from
    legacy per-key columns; empty values are left out."""
    if header is not None:
        raw = ident(header)
        if raw_types[header].startswith("MAP"):
            return f"CAST({raw} AS {TAGS})"
        return f"TRY_CAST(TRY_CAST({raw} AS JSON) AS {TAGS})"
    if not pairs:
        return f"CAST(MAP() AS {TAGS})"
    keys = ", ".join(sql_str(k) for k in pairs)
    values = ", ".join(f"NULLIF(CAST({ident(h)} AS VARCHAR), '')" for h in pairs.values())
    return (
        f"map_from_entries(list_filter(list_zip([{keys}], [{values}]), lambda e: e[2] IS NOT NULL))"
    )


def _checks(cols: CurColumns) -> Iterator[str]:
    """One CASE per rule: the problem (naming the file's own column) or NULL."""
    for name, sql_type in READ.items():
        if name not in cols.source_of:
            continue
        header = cols.name_of(cols.source_of[name])
        raw = ident("__raw_" + name)
        if sql_type in _WORDS:
            yield (
                f"CASE WHEN {raw} IS NOT NULL AND {ident(name)} IS NULL THEN "
                f"{sql_str(header + ': expected ' + _WORDS[sql_type] + ', got ')} || '''' || "
                f"left(CAST({raw} AS VARCHAR), 80) || '''' END"
            )
        if name in REQUIRED:
            yield (
                f"CASE WHEN {ident(name)} IS NULL AND {raw} IS NULL THEN "
                f"{sql_str(header + ': required value missing')} END"
            )
    currency = cols.name_of(cols.source_of["line_item_currency_code"])
    yield (
        "CASE WHEN NOT regexp_full_match(line_item_currency_code, '[A-Z]{3}') THEN "
        f"{sql_str(currency + ': expected an ISO 4217 code such as USD, got ')} || '''' || "
        "line_item_currency_code || '''' END"
    )
    end = cols.name_of(cols.source_of["line_item_usage_end_date"])
    yield (
        "CASE WHEN line_item_usage_end_date < line_item_usage_start_date THEN "
        f"{sql_str(end + ': before the usage start')} END"
    )


def stage_sql(stage: str, scan: str, cols: CurColumns, raw_types: dict[str, str]) -> str:
    """CREATE the stage table from the scan: typed CUR 2.0 columns, maps, ``__errors``."""
    typed = [
        f"{_typed(ident(cols.source_of[n]), t) if n in cols.source_of else 'NULL'}::{t}"
        f" AS {ident(n)}"
        for n, t in READ.items()
    ]
    typed.append(f"{_map(cols.product_map, raw_types, cols.product_columns)} AS product")
    typed.append(f"{_map(cols.tags_map, raw_types, cols.tag_columns)} AS resource_tags")
    raws = ", ".join(f"{ident(h)} AS {ident('__raw_' + n)}" for n, h in cols.source_of.items())
    errors = "concat_ws('; ', " + ",\n    ".join(_checks(cols)) + ")"
    return f"""
        CREATE TEMP TABLE {stage} AS
        SELECT * EXCLUDE ({", ".join(ident("__raw_" + n) for n in cols.source_of)}),
               {errors} AS __errors
        FROM (SELECT {", ".join(typed)}, {raws} FROM {scan}) AS s
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
