"""The VM size catalogue right-sizing chooses from: every VM SKU known to the warehouse (in
``prices`` or in the inventory) with its family, vCPUs, memory and size rank in the family, and
the on-demand hourly list price of each SKU per region and operating system.

Families come from the providers' naming: AWS ``m5.2xlarge`` -> ``m5``; Azure
``Standard_D8s_v5`` -> ``Standard_D#s_v5`` (the digits are the vCPUs); GCP ``n2-standard-8`` ->
``n2-standard`` (the number is the vCPUs). vCPUs and memory come from the inventory or the price
list's attributes (AWS) where known; an unknown memory is the vCPUs times the family's GiB per
vCPU (families scale memory with vCPUs)."""

from __future__ import annotations

import duckdb

SIZES, LIST_PRICES = "vm_sizes", "vm_list_prices"

SIZES_SQL = f"""
CREATE OR REPLACE TEMP TABLE {SIZES} AS
WITH named AS (
    SELECT DISTINCT provider, sku FROM prices
    WHERE pricing_model = 'on_demand' AND unit ILIKE 'h%'
    UNION
    SELECT DISTINCT provider, sku FROM resources WHERE resource_type = 'vm' AND sku IS NOT NULL
), parsed AS (
    SELECT provider, sku,
           CASE WHEN provider = 'aws' AND regexp_matches(sku, '^[a-z0-9-]+\\.[a-z0-9]+$')
                    THEN split_part(sku, '.', 1)
                WHEN provider = 'azure' AND regexp_matches(sku, '^Standard_[A-Z]+[0-9]+')
                    THEN regexp_replace(sku, '^(Standard_[A-Z]+)[0-9]+', '\\1#')
                WHEN provider = 'gcp' AND regexp_matches(sku, '^[a-z0-9]+-[a-z]+-[0-9]+$')
                    THEN regexp_extract(sku, '^([a-z0-9]+-[a-z]+)-', 1) END AS family,
           CASE WHEN provider = 'azure'
                    THEN TRY_CAST(regexp_extract(sku, '^Standard_[A-Z]+([0-9]+)', 1) AS DOUBLE)
                WHEN provider = 'gcp'
                    THEN TRY_CAST(regexp_extract(sku, '-([0-9]+)$', 1) AS DOUBLE) END AS named_vcpu
    FROM named
), known AS (
    SELECT provider, sku, vcpu, memory_gib AS memory FROM resources WHERE resource_type = 'vm'
    UNION ALL
    SELECT provider, sku, TRY_CAST(attributes['vcpu'] AS DOUBLE),
           TRY_CAST(regexp_extract(attributes['memory'], '^([0-9.]+)', 1) AS DOUBLE)
    FROM prices WHERE pricing_model = 'on_demand'
), sized AS (
    SELECT p.provider, p.sku, p.family, coalesce(p.named_vcpu, max(k.vcpu)) AS vcpu,
           max(k.memory) AS memory
    FROM parsed p LEFT JOIN known k ON k.provider = p.provider AND k.sku = p.sku
    WHERE p.family IS NOT NULL
    GROUP BY p.provider, p.sku, p.family, p.named_vcpu
), filled AS (
    SELECT provider, sku, family, vcpu,
           coalesce(memory, vcpu * avg(memory / vcpu) OVER (PARTITION BY provider, family))
               AS memory
    FROM sized WHERE vcpu > 0
)
SELECT *, dense_rank() OVER (PARTITION BY provider, family ORDER BY vcpu) AS size_rank
FROM filled
"""

LIST_PRICES_SQL = f"""
CREATE OR REPLACE TEMP TABLE {LIST_PRICES} AS
SELECT provider, region, sku, lower(operating_system) AS os, min(unit_price) AS hourly,
       min(currency) AS currency
FROM prices
WHERE pricing_model = 'on_demand' AND unit ILIKE 'h%' AND sku IN (SELECT sku FROM {SIZES})
GROUP BY ALL
"""


def prepare_sizes(con: duckdb.DuckDBPyConnection) -> None:
    """``vm_sizes`` (provider, sku, family, vcpu, memory, size_rank: 1 the smallest) and
    ``vm_list_prices`` (provider, region, sku, os, hourly, currency)."""
    con.execute(SIZES_SQL)
    con.execute(LIST_PRICES_SQL)
