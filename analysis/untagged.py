"""Untagged: taggable resources missing a required tag key (or carrying a value the policy does
not allow). Keys match case-insensitively, ignoring '-', '_' and spaces, and through aliases;
tags inherited from Azure subscriptions and resource groups and GCP project labels (in the
bill's tags) count. The finding carries the resource's monthly cost at stake; it saves nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import duckdb

from analysis.findings import Finding, Reason, confidence
from analysis.params import Params, param
from analysis.pricing import BILL, fetch_dicts, priced
from analysis.registry import Analyzer, RunContext, register
from analysis.window import Window

POLICY, STATUS = "tag_policy", "tag_status"
SCOPES = "('subscription', 'resource_group', 'project')"
NORMAL = "lower(regexp_replace({}, '[-_ ]', '', 'g'))"
# a provider in $providers (none: every provider)
IN_SCOPE = "(len($providers) = 0 OR list_contains(CAST($providers AS VARCHAR[]), {}))"

STATUS_SQL = f"""
CREATE OR REPLACE TEMP TABLE {STATUS} AS
WITH subjects AS (
    SELECT provider, rid, arg_min(account_id, origin) AS account_id FROM (
        SELECT provider, lower(resource_id) AS rid, account_id, 1 AS origin FROM resources
        WHERE {IN_SCOPE.format("provider")}
        UNION ALL
        SELECT x_Provider, lower(ResourceId), coalesce(SubAccountId, BillingAccountId), 2
        FROM focus_costs
        WHERE ResourceId IS NOT NULL AND ChargePeriodEnd > $start AND ChargePeriodStart < $end
          AND {IN_SCOPE.format("x_Provider")})
    GROUP BY provider, rid
), tagged AS (
    SELECT provider, lower(resource_id) AS rid, 1 AS rank, 'resource' AS source, tags
    FROM resources WHERE {IN_SCOPE.format("provider")}
    UNION ALL
    SELECT DISTINCT x_Provider, lower(ResourceId), 2, 'bill', Tags FROM focus_costs
    WHERE ResourceId IS NOT NULL AND ChargePeriodEnd > $start AND ChargePeriodStart < $end
      AND {IN_SCOPE.format("x_Provider")}
    UNION ALL
    SELECT s.provider, s.rid, CASE WHEN g.resource_type = 'resource_group' THEN 3 ELSE 4 END,
           g.resource_type, g.tags
    FROM subjects s JOIN resources g ON g.provider = s.provider AND $inherit
         AND g.resource_type IN {SCOPES} AND lower(g.resource_id) <> s.rid
         AND (starts_with(s.rid, lower(g.resource_id) || '/')
              OR (g.resource_type <> 'resource_group' AND g.account_id = s.account_id))
), entries AS (
    SELECT provider, rid, rank, source, e.key AS found_key, e.value
    FROM (SELECT *, unnest(map_entries(tags)) AS e FROM tagged)
), matched AS (
    SELECT e.*, p.key, row_number() OVER (PARTITION BY e.provider, e.rid, p.key
                                          ORDER BY e.rank, e.found_key) AS pick
    FROM entries e JOIN {POLICY} p ON p.alias = {NORMAL.format("e.found_key")}
    WHERE NOT regexp_matches(e.found_key, $system) AND trim(coalesce(e.value, '')) <> ''
)
SELECT s.provider, s.rid, s.account_id, k.key, k.ordinal, m.found_key, m.value, m.source,
       m.value IS NOT NULL AS present,
       m.value IS NOT NULL
           AND (k.allowed IS NULL OR list_contains(k.allowed, lower(m.value)))
           AND (k.pattern IS NULL OR regexp_full_match(m.value, k.pattern)) AS valid
FROM subjects s
CROSS JOIN (SELECT DISTINCT key, ordinal, allowed, pattern FROM {POLICY}) k
LEFT JOIN matched m ON m.provider = s.provider AND m.rid = s.rid AND m.key = k.key
     AND m.pick = 1
"""


def prepare_tag_status(con: duckdb.DuckDBPyConnection, policy: TagPolicy, span: Window,
                       providers: tuple[str, ...] = ()) -> None:  # fmt: skip
    """``tag_policy`` (key, ordinal, alias, allowed, pattern) and ``tag_status`` for ``span``
    (the resources of ``providers`` only, when given)."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE {POLICY} (key VARCHAR, ordinal INTEGER, "
                "alias VARCHAR, allowed VARCHAR[], pattern VARCHAR)")  # fmt: skip
    rows = []
    for ordinal, key in enumerate(policy.required_keys):
        allowed = policy.allowed_values.get(key)
        lowered = [v.lower() for v in allowed] if allowed else None
        for alias in {key, *policy.aliases.get(key, [])}:
            rows.append([key, ordinal, alias, lowered, policy.value_patterns.get(key)])
    if rows:
        con.executemany(f"INSERT INTO {POLICY} VALUES (?, ?, {NORMAL.format('?')}, ?, ?)", rows)
    con.execute(STATUS_SQL, {"start": span.start, "end": span.end, "inherit": policy.inherit,
                             "system": policy.system_key_pattern,
                             "providers": list(providers)})  # fmt: skip


SQL = f"""
SELECT r.provider, r.account_id, r.region, r.resource_id, r.resource_type, r.sku,
       map_keys(r.tags) AS tag_keys, c.monthly_cost, c.currency,
       list(t.key ORDER BY t.ordinal) FILTER (WHERE NOT t.present) AS missing,
       list(t.key || '=' || t.value ORDER BY t.ordinal) FILTER (WHERE t.present AND NOT t.valid)
           AS invalid,
       list({{'key': t.key, 'as': t.found_key, 'value': t.value, 'from': t.source}}
            ORDER BY t.ordinal) FILTER (WHERE t.present) AS found
FROM resources r
JOIN {STATUS} t ON t.provider = r.provider AND t.rid = lower(r.resource_id)
LEFT JOIN resource_costs c ON c.provider = r.provider AND c.rid = lower(r.resource_id)
WHERE r.resource_type NOT IN {SCOPES}
  AND coalesce(lower(r.state), '') NOT IN ('terminated', 'deleted', 'deleting')
GROUP BY ALL
HAVING bool_or(NOT t.valid)
ORDER BY r.provider, r.resource_id
"""


class TagPolicy(Params):
    """The tag policy: required keys, their aliases and allowed values."""

    required_keys: list[str] = param(
        ["Owner", "CostCenter", "Environment", "Application"], "keys",
        "tag keys every taggable resource must carry",
    )  # fmt: skip
    aliases: dict[str, list[str]] = param(
        {"CostCenter": ["CostCentre"], "Environment": ["Env"], "Application": ["App"]}, "keys",
        "per required key, other keys that count as it (all keys match ignoring case, '-', '_' "
        "and spaces: cost-center, cost_center and CostCenter are one key)",
    )  # fmt: skip
    allowed_values: dict[str, list[str]] = param(
        {}, "values", "per required key, the values allowed (ignoring case); none: any value"
    )
    value_patterns: dict[str, str] = param(
        {}, "regex", "per required key, a pattern the whole value must match"
    )
    inherit: bool = param(
        True, "-", "tags of Azure subscriptions and resource groups and GCP project labels "
        "count for the resources in them",
    )  # fmt: skip
    system_key_pattern: str = param(
        r"^(aws:|goog-|hidden-)|\.googleapis\.com/", "regex",
        "keys that are provider system labels, never user tags",
    )  # fmt: skip
    bill_days: int = param(30, "days", "bill window whose tags and costs are read", ge=1)


def run(ctx: RunContext, policy: TagPolicy) -> list[Finding]:
    span = ctx.window(policy.bill_days)
    prepare_tag_status(ctx.con, policy, span)
    when = {"start": span.start, "end": span.end}
    return [_finding(ctx.con, row, when) for row in fetch_dicts(ctx.con, SQL)]


def _action(row: dict[str, Any]) -> str:
    parts = []
    if row["missing"]:
        parts.append("add the tags " + ", ".join(row["missing"]))
    if row["invalid"]:
        parts.append("fix the tags " + ", ".join(row["invalid"]))
    return "; ".join(parts)


def _finding(con: duckdb.DuckDBPyConnection, row: dict[str, Any], when: dict[str, Any]
             ) -> Finding:  # fmt: skip
    cost = priced(con, row)
    reasons = [Reason("tags", 1.0, "keys read from the inventory, the bill and inherited scopes")]
    if cost.source != BILL:
        reasons.append(Reason("cost source", 0.9, f"cost at stake from the {cost.source}"))
    return Finding(
        family="untagged", check="untagged_resource", provider=row["provider"],
        account_id=row["account_id"], region=row["region"], resource_id=row["resource_id"],
        resource_type=row["resource_type"], action=_action(row), monthly_cost=cost.monthly,
        savings=Decimal(0), currency=cost.currency, confidence=confidence(reasons),
        reasons=reasons, current={"sku": row["sku"], "tag_keys": sorted(row["tag_keys"] or [])},
        evidence={"missing_tags": row["missing"] or [], "invalid_tags": row["invalid"] or [],
                  "tag_keys": sorted(row["tag_keys"] or []), "effective_tags": row["found"] or [],
                  "window": when, **cost.evidence()},
    )  # fmt: skip


ANALYZER = register(
    Analyzer(
        name="untagged_resource",
        family="untagged",
        summary="Taggable resources missing a required tag key (or with a value the policy does "
        "not allow), inherited tags counted: add the tags (cost at stake, no savings).",
        params=TagPolicy,
        run=run,
    )
)
