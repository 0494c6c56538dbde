"""The filters a reader applies to spend and findings, shared by the dashboard, the weekly report
and export: one frozen value rendered as a parameterized WHERE fragment for ``focus_costs`` or
``findings``. Filter values only ever travel as named parameters (``$f_...``); the SQL text is
built from our own column names, never from a value.

Example::

    where, params = Filters(providers=("aws",), owner="team-data").focus_where("c", con)
    con.execute(f"SELECT sum(EffectiveCost) FROM focus_costs c WHERE {where}", params)

Empty tuples and ``None`` mean "no restriction". Tag keys match as the tag policy matches them
(case-insensitively, ignoring '-', '_' and spaces: ``cost-center`` is ``CostCenter``); tag values
and owners match case-insensitively (``reports.queries.tagkeys``: a key's spellings come from
the data, so a tag or owner filter needs the connection). A bill row matches a tag filter when
its own tags or its resource's inventory tags match; a finding when its resource's inventory or
bill tags do.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

import duckdb

from reports.queries.tagkeys import OWNER_KEY, normal_key, spellings, tag_match_sql

__all__ = ["OWNER_KEY", "Filters", "normal_key"]
Params = dict[str, Any]
_ALIAS = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
Connection = duckdb.DuckDBPyConnection


@dataclass(frozen=True)
class Filters:
    """What to look at. Dates are whole UTC days, both ends included (a charge belongs to the
    day its ChargePeriodStart falls on); the savings range is on gross monthly savings, the one
    figure every finding has (net savings may not be computed yet)."""

    start: dt.date | None = None
    end: dt.date | None = None
    providers: tuple[str, ...] = ()  # x_Provider / findings.provider: aws, azure, gcp
    accounts: tuple[str, ...] = ()  # SubAccountId, else BillingAccountId / findings.account_id
    regions: tuple[str, ...] = ()  # RegionId / findings.region
    services: tuple[str, ...] = ()  # ServiceName (findings: their resource's, from the bill)
    currency: str | None = None  # BillingCurrency / findings.currency: sums never mix currencies
    tag_key: str | None = None
    tag_value: str | None = None  # with tag_key; None: the key carries any non-empty value
    owner: str | None = None  # the value of the Owner tag
    families: tuple[str, ...] = ()  # findings only
    statuses: tuple[str, ...] = ()  # findings only: open | resolved | cannot_judge
    min_confidence: float | None = None  # findings only
    min_savings: Decimal | float | None = None  # findings only, gross monthly savings
    max_savings: Decimal | float | None = None

    def focus_where(self, alias: str = "", con: Connection | None = None) -> tuple[str, Params]:
        """A WHERE fragment (``TRUE`` when unrestricted) and its parameters for ``focus_costs``
        (optionally aliased ``alias``); the finding-only fields are ignored. ``con``: where the
        tag and owner filters find their key's spellings."""
        q = _Fragment(_prefix(alias))
        q.compare("ChargePeriodStart", "f_start", _midnight(self.start), ">=")
        q.compare("ChargePeriodStart", "f_end", _midnight(self.end, 1), "<")
        q.within("x_Provider", "f_providers", self.providers)
        q.within("coalesce({p}SubAccountId, {p}BillingAccountId)", "f_accounts", self.accounts)
        q.within("RegionId", "f_regions", self.regions)
        q.within("ServiceName", "f_services", self.services)
        q.compare("BillingCurrency", "f_currency", self.currency, "=")
        for name, value in self._tag_tests(q, con):
            own = tag_match_sql(f"{q.p}Tags", f"${name}_keys", value)
            stock = tag_match_sql("r.tags", f"${name}_keys", value)
            q.parts.append(
                f"({own} OR lower({q.p}ResourceId) IN (SELECT lower(r.resource_id) "
                f"FROM resources r WHERE {stock}))"
            )
        return q.sql(), q.params

    def findings_where(self, alias: str = "", con: Connection | None = None
                       ) -> tuple[str, Params]:  # fmt: skip
        """A WHERE fragment (``TRUE`` when unrestricted) and its parameters for ``findings``
        (optionally aliased ``alias``); the date range is ignored (findings are the last run's)."""
        q = self._resource_fragment(alias, con)
        q.within("family", "f_families", self.families)
        q.within("status", "f_statuses", self.statuses)
        q.compare("currency", "f_currency", self.currency, "=")
        q.compare("confidence", "f_min_confidence", self.min_confidence, ">=")
        q.compare("savings_gross", "f_min_savings", _money(self.min_savings), ">=")
        q.compare("savings_gross", "f_max_savings", _money(self.max_savings), "<=")
        return q.sql(), q.params

    def resources_where(self, alias: str = "", con: Connection | None = None
                        ) -> tuple[str, Params]:  # fmt: skip
        """A WHERE fragment and its parameters for ``resources`` (provider, account, region,
        service, tag and owner filters; the others do not apply to an inventory)."""
        q = self._resource_fragment(alias, con)
        return q.sql(), q.params

    def _resource_fragment(self, alias: str, con: Connection | None) -> _Fragment:
        """Conditions on the columns findings and resources share (provider, account_id, region,
        resource_id)."""
        q = _Fragment(_prefix(alias))
        q.within("provider", "f_providers", self.providers)
        q.within("account_id", "f_accounts", self.accounts)
        q.within("region", "f_regions", self.regions)
        if self.services:
            q.params["f_services"] = list(self.services)
            q.parts.append(
                f"lower({q.p}resource_id) IN (SELECT lower(ResourceId) FROM focus_costs "
                "WHERE list_contains($f_services, ServiceName))"
            )
        for name, value in self._tag_tests(q, con):
            stock = tag_match_sql("r.tags", f"${name}_keys", value)
            bill = tag_match_sql("c.Tags", f"${name}_keys", value)
            q.parts.append(
                f"lower({q.p}resource_id) IN (SELECT lower(r.resource_id) FROM resources r "
                f"WHERE {stock} UNION SELECT lower(c.ResourceId) FROM focus_costs c "
                f"WHERE c.ResourceId IS NOT NULL AND {bill})"
            )
        return q

    def is_default(self) -> bool:
        """True when nothing is restricted."""
        return self == Filters()

    def describe(self) -> str:
        """The restrictions in force, for a caption or a report header ('' when none)."""
        parts = []
        for f in fields(self):
            value = getattr(self, f.name)
            if value in (None, ()):
                continue
            shown = ", ".join(map(str, value)) if isinstance(value, tuple) else str(value)
            parts.append(f"{f.name.replace('_', ' ')}: {shown}")
        return "; ".join(parts)

    def _tag_tests(self, q: _Fragment, con: Connection | None) -> list[tuple[str, str | None]]:
        """Per tag test (the tag filter, the owner): its parameters' prefix, with the key's
        spellings (``$<prefix>_keys``) and the value put in ``q``, and the value's reference."""
        tests: list[tuple[str, str | None]] = []
        owner = OWNER_KEY if self.owner else None
        for name, key, value in (("f_tag", self.tag_key, self.tag_value),
                                 ("f_owner", owner, self.owner)):  # fmt: skip
            if not key:
                continue
            if con is None:
                raise ValueError("a tag or owner filter needs the connection to find its key")
            q.params[f"{name}_keys"] = spellings(con, key)
            q.params.update(_value(name, value))
            tests.append((name, _ref(name, value)))
        return tests


class _Fragment:
    """Conditions and their parameters, built up one filter at a time."""

    def __init__(self, prefix: str) -> None:
        self.p = prefix
        self.parts: list[str] = []
        self.params: Params = {}

    def within(self, column: str, name: str, values: tuple[str, ...]) -> None:
        if values:
            self.params[name] = list(values)
            self.parts.append(f"list_contains(${name}, {self._column(column)})")

    def compare(self, column: str, name: str, bound: Any, op: str) -> None:
        if bound is not None:
            self.params[name] = bound
            self.parts.append(f"{self._column(column)} {op} ${name}")

    def sql(self) -> str:
        return " AND ".join(self.parts) if self.parts else "TRUE"

    def _column(self, column: str) -> str:
        return column.format(p=self.p) if "{p}" in column else f"{self.p}{column}"


def _prefix(alias: str) -> str:
    if alias and not _ALIAS.match(alias):
        raise ValueError(f"not a table alias: {alias!r}")
    return f"{alias}." if alias else ""


def _midnight(day: dt.date | None, plus_days: int = 0) -> dt.datetime | None:
    if day is None:
        return None
    moment = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    return moment + dt.timedelta(days=plus_days)


def _money(value: Decimal | float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _value(name: str, value: str | None) -> Params:
    return {} if value is None else {f"{name}_value": value.strip().lower()}


def _ref(name: str, value: str | None) -> str | None:
    return None if value is None else f"${name}_value"
