"""What FOCUS makes of each credit of an export row (``credits[] {name, amount, id, type}``).

- Price reductions on that very usage (sustained use, free tier, negotiated and reseller
  discounts, subscription benefits) are folded into the row: BilledCost and EffectiveCost include
  them, ContractedCost and ListCost do not.
- Committed use discounts (resource-based and spend-based) stay on the row too, and name the
  commitment in the CommitmentDiscount* columns; the commitment's fee is then amortized onto the
  covered rows (``commitments.py``).
- Promotions and any credit type not listed here become a row of their own, ChargeCategory
  Credit, so that they show as credits and are not mistaken for a lower price.

Net cost (``cost + SUM(credits.amount)``) is always the sum of what a source row yields.
"""

from __future__ import annotations

from collectors.files import sql_str

MONEY = "DECIMAL(38,12)"
FOLDED = (
    "SUSTAINED_USAGE_DISCOUNT",
    "FREE_TIER",
    "DISCOUNT",
    "SUBSCRIPTION_BENEFIT",
    "RESELLER_MARGIN",
    "FEE_UTILIZATION_OFFSET",
)
COMMITTED = ("COMMITTED_USAGE_DISCOUNT", "COMMITTED_USAGE_DISCOUNT_DOLLAR_BASE")
SPEND_BASED = "COMMITTED_USAGE_DISCOUNT_DOLLAR_BASE"


def _in(types: tuple[str, ...]) -> str:
    return "(" + ", ".join(sql_str(t) for t in types) + ")"


def _sum(condition: str) -> str:
    """Sum of the amounts of the credits meeting ``condition`` (over ``c``), 0 when none."""
    picked = f"list_filter(coalesce(credits, []), lambda c: {condition})"
    amounts = f"list_transform({picked}, lambda c: TRY_CAST(c.amount AS {MONEY}))"
    return f"coalesce(CAST(list_sum({amounts}) AS {MONEY}), CAST(0 AS {MONEY}))"


def _first_cud(field: str) -> str:
    picked = f"list_filter(coalesce(credits, []), lambda c: upper(c.type) IN {_in(COMMITTED)})"
    return f"{picked}[1].{field}"


def credit_columns() -> dict[str, str]:
    """Stage columns: the credits split by what FOCUS makes of them."""
    separate = f"upper(coalesce(c.type, '')) NOT IN {_in(FOLDED + COMMITTED)}"
    return {
        "credits_total": _sum("true"),
        "folded_credits": _sum(f"upper(c.type) IN {_in(FOLDED)}"),
        "cud_credits": _sum(f"upper(c.type) IN {_in(COMMITTED)}"),
        "own_row_credits": _sum(separate),
        "own_row_names": (
            "NULLIF(array_to_string(list_distinct(list_transform(list_filter("
            f"coalesce(credits, []), lambda c: {separate}),"
            " lambda c: coalesce(c.full_name, c.name, c.type))), ', '), '')"
        ),
        "has_own_row_credit": f"len(list_filter(coalesce(credits, []), lambda c: {separate})) > 0",
        "cud_id": _first_cud("id"),
        "cud_spend_based": f"upper({_first_cud('type')}) = {sql_str(SPEND_BASED)}",
    }
