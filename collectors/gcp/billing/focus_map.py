"""The detailed export -> FOCUS 1.2 mapping, as DuckDB SQL over the stage
(``collectors/gcp/README.md`` documents it column by column).

Each stage row is one FOCUS row, plus a ChargeCategory Credit row when it carries promotions or
credits of a type that is not a price reduction (``credits.py``). Each row gets a ``__kind``:

- usage: regular usage (on demand, spot, covered by a committed use discount)
- cud_fee: a commitment's fee (SKU "Commitment v1: ..." / "Commitment - dollar based ...")
- tax: cost_type tax | adjustment: cost_type adjustment or rounding_error
- credit: the derived credit row

EffectiveCost equals BilledCost here; ``commitments.py`` then moves each resource-based
commitment's fee onto the usage it covered, and the rest onto an Unused row.
"""

from __future__ import annotations

from collectors.focus.normalize import mapped_select
from collectors.gcp.billing.names import region_name_sql, resource_type_sql, unit_sql
from collectors.gcp.billing.services import category_sql

KIND = """CASE
    WHEN __credit_row THEN 'credit'
    WHEN cost_type = 'tax' THEN 'tax'
    WHEN cost_type IN ('adjustment', 'rounding_error') THEN 'adjustment'
    WHEN sku_description ILIKE 'commitment%' THEN 'cud_fee'
    ELSE 'usage' END"""
RATED = "('usage', 'cud_fee')"
FEE_COMMITMENT = "NULLIF(regexp_extract(resource_id, '(projects/.+/commitments/[^/]+)$', 1), '')"
SPEND_FEE = "(sku_description ILIKE '%dollar%' OR sku_description ILIKE '%spend%')"


def rows_sql(stage: str) -> str:
    """Every stage row, plus the derived credit rows; with ``__kind``."""
    return f"""
        SELECT *, {KIND} AS __kind
        FROM (SELECT *, false AS __credit_row FROM {stage}
              UNION ALL
              SELECT *, true AS __credit_row FROM {stage}
              WHERE __errors = '' AND has_own_row_credit) AS r
    """


def derived_rows_sql(stage: str) -> str:
    """How many credit rows the stage yields."""
    return f"SELECT count(*) FROM {stage} WHERE __errors = '' AND has_own_row_credit"


def _costs() -> dict[str, str]:
    billed = (
        "CASE WHEN __kind = 'credit' THEN own_row_credits"
        " ELSE cost + credits_total - own_row_credits END"
    )
    listed = "CASE WHEN __kind IN " + RATED + " THEN coalesce(cost_at_list, cost) ELSE cost END"
    return {
        "BilledCost": billed,
        "EffectiveCost": billed,
        "ListCost": f"CASE WHEN __kind = 'credit' THEN own_row_credits ELSE {listed} END",
        "ListUnitPrice": (
            f"CASE WHEN __kind IN {RATED} AND pricing_amount > 0"
            " THEN coalesce(cost_at_list, cost) / pricing_amount END"
        ),
        "ContractedCost": "CASE WHEN __kind = 'credit' THEN own_row_credits ELSE cost END",
        "ContractedUnitPrice": (
            f"CASE WHEN __kind IN {RATED} AND pricing_amount IS NOT NULL THEN effective_price END"
        ),
    }


def _pricing() -> dict[str, str]:
    spot = "(sku_description ILIKE '%spot%' OR sku_description ILIKE '%preemptible%')"
    return {
        "PricingCategory": f"""CASE
            WHEN __kind = 'usage' AND cud_id IS NOT NULL THEN 'Committed'
            WHEN __kind = 'usage' AND {spot} THEN 'Dynamic'
            WHEN __kind IN {RATED} THEN 'Standard' END""",
        "PricingQuantity": f"CASE WHEN __kind IN {RATED} THEN pricing_amount END",
        "PricingUnit": (
            f"CASE WHEN __kind IN {RATED} AND pricing_amount IS NOT NULL"
            f" THEN coalesce({unit_sql('pricing_unit')}, 'Units') END"
        ),
        "ConsumedQuantity": "CASE WHEN __kind = 'usage' THEN usage_amount END",
        "ConsumedUnit": (
            "CASE WHEN __kind = 'usage' AND usage_amount IS NOT NULL"
            f" THEN coalesce({unit_sql('usage_unit')}, 'Units') END"
        ),
        "PricingCurrency": "currency",
    }


def _charge() -> dict[str, str]:
    return {
        "ChargeCategory": """CASE __kind WHEN 'usage' THEN 'Usage' WHEN 'cud_fee' THEN 'Purchase'
            WHEN 'tax' THEN 'Tax' WHEN 'credit' THEN 'Credit' ELSE 'Adjustment' END""",
        "ChargeClass": (
            "CASE WHEN __kind = 'adjustment' AND adjustment_id IS NOT NULL THEN 'Correction' END"
        ),
        "ChargeFrequency": """CASE __kind WHEN 'usage' THEN 'Usage-Based'
            WHEN 'cud_fee' THEN 'Recurring' WHEN 'tax' THEN 'Recurring' ELSE 'One-Time' END""",
        "ChargeDescription": (
            "CASE WHEN __kind = 'credit' THEN own_row_names ELSE sku_description END"
        ),
        "ChargePeriodStart": "usage_start",
        "ChargePeriodEnd": "usage_end",
    }


def _commitment() -> dict[str, str]:
    cid = f"CASE __kind WHEN 'usage' THEN cud_id WHEN 'cud_fee' THEN {FEE_COMMITMENT} END"
    spend = f"CASE __kind WHEN 'usage' THEN cud_spend_based ELSE {SPEND_FEE} END"
    covered = "pricing_amount * (-cud_credits) / NULLIF(cost, 0)"
    quantity = f"""CASE WHEN ({cid}) IS NULL THEN NULL
        WHEN {spend} THEN CASE __kind WHEN 'usage' THEN -cud_credits ELSE cost END
        WHEN __kind = 'usage' THEN {covered} ELSE pricing_amount END"""
    return {
        "CommitmentDiscountId": cid,
        "CommitmentDiscountCategory": (
            f"CASE WHEN ({cid}) IS NOT NULL THEN"
            f" CASE WHEN {spend} THEN 'Spend' ELSE 'Usage' END END"
        ),
        "CommitmentDiscountType": (
            f"CASE WHEN ({cid}) IS NOT NULL THEN 'Committed Use Discount' END"
        ),
        "CommitmentDiscountName": f"regexp_extract({cid}, '[^/]+$')",
        "CommitmentDiscountStatus": (
            f"CASE WHEN ({cid}) IS NOT NULL AND __kind = 'usage' THEN 'Used' END"
        ),
        "CommitmentDiscountQuantity": quantity,
        "CommitmentDiscountUnit": f"""CASE WHEN ({cid}) IS NULL THEN NULL
            WHEN {spend} THEN currency ELSE coalesce({unit_sql("pricing_unit")}, 'Units') END""",
    }


def _service() -> dict[str, str]:
    category, subcategory = category_sql("service_name")
    return {
        "ServiceName": "service_name",
        "ServiceCategory": category,
        "ServiceSubcategory": subcategory,
        "SkuId": f"CASE WHEN __kind IN {RATED} THEN sku_id END",
        "SkuPriceId": (
            f"CASE WHEN __kind IN {RATED} AND sku_id IS NOT NULL"
            " THEN sku_id || coalesce('/' || tier_start, '') END"
        ),
        "SkuMeter": f"CASE WHEN __kind IN {RATED} THEN sku_description END",
    }


def _accounts() -> dict[str, str]:
    third_party = "transaction_type LIKE 'THIRD_PARTY%'"
    return {
        "BillingAccountId": "billing_account_id",
        "BillingCurrency": "currency",
        "BillingPeriodStart": "period_start",
        "BillingPeriodEnd": "period_end",
        "SubAccountId": "project_id",
        "SubAccountName": "coalesce(project_name, project_id)",
        "SubAccountType": "CASE WHEN project_id IS NOT NULL THEN 'Project' END",
        "InvoiceIssuerName": (
            "CASE WHEN transaction_type = 'THIRD_PARTY_AGENCY'"
            " THEN coalesce(seller_name, 'Google') ELSE 'Google' END"
        ),
        "ProviderName": "'Google Cloud'",
        "PublisherName": (
            f"CASE WHEN {third_party} THEN coalesce(seller_name, 'Google Cloud Marketplace')"
            " ELSE 'Google Cloud' END"
        ),
    }


def _resource() -> dict[str, str]:
    return {
        "ResourceId": "CASE WHEN __kind <> 'tax' THEN resource_id END",
        "ResourceName": "CASE WHEN __kind <> 'tax' THEN resource_name END",
        "ResourceType": f"CASE WHEN __kind <> 'tax' THEN {resource_type_sql('resource_id')} END",
        "RegionId": "region",
        "RegionName": f"CASE WHEN region IS NOT NULL THEN {region_name_sql('region')} END",
        "AvailabilityZone": "zone",
        "Tags": "tags",
    }


def focus_exprs() -> dict[str, str]:
    """FOCUS column -> SQL expression over ``rows_sql`` rows (absent columns are NULL)."""
    return {
        **_accounts(),
        **_charge(),
        **_costs(),
        **_pricing(),
        **_commitment(),
        **_service(),
        **_resource(),
    }


def mapped_sql(stage: str) -> str:
    """The rows with a typed ``__v_<FOCUS column>`` per FOCUS column."""
    return f"SELECT {mapped_select(focus_exprs())}, r.* FROM ({rows_sql(stage)}) AS r"
