"""The spot analyzer's query: every VM with its on-demand compute usage in the window, priced
hour by hour against the spot price in effect (``prices`` spot rows, a history when there are
several ``effective_from``; the oldest price also stands for the hours before it), and the
disks attached to each VM."""

from __future__ import annotations

from analysis.idle_common import STOPPED_STATES

# the VM's operating system as price lists spell it ('*': a price of no operating system)
OS = "coalesce(lower(r.attributes['operating_system']), 'linux')"
PRICE_OS = "coalesce(lower(operating_system), '*')"

SQL = f"""
WITH vm AS (
    SELECT r.provider, r.account_id, r.region, r.resource_id, lower(r.resource_id) AS rid,
           r.resource_type, r.sku, r.state, r.scaling_group, r.created_at, r.tags, r.attributes,
           {OS} AS os,
           coalesce(lower(r.state), '') IN {STOPPED_STATES!r} AS stopped
    FROM resources r WHERE r.resource_type = 'vm'
), od AS (
    SELECT provider, region, sku, {PRICE_OS} AS os,
           max_by(unit_price, coalesce(effective_from, TIMESTAMPTZ '1970-01-01')) AS price,
           min(currency) AS currency
    FROM prices WHERE pricing_model = 'on_demand' AND unit ILIKE 'h%' GROUP BY ALL
), spot AS (
    SELECT provider, region, sku, {PRICE_OS} AS os, unit_price AS price, effective_from AS since,
           CASE WHEN row_number() OVER w = 1 THEN TIMESTAMPTZ '-infinity'
                ELSE effective_from END AS f,
           coalesce(lead(effective_from) OVER w, TIMESTAMPTZ 'infinity') AS t
    FROM prices WHERE pricing_model = 'spot' AND unit ILIKE 'h%'
    WINDOW w AS (PARTITION BY provider, region, sku, {PRICE_OS}
                 ORDER BY effective_from NULLS FIRST)
), vmx AS (
    SELECT v.*,
           (SELECT arg_min(o.price, o.os = '*') FROM od o WHERE o.provider = v.provider
              AND o.region = v.region AND o.sku = v.sku AND o.os IN (v.os, '*')) AS od_hourly,
           (SELECT arg_min(o.currency, o.os = '*') FROM od o WHERE o.provider = v.provider
              AND o.region = v.region AND o.sku = v.sku AND o.os IN (v.os, '*')) AS od_currency,
           (SELECT arg_min(s.os, s.os = '*') FROM spot s WHERE s.provider = v.provider
              AND s.region = v.region AND s.sku = v.sku AND s.os IN (v.os, '*')) AS spot_os
    FROM vm v
), bill AS (
    SELECT x_Provider AS provider, lower(ResourceId) AS rid, ChargePeriodStart AS s,
           ChargePeriodEnd AS e, EffectiveCost AS cost,
           coalesce(PricingCategory, 'Standard') AS category, 'bill' AS source,
           BillingCurrency AS currency
    FROM focus_costs
    WHERE ResourceId IS NOT NULL AND ChargeCategory = 'Usage' AND ServiceCategory = 'Compute'
      AND ChargePeriodStart >= $start AND ChargePeriodStart < $end
      AND ChargePeriodEnd > ChargePeriodStart
), usage AS (
    SELECT b.* FROM bill b JOIN vm v ON v.provider = b.provider AND v.rid = b.rid
    UNION ALL  -- the bill has nothing: the on-demand list price of the hours it ran
    SELECT v.provider, v.rid, greatest($start, coalesce(v.created_at, $start)), $end,
           v.od_hourly * epoch($end - greatest($start, coalesce(v.created_at, $start))) / 3600,
           'Standard', 'list price', v.od_currency
    FROM vmx v
    WHERE v.od_hourly IS NOT NULL AND NOT v.stopped
      AND greatest($start, coalesce(v.created_at, $start)) < $end
      AND NOT EXISTS (SELECT 1 FROM bill b WHERE b.provider = v.provider AND b.rid = v.rid)
), pieces AS (
    SELECT u.provider, u.rid, s.price AS spot_hourly, s.since, s.f, u.s, u.e,
           greatest(u.s, s.f) AS piece_s, least(u.e, s.t) AS piece_e,
           u.cost * epoch(least(u.e, s.t) - greatest(u.s, s.f)) / epoch(u.e - u.s)
               * (1 - s.price / v.od_hourly) AS saved
    FROM usage u
    JOIN vmx v ON v.provider = u.provider AND v.rid = u.rid
    JOIN spot s ON s.provider = v.provider AND s.region = v.region AND s.sku = v.sku
         AND s.os = v.spot_os AND s.f < u.e AND s.t > u.s
    WHERE u.category = 'Standard' AND v.od_hourly > 0
), by_price AS (  -- hours: the span each price covers (parallel bill rows count once)
    SELECT provider, rid, spot_hourly, since, sum(saved) AS saved,
           epoch(max(piece_e) - min(piece_s)) / 3600 AS hours,
           CASE WHEN f = TIMESTAMPTZ '-infinity' AND since > min(s)
                THEN epoch(least(max(e), since) - min(s)) / 3600 ELSE 0 END AS early
    FROM pieces GROUP BY provider, rid, spot_hourly, since, f
), priced AS (
    SELECT provider, rid, sum(saved) AS saved, sum(hours) AS priced_hours,
           sum(early) AS backfilled_hours,
           list({{'spot_hourly': spot_hourly, 'effective_from': since, 'hours': hours}}
                ORDER BY since NULLS FIRST) AS spot_history
    FROM by_price GROUP BY ALL
), costs AS (
    SELECT provider, rid, min(source) AS cost_source, min(currency) AS currency,
           min(s) AS first_use, max(e) AS last_use,
           sum(CASE WHEN category = 'Standard' THEN cost ELSE 0 END) AS od_cost,
           sum(CASE WHEN category = 'Committed' THEN cost ELSE 0 END) AS committed_cost,
           sum(CASE WHEN category = 'Dynamic' THEN cost ELSE 0 END) AS spot_cost,
           greatest(epoch(least(max(e), $end) - greatest(min(s), $start)) / 3600, 1) AS hours
    FROM usage GROUP BY ALL
), seen AS (
    SELECT provider, lower(resource_id) AS rid, max(hour) + INTERVAL 1 HOUR AS last_sample
    FROM metrics WHERE hour >= $start AND hour < $end GROUP BY ALL
)
SELECT v.provider, v.account_id, v.region, v.resource_id, v.rid, v.resource_type, v.sku,
       v.state, v.stopped, v.scaling_group, v.created_at, v.tags, v.attributes, v.os,
       v.od_hourly, v.spot_os, c.cost_source, c.currency, c.first_use, c.last_use, c.od_cost,
       c.committed_cost, c.spot_cost, c.hours, p.saved, p.priced_hours, p.backfilled_hours,
       p.spot_history, coalesce(m.last_sample, c.last_use) AS last_alive
FROM vmx v
LEFT JOIN costs c ON c.provider = v.provider AND c.rid = v.rid
LEFT JOIN priced p ON p.provider = v.provider AND p.rid = v.rid
LEFT JOIN seen m ON m.provider = v.provider AND m.rid = v.rid
ORDER BY v.provider, v.resource_id
"""

DISKS = """
SELECT provider, lower(attached_to) AS vm, resource_id, tags, attributes
FROM resources WHERE resource_type = 'disk' AND attached_to IS NOT NULL
ORDER BY provider, resource_id
"""
