"""Stage one Azure cost details file: a single scan reads it into a temporary table under the
canonical names and types of ``columns.py``, with each row's problems (``__errors``, naming the
file's own column), its data row number, the FOCUS billing account it belongs to and the key
that matches it with its twin in the other view (actual / amortized).
"""

from __future__ import annotations

from collections.abc import Iterator

from collectors.azure.cost_details.columns import (
    COLUMNS,
    COST_COLUMNS,
    DEC,
    REQUIRED,
    TAGS,
    CostColumns,
)
from collectors.files import sql_str
from collectors.focus.normalize import ident

_WORDS = {
    DEC: "a decimal number",
    "DATE": "a date (M/D/YYYY or YYYY-MM-DD)",
    TAGS: "a JSON object of tags",
}
ACCOUNT_PREFIX = "/providers/Microsoft.Billing/billingAccounts/"


def _typed(raw: str, sql_type: str, raw_type: str) -> str:
    """A raw value as the canonical type; NULL when it does not parse."""
    text = f"NULLIF(trim(CAST({raw} AS VARCHAR)), '')"
    if sql_type == "VARCHAR":
        return text
    if sql_type == DEC:
        return f"TRY_CAST({text} AS {DEC})"
    if sql_type == "DATE":
        if raw_type != "VARCHAR":
            return f"TRY_CAST({raw} AS DATE)"
        return f"coalesce(try_strptime({text}, '%m/%d/%Y'), TRY_CAST({text} AS TIMESTAMP))::DATE"
    if raw_type.startswith("MAP"):
        return f"CAST({raw} AS {TAGS})"
    braced = f"CASE WHEN starts_with({text}, '{{') THEN {text} ELSE '{{' || {text} || '}}' END"
    return (
        f"CASE WHEN {text} IS NULL THEN CAST(MAP() AS {TAGS})"
        f" ELSE TRY_CAST(TRY_CAST({braced} AS JSON) AS {TAGS}) END"
    )


def _checks(cols: CostColumns, names: dict[str, str]) -> Iterator[tuple[str, str]]:
    """(condition, message) per rule, naming the file's own column."""
    quote = "''''"
    for name, (sql_type, _) in COLUMNS.items():
        if name not in cols.source_of:
            continue
        header = cols.header(name, names)
        if sql_type in _WORDS:
            raw = f"NULLIF(trim(CAST({ident(cols.source_of[name])} AS VARCHAR)), '')"
            yield (
                f"({raw} IS NOT NULL AND {ident(name)} IS NULL)",
                f"{sql_str(header + ': expected ' + _WORDS[sql_type] + ', got ')} || {quote} || "
                f"left({raw}, 80) || {quote}",
            )
        if name in REQUIRED:
            yield f"({ident(name)} IS NULL)", sql_str(header + ": required value missing")
    if "billing_currency" in cols.source_of:
        currency = cols.header("billing_currency", names)
        yield (
            "NOT regexp_full_match(billing_currency, '[A-Z]{3}')",
            f"{sql_str(currency + ': expected an ISO 4217 code such as USD, got ')} || {quote} || "
            f"billing_currency || {quote}",
        )
    end = cols.header("billing_period_end", names)
    yield ("billing_period_end < billing_period_start", sql_str(end + ": before the start"))


def errors_sql(cols: CostColumns, names: dict[str, str]) -> str:
    """The row's problems joined by '; ', or ''."""
    checks = list(_checks(cols, names))
    any_broken = " OR ".join(f"coalesce({cond}, false)" for cond, _ in checks)
    messages = ", ".join(f"CASE WHEN {cond} THEN {msg} END" for cond, msg in checks)
    return f"CASE WHEN {any_broken} THEN concat_ws('; ', {messages}) ELSE '' END"


def focus_account_sql(dialect: str) -> str:
    """The FOCUS BillingAccountId as Microsoft's own FOCUS export writes it: the billing
    account's resource id (EA), or the billing profile's (MCA invoices per billing profile)."""
    account = (
        "CASE WHEN starts_with(billing_account_id, '/') THEN billing_account_id"
        f" ELSE {sql_str(ACCOUNT_PREFIX)} || billing_account_id END"
    )
    if dialect == "mca":
        return f"{account} || '/billingProfiles/' || billing_profile_id"
    return account


def match_key_sql() -> str:
    """The columns that identify a charge in both views, as one key (ids differ in case
    between the views, so the key is case-blind)."""
    keep = [f"lower(CAST({ident(n)} AS VARCHAR))" for n in COLUMNS if n not in COST_COLUMNS]
    # two 64-bit hashes over the columns in opposite orders: a 128-bit key, far cheaper than
    # serializing the row
    forward, backward = ", ".join(keep), ", ".join(reversed(keep))
    return f"CAST(hash({forward}) AS VARCHAR) || '-' || CAST(hash({backward}) AS VARCHAR)"


def stage_sql(
    stage: str, scan: str, cols: CostColumns, raw_types: dict[str, tuple[str, str]]
) -> str:
    """CREATE the stage table from the scan. ``cols`` and ``raw_types`` name the scan's columns
    (``raw_types``: scan column -> (DuckDB type, the file's own header)); inside, each raw column
    is read as ``__c<i>`` so that no raw name can collide with a canonical one."""
    alias = {c: f"__c{i}" for i, c in enumerate(raw_types)}
    header = {alias[c]: h for c, (_, h) in raw_types.items()}
    types = {alias[c]: t for c, (t, _) in raw_types.items()}
    inner = cols.renamed(alias)
    typed = [
        (
            _typed(ident(inner.source_of[n]), t, types[inner.source_of[n]])
            if n in inner.source_of
            else "NULL"
        )
        + f"::{t} AS {ident(n)}"
        for n, (t, _) in COLUMNS.items()
    ]
    raw_json = ", ".join(f"{sql_str(h)}: {ident(a)}" for a, h in header.items())
    renamed = ", ".join(f"{ident(c)} AS {ident(a)}" for c, a in alias.items())
    errors = errors_sql(inner, header)
    return f"""
        CREATE TEMP TABLE {stage} AS
        SELECT * EXCLUDE ({", ".join(ident(a) for a in header)}),
               {match_key_sql()} AS __match_key,
               CASE WHEN billing_account_id IS NOT NULL THEN {focus_account_sql(cols.dialect)}
               END AS __focus_account,
               CASE WHEN __errors <> '' THEN CAST(to_json({{{raw_json}}}) AS VARCHAR)
                    ELSE '' END AS __raw
        FROM (SELECT *, {errors} AS __errors
              FROM (SELECT {", ".join(typed)}, r.*
                    FROM (SELECT {renamed} FROM {scan}) AS r) AS t) AS s
    """
