"""Named query parameters: DuckDB refuses parameters a statement does not use, so one set of
filter parameters serves several statements through :func:`used`."""

from __future__ import annotations

import re
from typing import Any


def used(sql: str, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters that ``sql`` references as ``$name``."""
    names = set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", sql))
    return {k: v for k, v in params.items() if k in names}
