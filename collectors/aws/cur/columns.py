"""Which CUR columns the mapping reads, and how a file's header maps onto them.

Every CUR flavour is read under CUR 2.0 (Data Exports) names: legacy CSV headers
(``lineItem/UnblendedCost``) are renamed by rule (``line_item_unblended_cost``), legacy
``product/...`` and ``resourceTags/...`` columns become the entries of the ``product`` and
``resource_tags`` maps that CUR 2.0 has. A column the file lacks reads as NULL (legacy CUR has a
dynamic schema: columns come and go with the services used).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

TEXT = "VARCHAR"
MONEY = "DECIMAL(38,12)"
TIME = "TIMESTAMPTZ"

# CUR 2.0 name -> the type the stage reads it as.
READ: dict[str, str] = {
    "bill_billing_entity": TEXT,
    "bill_billing_period_end_date": TIME,
    "bill_billing_period_start_date": TIME,
    "bill_invoice_id": TEXT,
    "bill_invoicing_entity": TEXT,
    "bill_payer_account_id": TEXT,
    "bill_payer_account_name": TEXT,
    "line_item_availability_zone": TEXT,
    "line_item_currency_code": TEXT,
    "line_item_legal_entity": TEXT,
    "line_item_line_item_description": TEXT,
    "line_item_line_item_type": TEXT,
    "line_item_net_unblended_cost": MONEY,
    "line_item_net_unblended_rate": MONEY,
    "line_item_operation": TEXT,
    "line_item_product_code": TEXT,
    "line_item_resource_id": TEXT,
    "line_item_unblended_cost": MONEY,
    "line_item_unblended_rate": MONEY,
    "line_item_usage_account_id": TEXT,
    "line_item_usage_account_name": TEXT,
    "line_item_usage_amount": MONEY,
    "line_item_usage_end_date": TIME,
    "line_item_usage_start_date": TIME,
    "line_item_usage_type": TEXT,
    "pricing_currency": TEXT,
    "pricing_public_on_demand_cost": MONEY,
    "pricing_public_on_demand_rate": MONEY,
    "pricing_rate_code": TEXT,
    "pricing_term": TEXT,
    "pricing_unit": TEXT,
    "product_location": TEXT,
    "product_product_family": TEXT,
    "product_region_code": TEXT,
    "product_servicecode": TEXT,
    "product_sku": TEXT,
    "reservation_effective_cost": MONEY,
    "reservation_end_time": TEXT,  # optional: read as text, a bad value only loses the end date
    "reservation_reservation_a_r_n": TEXT,
    "reservation_unused_amortized_upfront_fee_for_billing_period": MONEY,
    "reservation_unused_quantity": MONEY,
    "reservation_unused_recurring_fee": MONEY,
    "savings_plan_end_time": TEXT,
    "savings_plan_savings_plan_a_r_n": TEXT,
    "savings_plan_savings_plan_effective_cost": MONEY,
    "savings_plan_total_commitment_to_date": MONEY,
    "savings_plan_used_commitment": MONEY,
}

# Without these a row cannot be placed or costed; a file lacking one is refused.
REQUIRED = (
    "bill_payer_account_id",
    "bill_billing_period_start_date",
    "bill_billing_period_end_date",
    "line_item_line_item_type",
    "line_item_usage_start_date",
    "line_item_usage_end_date",
    "line_item_unblended_cost",
    "line_item_currency_code",
)

# Product attributes CUR 2.0 keeps as columns of their own; every other one is in ``product``.
STATIC_PRODUCT = frozenset(
    {
        "product_comment", "product_fee_code", "product_fee_description",
        "product_from_location", "product_from_location_type", "product_from_region_code",
        "product_instance_family", "product_instance_type", "product_instancesku",
        "product_location", "product_location_type", "product_operation",
        "product_pricing_unit", "product_product_family", "product_region_code",
        "product_servicecode", "product_sku", "product_to_location", "product_to_location_type",
        "product_to_region_code", "product_usagetype",
    }
)  # fmt: skip

# Columns only CUR 2.0 has (legacy CUR has neither the maps nor the account names).
CUR2_ONLY = frozenset(
    {"product", "resource_tags", "bill_payer_account_name", "line_item_usage_account_name"}
)


def snake(header: str) -> str:
    """A legacy CUR header in CUR 2.0 spelling: ``lineItem/UnblendedCost`` ->
    ``line_item_unblended_cost``, ``savingsPlan/SavingsPlanARN`` ->
    ``savings_plan_savings_plan_a_r_n``."""
    if "/" not in header:
        return header.lower()
    category, name = header.split("/", 1)
    name = name.replace("ARN", "A_R_N")

    def words(text: str) -> str:
        return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", text).lower()

    return f"{words(category)}_{words(name)}"


def tag_key(header: str) -> str | None:
    """The ``resource_tags`` key of a legacy tag column, keeping the key as entered:
    ``resourceTags/user:Team`` -> ``user_Team``, ``resource_tags_user_team`` -> ``user_team``."""
    lowered = header.lower()
    if lowered.startswith("resourcetags/"):
        prefix, _, key = header.split("/", 1)[1].partition(":")
        return f"{prefix.lower()}_{key}" if key else prefix
    if lowered.startswith("resource_tags_"):
        return header[len("resource_tags_") :]
    return None


@dataclass
class CurColumns:
    """How one file's header maps onto the CUR 2.0 columns the stage reads."""

    variant: str  # "cur2" or "cur-legacy"
    source_of: dict[str, str] = field(default_factory=dict)  # CUR 2.0 name -> header
    product_map: str | None = None  # header of the CUR 2.0 ``product`` map column
    tags_map: str | None = None  # header of the CUR 2.0 ``resource_tags`` map column
    product_columns: dict[str, str] = field(default_factory=dict)  # map key -> legacy header
    tag_columns: dict[str, str] = field(default_factory=dict)  # map key -> legacy header
    ignored: list[str] = field(default_factory=list)
    display: dict[str, str] = field(default_factory=dict)  # scan column -> header as written

    def name_of(self, column: str) -> str:
        """The header as the file writes it, for messages."""
        return self.display.get(column, column)

    def renamed(self, scan_names: dict[str, str]) -> CurColumns:
        """The same map over the scan's column names (header as written -> scan name)."""

        def new(values: dict[str, str]) -> dict[str, str]:
            return {k: scan_names[v] for k, v in values.items()}

        return CurColumns(
            variant=self.variant,
            source_of=new(self.source_of),
            product_map=scan_names[self.product_map] if self.product_map else None,
            tags_map=scan_names[self.tags_map] if self.tags_map else None,
            product_columns=new(self.product_columns),
            tag_columns=new(self.tag_columns),
            ignored=list(self.ignored),
            display={v: k for k, v in scan_names.items()},
        )

    def missing(self) -> list[str]:
        """Required CUR 2.0 columns the file lacks."""
        return [c for c in REQUIRED if c not in self.source_of]


def map_cur_columns(headers: list[str]) -> CurColumns | None:
    """The column map of a CUR file, or None when the header is not a CUR's."""
    names = [snake(h) for h in headers]
    if "line_item_line_item_type" not in names or "bill_payer_account_id" not in names:
        return None
    variant = "cur2" if CUR2_ONLY & set(names) else "cur-legacy"
    cols = CurColumns(variant)
    for name, header in zip(names, headers, strict=True):
        _place(cols, name, header)
    return cols


def _place(cols: CurColumns, name: str, header: str) -> None:
    key = tag_key(header)
    if name == "product":
        cols.product_map = header
    elif name == "resource_tags":
        cols.tags_map = header
    elif key is not None:
        cols.tag_columns[key] = header
    elif name in READ:
        cols.source_of[name] = header
    elif name.startswith("product_") and name not in STATIC_PRODUCT:
        cols.product_columns[name.removeprefix("product_")] = header
    else:
        cols.ignored.append(header)
