"""Azure cost details -> FOCUS 1.2, as DuckDB SQL over merged rows (``merge.py``): one row per
charge with both views' costs (``actual_cost``, ``amortized_cost``) and which views the
partition has (``has_actual``, ``has_amortized``). ``collectors/azure/README.md`` documents the
mapping column by column.

Each row gets a ``__kind``: usage (on demand, spot) | covered (usage covered by a reservation
or savings plan) | unused (UnusedReservation, UnusedSavingsPlan) | purchase (Purchase, Refund)
| tax | credit | adjustment (RoundingAdjustment and anything else).
"""

from __future__ import annotations

from collectors.azure.cost_details.services import category_sql, region_name_sql
from collectors.focus.normalize import mapped_select

COMMIT_ID = "lower(coalesce(benefit_id, reservation_id))"
COMMITTED_MODEL = "lower(pricing_model) IN ('reservation', 'savingsplan')"

KIND = f"""CASE lower(charge_type)
    WHEN 'usage' THEN CASE WHEN {COMMITTED_MODEL} AND {COMMIT_ID} IS NOT NULL
                           THEN 'covered' ELSE 'usage' END
    WHEN 'unusedreservation' THEN 'unused'
    WHEN 'unusedsavingsplan' THEN 'unused'
    WHEN 'purchase' THEN 'purchase'
    WHEN 'refund' THEN 'purchase'
    WHEN 'tax' THEN 'tax'
    WHEN 'credit' THEN 'credit'
    ELSE 'adjustment' END"""

USAGE_KINDS = "('usage', 'covered')"
RATED_KINDS = "('usage', 'covered', 'unused', 'purchase')"
# a purchase of a reservation or savings plan (marketplace purchases are not commitments)
COMMITMENT = f"(__kind IN ('covered', 'unused') OR (__kind = 'purchase' AND {COMMITTED_MODEL}))"
SAVINGS_PLAN = (
    f"({COMMIT_ID} LIKE '%microsoft.billingbenefits%'"
    f" OR ({COMMIT_ID} NOT LIKE '%microsoft.capacity%' AND lower(pricing_model) = 'savingsplan'))"
)


def unit(expr: str) -> str:
    """An Azure unit of measure in FOCUS form: '1 Hour' -> 'Hours', '1 GB/Month' -> 'GB/Month',
    '1/Month' -> 'Units/Month', '10K' -> '10K Units'."""
    plain = f"regexp_replace(regexp_replace(trim({expr}), '^1 ', ''), '^1/', 'Units/')"
    counted = f"regexp_replace({plain}, '^([0-9]+[KMB]?)$', '\\1 Units')"
    return f"regexp_replace(regexp_replace({counted}, '^Hour$', 'Hours'), '^Day$', 'Days')"


def mul(*factors: str) -> str:
    """A product of decimals (DECIMAL(38,12) times DECIMAL(38,12) overflows DuckDB's decimal
    arithmetic, so the factors multiply as DOUBLE and the result comes back as a decimal)."""
    return "CAST(" + " * ".join(f"CAST({f} AS DOUBLE)" for f in factors) + " AS DECIMAL(38,12))"


def _costs() -> dict[str, str]:
    rate = "coalesce(exchange_rate, 1)"
    as_billed = "CASE WHEN has_actual THEN coalesce(actual_cost, 0) ELSE amortized_cost END"
    contracted = mul("unit_price", rate, "quantity")
    per_unit = "CAST(CAST(payg_cost AS DOUBLE) / CAST(quantity AS DOUBLE) AS DECIMAL(38,12))"
    list_cost = f"coalesce(payg_cost, {mul('payg_price', rate, 'quantity')})"
    return {
        "BilledCost": as_billed,
        "EffectiveCost": (
            "CASE WHEN has_amortized THEN coalesce(amortized_cost, 0) ELSE actual_cost END"
        ),
        "ListCost": f"""CASE
            WHEN __kind IN {USAGE_KINDS} THEN coalesce({list_cost}, {as_billed})
            WHEN __kind = 'unused' THEN 0
            WHEN __kind = 'purchase' THEN coalesce({contracted}, {as_billed})
            ELSE {as_billed} END""",
        "ListUnitPrice": f"""CASE
            WHEN __kind IN {USAGE_KINDS} AND payg_cost IS NULL THEN {mul("payg_price", rate)}
            WHEN __kind IN {USAGE_KINDS} AND quantity <> 0 THEN {per_unit}
            WHEN __kind = 'purchase' THEN {mul("unit_price", rate)} END""",
        "ContractedCost": f"""CASE
            WHEN __kind IN {USAGE_KINDS} OR __kind = 'purchase' THEN
                coalesce({contracted}, {as_billed})
            WHEN __kind = 'unused' THEN 0
            ELSE {as_billed} END""",
        "ContractedUnitPrice": (
            f"CASE WHEN __kind IN {USAGE_KINDS} OR __kind = 'purchase'"
            f" THEN {mul('unit_price', rate)} END"
        ),
    }


def _charge() -> dict[str, str]:
    one_view = (
        "CASE WHEN NOT has_amortized"
        " THEN ' [no amortized view loaded: EffectiveCost = actual cost]'"
        " WHEN NOT has_actual THEN ' [no actual view loaded: BilledCost = amortized cost]'"
        " ELSE '' END"
    )
    description = "coalesce(product_name, meter_name, charge_type)"
    return {
        "ChargeCategory": """CASE
            WHEN __kind IN ('usage', 'covered', 'unused') THEN 'Usage'
            WHEN __kind = 'purchase' THEN 'Purchase'
            WHEN __kind = 'tax' THEN 'Tax'
            WHEN __kind = 'credit' THEN 'Credit'
            ELSE 'Adjustment' END""",
        "ChargeClass": "CASE WHEN charge_date < billing_period_start THEN 'Correction' END",
        "ChargeFrequency": """CASE
            WHEN __kind IN ('usage', 'covered', 'unused') THEN 'Usage-Based'
            WHEN lower(frequency) = 'recurring' THEN 'Recurring'
            WHEN __kind = 'tax' THEN 'Recurring'
            ELSE 'One-Time' END""",
        "ChargeDescription": (
            f"CASE WHEN __kind = 'unused' THEN 'Unused commitment: ' ELSE '' END"
            f" || {description} || {one_view}"
        ),
        "ChargePeriodStart": "CAST(charge_date AS TIMESTAMPTZ)",
        "ChargePeriodEnd": "CAST(charge_date + INTERVAL 1 DAY AS TIMESTAMPTZ)",
    }


def _pricing() -> dict[str, str]:
    return {
        "PricingCategory": f"""CASE
            WHEN __kind NOT IN {RATED_KINDS} THEN NULL
            WHEN __kind IN ('covered', 'unused') OR {COMMITTED_MODEL} THEN 'Committed'
            WHEN lower(pricing_model) = 'spot' THEN 'Dynamic'
            ELSE 'Standard' END""",
        "PricingQuantity": f"CASE WHEN __kind IN {RATED_KINDS} THEN coalesce(quantity, 0) END",
        "PricingUnit": (
            f"CASE WHEN __kind IN {RATED_KINDS} THEN coalesce({unit('unit_of_measure')}, 'Units')"
            " END"
        ),
        "ConsumedQuantity": f"CASE WHEN __kind IN {USAGE_KINDS} THEN quantity END",
        "ConsumedUnit": (
            f"CASE WHEN __kind IN {USAGE_KINDS} AND quantity IS NOT NULL"
            f" THEN coalesce({unit('unit_of_measure')}, 'Units') END"
        ),
        "PricingCurrency": "billing_currency",  # prices are converted to it
    }


def _commitment() -> dict[str, str]:
    return {
        "CommitmentDiscountId": f"CASE WHEN {COMMITMENT} THEN {COMMIT_ID} END",
        "CommitmentDiscountName": (
            f"CASE WHEN {COMMITMENT} AND {COMMIT_ID} IS NOT NULL"
            " THEN coalesce(benefit_name, reservation_name) END"
        ),
        "CommitmentDiscountCategory": (
            f"CASE WHEN {COMMITMENT} AND {COMMIT_ID} IS NOT NULL THEN"
            f" CASE WHEN {SAVINGS_PLAN} THEN 'Spend' ELSE 'Usage' END END"
        ),
        "CommitmentDiscountType": (
            f"CASE WHEN {COMMITMENT} AND {COMMIT_ID} IS NOT NULL THEN"
            f" CASE WHEN {SAVINGS_PLAN} THEN 'Savings Plan' ELSE 'Reservation' END END"
        ),
        "CommitmentDiscountStatus": (
            f"CASE WHEN {COMMIT_ID} IS NOT NULL THEN CASE __kind"
            " WHEN 'covered' THEN 'Used' WHEN 'unused' THEN 'Unused' END END"
        ),
    }


def _accounts() -> dict[str, str]:
    mca = "dialect = 'mca'"
    return {
        "BillingAccountId": "focus_account",
        "BillingAccountName": (
            f"CASE WHEN {mca} THEN coalesce(billing_profile_name, billing_account_name)"
            " ELSE billing_account_name END"
        ),
        "BillingAccountType": f"CASE WHEN {mca} THEN 'Billing Profile' ELSE 'Billing Account' END",
        "BillingCurrency": "billing_currency",
        "BillingPeriodStart": "CAST(billing_period_start AS TIMESTAMPTZ)",
        "BillingPeriodEnd": "CAST(billing_period_end + INTERVAL 1 DAY AS TIMESTAMPTZ)",
        "SubAccountId": "lower(subscription_id)",
        "SubAccountName": "coalesce(subscription_name, lower(subscription_id))",
        "SubAccountType": "CASE WHEN subscription_id IS NOT NULL THEN 'Subscription' END",
        "InvoiceId": "invoice_id",
        "InvoiceIssuerName": "'Microsoft'",
        "ProviderName": "'Microsoft'",
        "PublisherName": (
            "CASE WHEN lower(publisher_type) = 'marketplace' THEN coalesce(publisher_name,"
            " 'Azure Marketplace') ELSE 'Microsoft' END"
        ),
    }


def _resource() -> dict[str, str]:
    region = "lower(replace(resource_location, ' ', ''))"
    resource = f"CASE WHEN __kind = 'unused' THEN {COMMIT_ID} ELSE lower(resource_id) END"
    priced = f"__kind IN {RATED_KINDS}"
    category, subcategory = category_sql("meter_category", "consumed_service")
    return {
        "ResourceId": resource,
        "ResourceName": f"CASE WHEN {resource} IS NOT NULL THEN coalesce(resource_name,"
        f" regexp_extract({resource}, '[^/]+$')) END",
        "ResourceType": (
            f"CASE WHEN {resource} IS NOT NULL THEN"
            f" nullif(regexp_extract({resource}, '/providers/([^/]+/[^/]+)', 1), '') END"
        ),
        "RegionId": region,
        "RegionName": f"CASE WHEN {region} IS NOT NULL THEN coalesce({region_name_sql(region)},"
        " resource_location) END",
        "AvailabilityZone": "availability_zone",
        "Tags": "CASE WHEN __kind = 'unused' THEN MAP() ELSE tags END",
        "ServiceName": "coalesce(meter_category, consumed_service, 'Azure')",
        "ServiceCategory": category,
        "ServiceSubcategory": subcategory,
        "SkuId": f"CASE WHEN {priced} THEN coalesce(product_id, part_number, meter_id) END",
        "SkuPriceId": f"CASE WHEN {priced} THEN meter_id END",
        "SkuMeter": f"CASE WHEN {priced} THEN meter_name END",
    }


def focus_exprs() -> dict[str, str]:
    """FOCUS column -> SQL expression over merged rows with ``__kind`` (absent: NULL)."""
    return {**_accounts(), **_charge(), **_costs(), **_pricing(), **_commitment(), **_resource()}


def mapped_sql(merged: str) -> str:
    """The merged rows with a typed ``__v_<FOCUS column>`` per FOCUS column."""
    select = mapped_select(focus_exprs())
    return f"SELECT {select}, r.* FROM (SELECT *, {KIND} AS __kind FROM ({merged})) AS r"
