"""Numbers and labels as the report prints them, shared by the HTML and the text renderer."""

from __future__ import annotations

from decimal import Decimal

from reports.weekly.findings import FamilySavings
from reports.weekly.spend import SpendRow

NONE = "—"
HALF_CENT = Decimal("0.005")


def money(amount: Decimal | None, currency: str | None = None) -> str:
    """``1,234.56 USD``; ``—`` for a missing amount."""
    if amount is None:
        return NONE
    text = f"{Decimal(amount):,.2f}"
    return f"{text} {currency}" if currency else text


def signed(amount: Decimal | None, currency: str | None = None) -> str:
    """``+12.00`` / ``-3.50``."""
    if amount is None:
        return NONE
    sign = "+" if amount >= 0 else "-"
    return sign + money(abs(Decimal(amount)), currency)


def percent(value: float | None) -> str:
    if value is None:
        return NONE
    return f"{value:+.1f} %"


def explain(row: SpendRow) -> str:
    """What moved the cost since the week before, largest first."""
    parts = [
        (row.new, "new resources"), (row.gone, "resources gone"), (row.usage, "usage"),
        (row.rate, "rate"), (row.other, "fees, tax, credits"),
    ]  # fmt: skip
    moved = [(a, label) for a, label in parts if abs(a) >= HALF_CENT]
    if not moved:
        return "no change"
    moved.sort(key=lambda p: -abs(p[0]))
    return ", ".join(f"{label} {signed(a)}" for a, label in moved)


def share(part: Decimal, whole: Decimal) -> str:
    if not whole:
        return NONE
    return f"{100 * part / whole:.1f} %"


def short_id(resource_id: str | None) -> str | None:
    """The readable end of a resource id: ``.../virtualMachines/vm-1`` -> ``vm-1``; ARNs and
    plain ids as the provider writes them."""
    if not resource_id or "/" not in resource_id.rstrip("/"):
        return resource_id
    return resource_id.rstrip("/").rsplit("/", 1)[1]


def savings_totals(
    families: list[FamilySavings],
) -> dict[str, tuple[Decimal | None, Decimal]]:
    """Per currency: net (None unless every family has a net figure for all its findings)
    and gross monthly savings."""
    out: dict[str, tuple[Decimal | None, Decimal]] = {}
    for f in families:
        cur = f.currency or ""
        net, gross = out.get(cur, (Decimal(0), Decimal(0)))
        complete = net is not None and f.net is not None and f.with_net == f.findings
        out[cur] = ((net or Decimal(0)) + (f.net or Decimal(0)) if complete else None,
                    gross + f.gross)  # fmt: skip
    return out
