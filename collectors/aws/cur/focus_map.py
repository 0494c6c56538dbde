"""The CUR 2.0 -> FOCUS 1.2 mapping, as DuckDB SQL over the stage (``collectors/aws/README.md``
documents it column by column).

Each stage row is one FOCUS row, except monthly commitment fees with an unused part (RIFee,
SavingsPlanRecurringFee): they also yield a derived row carrying that unused commitment as FOCUS
wants it (ChargeCategory Usage, CommitmentDiscountStatus Unused, ResourceId = the commitment).
Each row gets a ``__kind``:

- usage: Usage (on demand, spot) | ri_used: DiscountedUsage | sp_used: SavingsPlanCoveredUsage
- sp_negation: SavingsPlanNegation | commit_fee: RIFee, SavingsPlan{Recurring,Upfront}Fee, the
  upfront Fee of a reservation | fee: any other Fee | tax: Tax | credit: Credit, Refund and the
  discount line items | other: any other type | unused: the derived unused-commitment row
"""

from __future__ import annotations

from collectors.aws.cur.regions import region_name_sql
from collectors.aws.cur.services import category_sql
from collectors.focus.normalize import mapped_select

RI_UNUSED = (
    "coalesce(reservation_unused_amortized_upfront_fee_for_billing_period, 0)"
    " + coalesce(reservation_unused_recurring_fee, 0)"
)
SP_UNUSED = "savings_plan_total_commitment_to_date - coalesce(savings_plan_used_commitment, 0)"

# when the row's commitment ends (rows of a reservation or savings plan only)
COMMITMENT_END = (
    "CASE WHEN __v_CommitmentDiscountId IS NOT NULL THEN TRY_CAST(coalesce("
    "savings_plan_end_time, reservation_end_time) AS TIMESTAMPTZ) END"
)

KIND = """CASE
    WHEN __unused THEN 'unused'
    WHEN line_item_line_item_type = 'Usage' THEN 'usage'
    WHEN line_item_line_item_type = 'DiscountedUsage' THEN 'ri_used'
    WHEN line_item_line_item_type = 'SavingsPlanCoveredUsage' THEN 'sp_used'
    WHEN line_item_line_item_type = 'SavingsPlanNegation' THEN 'sp_negation'
    WHEN line_item_line_item_type IN
        ('RIFee', 'SavingsPlanRecurringFee', 'SavingsPlanUpfrontFee') THEN 'commit_fee'
    WHEN line_item_line_item_type = 'Fee' AND reservation_reservation_a_r_n IS NOT NULL
        THEN 'commit_fee'
    WHEN line_item_line_item_type = 'Fee' THEN 'fee'
    WHEN line_item_line_item_type = 'Tax' THEN 'tax'
    WHEN line_item_line_item_type IN ('Credit', 'Refund')
        OR line_item_line_item_type LIKE '%Discount' THEN 'credit'
    ELSE 'other' END"""

COMMITMENT_KINDS = "('ri_used', 'sp_used', 'sp_negation', 'commit_fee', 'unused')"
USAGE_KINDS = "('usage', 'ri_used', 'sp_used')"
RATED_KINDS = "('usage', 'ri_used', 'sp_used', 'commit_fee', 'fee')"
AS_BILLED_KINDS = "('commit_fee', 'fee', 'tax', 'credit', 'other')"


def unit(expr: str) -> str:
    """An AWS pricing unit in FOCUS unit format: Hrs -> Hours, GB-Mo -> GB-Months."""
    hours = f"regexp_replace({expr}, '(^|-)Hrs?$', '\\1Hours')"
    return f"regexp_replace({hours}, '-Mo$', '-Months')"


UNIT = unit("pricing_unit")


def rows_sql(stage: str) -> str:
    """Every stage row, plus one derived row per fee with unused commitment; with ``__kind``
    and ``__commit`` ('ri' / 'sp')."""
    has_unused = (
        f"(line_item_line_item_type = 'RIFee' AND ({RI_UNUSED}) <> 0) OR "
        f"(line_item_line_item_type = 'SavingsPlanRecurringFee' AND ({SP_UNUSED}) <> 0)"
    )
    return f"""
        SELECT *, {KIND} AS __kind,
               CASE WHEN savings_plan_savings_plan_a_r_n IS NOT NULL THEN 'sp'
                    WHEN reservation_reservation_a_r_n IS NOT NULL THEN 'ri' END AS __commit
        FROM (SELECT *, false AS __unused FROM {stage}
              UNION ALL
              SELECT *, true AS __unused FROM {stage}
              WHERE __errors = '' AND ({has_unused})) AS r
    """


def has_unused_sql() -> str:
    """Stage rows that yield a derived unused-commitment row."""
    return (
        f"__errors = '' AND ((line_item_line_item_type = 'RIFee' AND ({RI_UNUSED}) <> 0) OR "
        f"(line_item_line_item_type = 'SavingsPlanRecurringFee' AND ({SP_UNUSED}) <> 0))"
    )


def _commitment() -> dict[str, str]:
    arn = "coalesce(savings_plan_savings_plan_a_r_n, reservation_reservation_a_r_n)"
    in_commitment = f"__kind IN {COMMITMENT_KINDS}"
    unused_qty = f"CASE __commit WHEN 'ri' THEN reservation_unused_quantity ELSE {SP_UNUSED} END"
    return {
        "CommitmentDiscountId": f"CASE WHEN {in_commitment} THEN {arn} END",
        "CommitmentDiscountCategory": (
            f"CASE WHEN {in_commitment} THEN CASE __commit WHEN 'sp' THEN 'Spend'"
            " WHEN 'ri' THEN 'Usage' END END"
        ),
        "CommitmentDiscountType": (
            f"CASE WHEN {in_commitment} THEN CASE __commit WHEN 'sp' THEN 'Savings Plan'"
            " WHEN 'ri' THEN 'Reserved Instance' END END"
        ),
        "CommitmentDiscountStatus": (
            f"CASE WHEN {in_commitment} AND __commit IS NOT NULL THEN CASE __kind"
            " WHEN 'unused' THEN 'Unused' WHEN 'commit_fee' THEN NULL ELSE 'Used' END END"
        ),
        "CommitmentDiscountQuantity": (
            f"CASE WHEN NOT ({in_commitment}) OR __commit IS NULL THEN NULL"
            f" WHEN __kind = 'unused' THEN {unused_qty}"
            " WHEN __kind = 'sp_negation' THEN 0"
            " WHEN __commit = 'sp' AND __kind = 'commit_fee' THEN line_item_unblended_cost"
            " WHEN __commit = 'sp' THEN savings_plan_savings_plan_effective_cost"
            " ELSE line_item_usage_amount END"
        ),
        "CommitmentDiscountUnit": (
            f"CASE WHEN {in_commitment} AND __commit IS NOT NULL THEN CASE __commit"
            " WHEN 'sp' THEN line_item_currency_code ELSE 'Hours' END END"
        ),
    }


def _costs() -> dict[str, str]:
    list_price = "pricing_public_on_demand_rate"
    return {
        "BilledCost": "CASE WHEN __kind = 'unused' THEN 0 ELSE line_item_unblended_cost END",
        "EffectiveCost": f"""CASE __kind
            WHEN 'unused' THEN CASE __commit WHEN 'ri' THEN {RI_UNUSED} ELSE {SP_UNUSED} END
            WHEN 'ri_used' THEN coalesce(reservation_effective_cost, 0)
            WHEN 'sp_used' THEN coalesce(savings_plan_savings_plan_effective_cost, 0)
            WHEN 'sp_negation' THEN 0
            WHEN 'commit_fee' THEN 0
            ELSE line_item_unblended_cost END""",
        "ListCost": f"""CASE
            WHEN __kind IN ('unused', 'sp_negation') THEN 0
            WHEN __kind IN {USAGE_KINDS} THEN
                coalesce(pricing_public_on_demand_cost, {list_price} * line_item_usage_amount,
                         line_item_unblended_cost)
            ELSE line_item_unblended_cost END""",
        "ListUnitPrice": f"CASE WHEN __kind IN {USAGE_KINDS} THEN {list_price} END",
        "ContractedCost": """CASE
            WHEN __kind IN ('unused', 'sp_negation') THEN 0
            WHEN __kind = 'ri_used' THEN coalesce(pricing_public_on_demand_cost, 0)
            WHEN __kind IN ('usage', 'sp_used') THEN
                coalesce(line_item_net_unblended_cost, line_item_unblended_cost)
            ELSE line_item_unblended_cost END""",
        "ContractedUnitPrice": f"""CASE
            WHEN __kind = 'ri_used' THEN {list_price}
            WHEN __kind IN ('usage', 'sp_used') THEN
                coalesce(line_item_net_unblended_rate, line_item_unblended_rate) END""",
    }


def _pricing() -> dict[str, str]:
    spot = "(pricing_term = 'Spot' OR line_item_usage_type LIKE '%SpotUsage%')"
    return {
        "PricingCategory": f"""CASE
            WHEN __kind IN ('tax', 'credit', 'other') THEN NULL
            WHEN __kind IN ('ri_used', 'sp_used', 'sp_negation', 'unused') THEN 'Committed'
            WHEN __kind = 'usage' AND {spot} THEN 'Dynamic'
            WHEN __kind = 'usage' AND pricing_term = 'Reserved' THEN 'Committed'
            ELSE 'Standard' END""",
        "PricingQuantity": f"""CASE
            WHEN __kind = 'unused' THEN
                CASE __commit WHEN 'ri' THEN reservation_unused_quantity ELSE {SP_UNUSED} END
            WHEN __kind IN {RATED_KINDS} THEN line_item_usage_amount END""",
        "PricingUnit": f"""CASE
            WHEN __kind = 'unused' THEN
                CASE __commit WHEN 'ri' THEN coalesce({UNIT}, 'Hours')
                     ELSE line_item_currency_code END
            WHEN __kind IN {RATED_KINDS} AND line_item_usage_amount IS NOT NULL
                THEN coalesce({UNIT}, 'Units') END""",
        "ConsumedQuantity": f"CASE WHEN __kind IN {USAGE_KINDS} THEN line_item_usage_amount END",
        "ConsumedUnit": (
            f"CASE WHEN __kind IN {USAGE_KINDS} AND line_item_usage_amount IS NOT NULL"
            f" THEN coalesce({UNIT}, 'Units') END"
        ),
        "PricingCurrency": "coalesce(pricing_currency, line_item_currency_code)",
    }


def _charge() -> dict[str, str]:
    return {
        "ChargeCategory": """CASE
            WHEN __kind IN ('usage', 'ri_used', 'sp_used', 'sp_negation', 'unused') THEN 'Usage'
            WHEN __kind IN ('commit_fee', 'fee') THEN 'Purchase'
            WHEN __kind = 'tax' THEN 'Tax'
            WHEN __kind = 'credit' THEN 'Credit'
            ELSE 'Adjustment' END""",
        "ChargeClass": (
            "CASE WHEN line_item_usage_start_date < bill_billing_period_start_date"
            " THEN 'Correction' END"
        ),
        "ChargeFrequency": """CASE
            WHEN __kind IN ('usage', 'ri_used', 'sp_used', 'sp_negation', 'unused')
                THEN 'Usage-Based'
            WHEN line_item_line_item_type IN ('RIFee', 'SavingsPlanRecurringFee', 'Tax')
                THEN 'Recurring'
            ELSE 'One-Time' END""",
        "ChargeDescription": (
            "CASE WHEN __kind = 'unused' THEN 'Unused commitment: ' || "
            "coalesce(line_item_line_item_description, line_item_line_item_type)"
            " ELSE line_item_line_item_description END"
        ),
        "ChargePeriodStart": "line_item_usage_start_date",
        "ChargePeriodEnd": "line_item_usage_end_date",
    }


def _service() -> dict[str, str]:
    """One category per service name (FOCUS wants it so): EBS and Elastic IPs, billed under
    Amazon Elastic Compute Cloud, stay Compute / Virtual Machines."""
    code = "coalesce(line_item_product_code, product_servicecode)"
    category, subcategory = category_sql(code)
    priced = "__kind NOT IN ('tax', 'credit', 'other') AND product_sku IS NOT NULL"
    return {
        "ServiceName": f"coalesce(product_name, {code})",
        "ServiceCategory": category,
        "ServiceSubcategory": subcategory,
        "SkuId": f"CASE WHEN {priced} THEN product_sku END",
        "SkuPriceId": f"CASE WHEN {priced} THEN pricing_rate_code END",
        "SkuMeter": f"CASE WHEN {priced} THEN line_item_usage_type END",
    }


def _accounts() -> dict[str, str]:
    marketplace = "bill_billing_entity = 'AWS Marketplace'"
    return {
        "BillingAccountId": "bill_payer_account_id",
        "BillingAccountName": "bill_payer_account_name",
        "BillingCurrency": "line_item_currency_code",
        "BillingPeriodStart": "bill_billing_period_start_date",
        "BillingPeriodEnd": "bill_billing_period_end_date",
        "SubAccountId": "line_item_usage_account_id",
        # legacy CUR has no account names; FOCUS wants one wherever there is an id
        "SubAccountName": "coalesce(line_item_usage_account_name, line_item_usage_account_id)",
        "InvoiceId": "bill_invoice_id",
        "InvoiceIssuerName": "coalesce(bill_invoicing_entity, 'Amazon Web Services, Inc.')",
        "ProviderName": "'AWS'",
        "PublisherName": (
            f"CASE WHEN {marketplace} THEN coalesce(line_item_legal_entity, 'AWS Marketplace')"
            " ELSE 'AWS' END"
        ),
    }


def _resource() -> dict[str, str]:
    region = "coalesce(product_region_code, product_region)"
    resource = (
        "CASE WHEN __kind = 'unused' THEN "
        "coalesce(savings_plan_savings_plan_a_r_n, reservation_reservation_a_r_n)"
        " ELSE line_item_resource_id END"
    )
    return {
        "ResourceId": resource,
        "ResourceName": (
            "CASE WHEN __kind <> 'unused' AND line_item_resource_id IS NOT NULL THEN"
            " coalesce(tags['Name'], tags['name']) END"
        ),
        "ResourceType": (
            "CASE WHEN __kind = 'unused' THEN CASE __commit WHEN 'ri' THEN 'Reserved Instance'"
            " ELSE 'Savings Plan' END"
            " WHEN line_item_resource_id IS NOT NULL THEN coalesce(product_product_family,"
            " CASE __commit WHEN 'ri' THEN 'Reserved Instance' WHEN 'sp' THEN 'Savings Plan' END,"
            " line_item_product_code) END"
        ),
        "RegionId": region,
        "RegionName": (
            f"CASE WHEN {region} IS NOT NULL THEN coalesce({region_name_sql(region)},"
            f" product_location, {region}) END"
        ),
        "AvailabilityZone": "line_item_availability_zone",
        "Tags": "CASE WHEN __kind = 'unused' THEN MAP() ELSE tags END",
    }


def focus_exprs() -> dict[str, str]:
    """FOCUS column -> SQL expression over ``rows_sql`` rows (absent columns are NULL)."""
    exprs = {
        **_accounts(),
        **_charge(),
        **_costs(),
        **_pricing(),
        **_commitment(),
        **_service(),
        **_resource(),
    }
    return exprs


def mapped_sql(stage: str) -> str:
    """The rows with a typed ``__v_<FOCUS column>`` per FOCUS column."""
    return f"SELECT {mapped_select(focus_exprs())}, r.* FROM ({rows_sql(stage)}) AS r"
