"""The SQL that turns a FOCUS file's raw columns into typed FOCUS 1.2 columns, row by row checks
included. Pure: column maps in, SQL text out; DuckDB does all the work on the data."""

from __future__ import annotations

from collections.abc import Iterator

from collectors.files import sql_str
from collectors.focus.columns import PRICING_CURRENCY_TWINS, ColumnMap
from warehouse.focus_columns import (
    CHARGE_CATEGORIES,
    DECIMAL,
    FOCUS_COLUMNS,
    JSON,
    TAGS,
    TIMESTAMP,
    FocusColumn,
)

_TYPE_WORDS = {
    DECIMAL: "a decimal number",
    TIMESTAMP: "an ISO 8601 date/time",
    TAGS: "a JSON object of tags",
    JSON: "a JSON object",
}


def ident(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def typed_name(column: str) -> str:
    """The alias the typed value of a FOCUS column carries inside the mapping query."""
    return ident(f"__v_{column}")


def _typed_expr(col: FocusColumn, raw: str, raw_type: str) -> str:
    """Expression reading one raw value as the warehouse type; NULL when it cannot."""
    if col.sql_type == DECIMAL:
        return f"TRY_CAST({raw} AS {DECIMAL})"
    if col.sql_type == TIMESTAMP:
        return f"TRY_CAST({raw} AS TIMESTAMPTZ)"
    if col.sql_type == TAGS:
        if raw_type.startswith("MAP"):
            return f"TRY_CAST({raw} AS {TAGS})"
        return f"TRY_CAST(TRY_CAST({raw} AS JSON) AS {TAGS})"
    if col.sql_type == JSON:
        as_json = f"TRY_CAST({raw} AS JSON)" if raw_type == "VARCHAR" else f"to_json({raw})"
        return f"CASE WHEN json_type({as_json}) = 'OBJECT' THEN {as_json} END"
    return f"NULLIF(CAST({raw} AS VARCHAR), '')"


def typed_columns(cmap: ColumnMap, raw_types: dict[str, str]) -> str:
    """The SELECT list of typed values, one per FOCUS column.

    A column the file lacks is derived where an older FOCUS version implies it (see
    :func:`_derived`), else NULL.
    """
    present = {
        col.name: _typed_expr(col, ident(src), raw_types[src])
        for col in FOCUS_COLUMNS
        if (src := cmap.source_of.get(col.name)) is not None
    }
    parts = []
    for col in FOCUS_COLUMNS:
        expr = present.get(col.name) or _derived(col.name, present) or "NULL"
        parts.append(f"CAST({expr} AS {col.sql_type}) AS {typed_name(col.name)}")
    return ",\n  ".join(parts)


def mapped_select(exprs: dict[str, str]) -> str:
    """The typed ``__v_<column>`` SELECT list of every FOCUS column from a provider's mapping
    (column -> SQL expression; absent columns are NULL, the PricingCurrency* prices and cost
    default to their billing twins: the provider prices in the billing currency)."""
    parts = []
    for col in FOCUS_COLUMNS:
        twin = PRICING_CURRENCY_TWINS.get(col.name) if col.name != "PricingCurrency" else None
        expr = exprs.get(col.name) or (exprs.get(twin) if twin else None) or "NULL"
        parts.append(f"CAST({expr} AS {col.sql_type}) AS {typed_name(col.name)}")
    return ",\n  ".join(parts)


def _derived(name: str, present: dict[str, str]) -> str | None:
    """FOCUS 1.1/1.2 columns implied by an older file (documented in the README)."""
    if name in PRICING_CURRENCY_TWINS and "PricingCurrency" not in present:
        twin = present.get(PRICING_CURRENCY_TWINS[name])
        if twin and name.endswith("UnitPrice"):
            return f"CASE WHEN {present.get('ChargeCategory', 'NULL')} <> 'Tax' THEN {twin} END"
        return twin
    if name == "ServiceSubcategory" and "ServiceCategory" in present:
        return f"'Other (' || {present['ServiceCategory']} || ')'"  # FOCUS 1.1 "unclassified"
    return None


def _checks(cmap: ColumnMap) -> Iterator[str]:
    """One CASE per rule: the message when the rule is broken, else NULL."""
    for col in FOCUS_COLUMNS:
        src = cmap.source_of.get(col.name)
        value = typed_name(col.name)
        if src is not None and col.sql_type in _TYPE_WORDS:
            raw = f"left(CAST({ident(src)} AS VARCHAR), 80)"
            yield (
                f"CASE WHEN {ident(src)} IS NOT NULL AND {value} IS NULL THEN "
                f"'{col.name}: expected {_TYPE_WORDS[col.sql_type]}, got ''' || {raw} || '''' END"
            )
        if col.required:
            cond = f"{value} IS NULL" + (f" AND {ident(src)} IS NULL" if src else "")
            yield f"CASE WHEN {cond} THEN '{col.name}: required value missing' END"
    allowed = ", ".join(f"'{c}'" for c in CHARGE_CATEGORIES)
    cat = typed_name("ChargeCategory")
    yield (
        f"CASE WHEN {cat} NOT IN ({allowed}) THEN 'ChargeCategory: expected one of "
        f"{', '.join(CHARGE_CATEGORIES)}, got ''' || {cat} || '''' END"
    )
    cur = typed_name("BillingCurrency")
    yield (
        f"CASE WHEN NOT regexp_full_match({cur}, '[A-Z]{{3}}') THEN "
        f"'BillingCurrency: expected an ISO 4217 code such as USD, got ''' || {cur} || '''' END"
    )
    yield (
        f"CASE WHEN {typed_name('ChargePeriodEnd')} < {typed_name('ChargePeriodStart')} THEN "
        "'ChargePeriodEnd: before ChargePeriodStart' END"
    )


def errors_expr(cmap: ColumnMap) -> str:
    """Every broken rule of a row, joined by '; ' (empty when the row is fine)."""
    return "concat_ws('; ', " + ",\n    ".join(_checks(cmap)) + ")"


def provider_key(expr: str) -> str:
    """Our short provider key (aws, azure, gcp, oracle, ...) from a ProviderName value."""
    p = f"lower({expr})"
    return (
        f"CASE WHEN {p} IN ('aws', 'amazon', 'amazon web services', 'amazon web services, inc.')"
        f" THEN 'aws' WHEN {p} LIKE 'microsoft%' OR {p} LIKE '%azure%' THEN 'azure'"
        f" WHEN {p} LIKE 'google%' OR {p} = 'gcp' THEN 'gcp'"
        f" WHEN {p} LIKE 'oracle%' OR {p} = 'oci' THEN 'oracle' ELSE {p} END"
    )


def mapped_rows(
    scan: str, cmap: ColumnMap, raw_types: dict[str, str], numbered: bool = False
) -> str:
    """All rows of the scan with typed values and the row's errors (``__errors``).

    Raw columns pass through unchanged, so a quarantined row keeps its original text; with
    ``numbered`` each row also carries its 1-based data row number (``__row``).
    """
    source = f"(SELECT row_number() OVER () AS __row, * FROM {scan})" if numbered else scan
    return (
        f"SELECT {typed_columns(cmap, raw_types)},\n"
        f"  {errors_expr(cmap)} AS __errors, {whole_row(list(raw_types))} AS __whole, s.*\n"
        f"FROM {source} s"
    )


def whole_row(raw_columns: list[str]) -> str:
    """An expression that reads every column of a row.

    DuckDB reads only the columns a query uses, and decides whether a CSV line is malformed
    (invalid UTF-8, say) only for what it reads; every scan of a file must therefore read every
    column, so that each scan skips exactly the same lines.
    """
    return "hash(" + ", ".join(ident(c) for c in raw_columns) + ")"


def focus_select(ingest_id: int, source_file: str, source_format: str) -> str:
    """The SELECT list that turns mapped rows into ``focus_costs`` rows."""
    cols = [f"{typed_name(c.name)} AS {ident(c.name)}" for c in FOCUS_COLUMNS]
    cols += [
        f"{provider_key(typed_name('ProviderName'))} AS x_Provider",
        f"{ingest_id} AS x_IngestId",
        f"{sql_str(source_file)} AS x_SourceFile",
        f"{sql_str(source_format)} AS x_SourceFormat",
    ]
    return ",\n  ".join(cols)


def quarantine_select(
    ingest_id: int, source_file: str, raw_columns: list[str], line_expr: str
) -> str:
    """The SELECT list that turns rejected mapped rows into ``quarantine`` rows."""
    raw = ", ".join(f"{sql_str(c)}: {ident(c)}" for c in raw_columns)
    return ",\n  ".join(
        [
            f"{ingest_id} AS ingest_id",
            f"{sql_str(source_file)} AS source_file",
            "__row AS source_row",
            f"{line_expr} AS source_line",
            "split_part(__errors, ':', 1) AS column_name",
            "__errors AS reason",
            f"CAST(to_json({{{raw}}}) AS VARCHAR) AS raw_record",
            f"{provider_key(typed_name('ProviderName'))} AS x_Provider",
            f"{typed_name('BillingAccountId')} AS BillingAccountId",
            f"{typed_name('BillingPeriodStart')} AS BillingPeriodStart",
            f"{typed_name('BillingCurrency')} AS BillingCurrency",
            f"{typed_name('BilledCost')} AS BilledCost",
            f"{typed_name('EffectiveCost')} AS EffectiveCost",
        ]
    )
