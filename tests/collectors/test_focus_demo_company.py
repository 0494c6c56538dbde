"""The demo company's Azure FOCUS export loads through the FOCUS collector and agrees with the
same company's EA actual-cost export, month by month, to the cent."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from collectors.ingest import ingest
from fixtures.azure import write_azure
from fixtures.company import build_company
from warehouse.db import Warehouse

pytestmark = pytest.mark.slow  # loads the demo company's whole bills


@pytest.fixture(scope="module")
def azure_exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    write_azure(build_company(7, 1), out)
    return out / "azure" / "billing" / "cost-exports"


def test_azure_focus_export_reconciles_with_the_ea_actual_cost(
    warehouse: Warehouse, azure_exports: Path
) -> None:
    [s] = ingest(warehouse, [azure_exports / "focus-cost"])
    assert s.quarantined_rows == 0
    assert s.files == 3
    with warehouse.read() as con:
        loaded = dict(
            con.execute(
                "SELECT strftime(BillingPeriodStart, '%Y-%m'), round(sum(BilledCost), 2)"
                " FROM focus_costs GROUP BY 1"
            ).fetchall()
        )
    ea = dict(
        duckdb.execute(
            "SELECT strftime(strptime(Date, '%m/%d/%Y'), '%Y-%m'),"
            " round(sum(CAST(Cost AS DECIMAL(38, 12))), 2)"
            f" FROM read_csv('{azure_exports}/ea-actual-cost/**/*.csv.gz', all_varchar = true)"
            " GROUP BY 1"
        ).fetchall()
    )
    assert loaded == ea
    assert len(loaded) == 3
