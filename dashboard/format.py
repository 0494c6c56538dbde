"""How figures are written: money with its currency, shares as percents, missing as a dash."""

from __future__ import annotations

import math
from typing import Any

NOT_COMPUTED = "not computed"


def money(value: Any, currency: str | None) -> str:
    """``USD 1,234.56``; a dash for a missing value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{currency or ''} {float(value):,.2f}".strip()


def percent(share: Any) -> str:
    """``87.5 %`` for 0.875; a dash for a missing share."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "-"
    return f"{100 * float(share):.1f} %"
