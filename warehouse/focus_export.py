"""Writing the billing table out as FOCUS 1.2 (Parquet), and saying which FOCUS features it uses.

Parquet keeps the types explicit (Decimal, Date/Time in UTC); Tags and SkuPriceDetails are
written as JSON object text, the FOCUS key-value format.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.focus_columns import FOCUS_COLUMNS
from warehouse.sql import one

# FOCUS applicability criteria (as the FinOps Foundation's validator names them) -> the column
# whose values show that the data uses the feature.
FEATURE_COLUMNS = {
    "ACCOUNT_NAMING_SUPPORTED": "BillingAccountName",
    "AVAILABILITY_ZONE_SUPPORTED": "AvailabilityZone",
    "CAPACITY_RESERVATION_SUPPORTED": "CapacityReservationId",
    "COMMITMENT_DISCOUNT_SUPPORTED": "CommitmentDiscountId",
    "MULTIPLE_PRICING_CATEGORIES_SUPPORTED": "PricingCategory",
    "MULTIPLE_SUB_ACCOUNT_TYPES_SUPPORTED": "SubAccountType",
    "MULTIPLE_BILLING_ACCOUNT_TYPES_SUPPORTED": "BillingAccountType",
    "NEGOTIATED_PRICING_SUPPORTED": "ContractedUnitPrice",
    "PUBLIC_PRICE_LIST_SUPPORTED": "ListUnitPrice",
    "USAGE_MEASUREMENT_SUPPORTED": "ConsumedQuantity",
    "UNIT_PRICING_SUPPORTED": "SkuId",
    "SUB_ACCOUNT_SUPPORTED": "SubAccountId",
    "BILLING_BASED_ON_PROVISIONED_RESOURCES_SUPPORTED": "ResourceId",
    "RESOURCE_TYPE_ASSIGNMENT_SUPPORTED": "ResourceType",
    "PRICING_BILLING_CURRENCY_DIFFERENCES_SUPPORTED": "PricingCurrency",
    "VIRTUAL_CURRENCY_SUPPORTED": "PricingCurrencyEffectiveCost",
    "REGION_SUPPORTED": "RegionId",
    "TAGGING_SUPPORTED": "Tags",
}


def export_focus(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Write every loaded billing row to ``path`` as FOCUS 1.2 Parquet; return the row count."""
    text = {"Tags": "to_json(Tags)", "SkuPriceDetails": "SkuPriceDetails"}
    columns = [
        f"CAST({text[c.name]} AS VARCHAR) AS {c.name}" if c.name in text else c.name
        for c in FOCUS_COLUMNS
    ]
    target = str(path).replace("'", "''")
    con.execute(
        f"COPY (SELECT {', '.join(columns)}, x_Provider FROM focus_costs) TO '{target}'"
        " (FORMAT PARQUET)"
    )
    return int(one(con, "SELECT count(*) FROM focus_costs")[0])


def used_features(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The FOCUS features the loaded rows use: those whose column holds any value."""
    checks = ", ".join(f"count({col}) > 0" for col in FEATURE_COLUMNS.values())
    flags = one(con, f"SELECT {checks} FROM focus_costs")
    return [name for name, used in zip(FEATURE_COLUMNS, flags, strict=True) if used]
