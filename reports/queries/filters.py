"""The filters a reader applies to spend and findings, shared by the dashboard, the weekly report
and export: one frozen value rendered as a parameterized WHERE fragment for ``focus_costs`` or
``findings``. Filter values only ever travel as named parameters (``$f_...``); the SQL text is
built from our own column names, never from a value.

Example::

    where, params = Filters(providers=("aws",), owner="team-data").focus_where("c")
    con.execute(f"SELECT sum(EffectiveCost) FROM focus_costs c WHERE {where}", params)

Empty tuples and ``None`` mean "no restriction". Tag keys match as the tag policy matches them
(case-insensitively, ignoring '-', '_' and spaces: ``cost-center`` is ``CostCenter``); tag values
and owners match case-insensitively. A bill row matches a tag filter when its own tags or its
resource's inventory tags match; a finding when its resource's inventory or bill tags do.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

from analysis.untagged import NORMAL

OWNER_KEY = "Owner"  # the mandatory tag naming who owns a resource
Params = dict[str, Any]
_ALIAS = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def normal_key(key: str) -> str:
    """A tag key as the policy compares it: ``Cost-Center`` -> ``costcenter``."""
    return re.sub(r"[-_ ]", "", key).lower()


def tag_match_sql(tags: str, key: str, value: str | None) -> str:
    """SQL true when the MAP ``tags`` has an entry whose normalized key is the parameter ``key``
    (``$name``) and, with ``value``, whose value equals that parameter ignoring case."""
    test = f"{NORMAL.format('e.key')} = {key}"
    if value is not None:
        test += f" AND lower(trim(e.value)) = {value}"
    else:
        test += " AND trim(coalesce(e.value, '')) <> ''"
    return f"coalesce(list_bool_or(list_transform(map_entries({tags}), lambda e: {test})), false)"


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

    def focus_where(self, alias: str = "") -> tuple[str, Params]:
        """A WHERE fragment (``TRUE`` when unrestricted) and its parameters for ``focus_costs``
        (optionally aliased ``alias``); the finding-only fields are ignored."""
        q = _Fragment(_prefix(alias))
        q.compare("ChargePeriodStart", "f_start", _midnight(self.start), ">=")
        q.compare("ChargePeriodStart", "f_end", _midnight(self.end, 1), "<")
        q.within("x_Provider", "f_providers", self.providers)
        q.within("coalesce({p}SubAccountId, {p}BillingAccountId)", "f_accounts", self.accounts)
        q.within("RegionId", "f_regions", self.regions)
        q.within("ServiceName", "f_services", self.services)
        q.compare("BillingCurrency", "f_currency", self.currency, "=")
        for name, key, value in self._tag_tests():
            q.params.update({f"{name}_key": normal_key(key)} | _value(name, value))
            own = tag_match_sql(f"{q.p}Tags", f"${name}_key", _ref(name, value))
            stock = tag_match_sql("r.tags", f"${name}_key", _ref(name, value))
            q.parts.append(
                f"({own} OR lower({q.p}ResourceId) IN (SELECT lower(r.resource_id) "
                f"FROM resources r WHERE {stock}))"
            )
        return q.sql(), q.params

    def findings_where(self, alias: str = "") -> tuple[str, Params]:
        """A WHERE fragment (``TRUE`` when unrestricted) and its parameters for ``findings``
        (optionally aliased ``alias``); the date range is ignored (findings are the last run's)."""
        q = self._resource_fragment(alias)
        q.within("family", "f_families", self.families)
        q.within("status", "f_statuses", self.statuses)
        q.compare("currency", "f_currency", self.currency, "=")
        q.compare("confidence", "f_min_confidence", self.min_confidence, ">=")
        q.compare("savings_gross", "f_min_savings", _money(self.min_savings), ">=")
        q.compare("savings_gross", "f_max_savings", _money(self.max_savings), "<=")
        return q.sql(), q.params

    def resources_where(self, alias: str = "") -> tuple[str, Params]:
        """A WHERE fragment and its parameters for ``resources`` (provider, account, region,
        service, tag and owner filters; the others do not apply to an inventory)."""
        q = self._resource_fragment(alias)
        return q.sql(), q.params

    def _resource_fragment(self, alias: str) -> _Fragment:
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
        for name, key, value in self._tag_tests():
            q.params.update({f"{name}_key": normal_key(key)} | _value(name, value))
            stock = tag_match_sql("r.tags", f"${name}_key", _ref(name, value))
            bill = tag_match_sql("c.Tags", f"${name}_key", _ref(name, value))
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

    def _tag_tests(self) -> list[tuple[str, str, str | None]]:
        tests: list[tuple[str, str, str | None]] = []
        if self.tag_key:
            tests.append(("f_tag", self.tag_key, self.tag_value))
        if self.owner:
            tests.append(("f_owner", OWNER_KEY, self.owner))
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
