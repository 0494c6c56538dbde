"""Which view of the bill a file holds: actual cost (as invoiced) or amortized cost.

An export's ``manifest.json`` (in the run folder beside the part files) says so in
``exportConfig.type``. Without one, the rows tell: only the amortized view has
``UnusedReservation`` / ``UnusedSavingsPlan`` rows and usage covered by a commitment with a cost;
only the actual view has commitment purchases with a cost, and covered usage at cost 0. A bill
without commitments reads the same in both views and is taken as actual.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from warehouse.sql import one

ACTUAL, AMORTIZED = "actual", "amortized"
_TYPES = {"actualcost": ACTUAL, "amortizedcost": AMORTIZED, "usage": ACTUAL}


def view_from_manifest(path: Path, levels: int = 3) -> str | None:
    """The view named by the nearest export manifest in the file's folder or above it."""
    folder = path.parent
    for _ in range(levels):
        manifest = folder / "manifest.json"
        if manifest.is_file():
            return _manifest_view(manifest)
        folder = folder.parent
    return None


def _manifest_view(manifest: Path) -> str | None:
    try:
        data = json.loads(manifest.read_text(encoding="utf-8-sig"))
        kind = str(data["exportConfig"]["type"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return _TYPES.get(kind.lower())


def view_from_rows(con: duckdb.DuckDBPyConnection, stage: str) -> str:
    """The view the staged rows show (see the module docstring)."""
    unused, covered_cost, purchase, covered_free = one(
        con,
        f"""
        SELECT count(*) FILTER (WHERE lower(charge_type) IN
                                ('unusedreservation', 'unusedsavingsplan')),
               count(*) FILTER (WHERE {_covered()} AND cost <> 0),
               count(*) FILTER (WHERE lower(charge_type) = 'purchase' AND cost <> 0
                                AND lower(pricing_model) IN ('reservation', 'savingsplan')),
               count(*) FILTER (WHERE {_covered()} AND cost = 0)
        FROM {stage} WHERE __errors = ''
        """,
    )
    if unused or (covered_cost and not purchase and not covered_free):
        return AMORTIZED
    return ACTUAL


def _covered() -> str:
    return "lower(charge_type) = 'usage' AND lower(pricing_model) IN ('reservation', 'savingsplan')"
