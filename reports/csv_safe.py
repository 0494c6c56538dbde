"""The one guard against spreadsheet formula injection, for every CSV cloudspend writes.

A spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and tab or carriage
return, which some importers strip first) as a formula. Tag values and resource names are
user-controlled, so every text cell we write to CSV goes through :func:`neutralize`: such a
text gets a leading apostrophe and is shown as text. Numbers stay numbers (``-3.5`` is a
credit, not a formula), so amounts keep their type.

Example: ``neutralize('=HYPERLINK("http://x")')`` adds an apostrophe in front;
``neutralize(-3.5)`` is ``-3.5``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: Any) -> Any:
    """The value, with a leading apostrophe if it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with its text cells neutralized; numbers, dates and booleans untouched."""
    out = df.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series):
            continue
        out[column] = series.map(neutralize, na_action="ignore")
    return out
