"""Azure EA / MCA cost details: both views of a month merge into one FOCUS row per charge,
whatever order they arrive in; each month equals Microsoft's own FocusCost export; real
samples load and reconcile."""

from __future__ import annotations

from pathlib import Path

import pytest

from collectors.azure.cost_details.services import CONSUMED_SERVICES, METER_CATEGORIES
from collectors.ingest import ingest
from warehouse.db import Warehouse
from warehouse.focus_columns import SERVICE_SUBCATEGORIES

EXPORTS = Path(__file__).resolve().parents[3] / "fixtures/demo/azure/billing/cost-exports"
MONTH = "20260801-20260831"


def _totals(warehouse: Warehouse) -> list[tuple[object, ...]]:
    with warehouse.read() as con:
        return con.execute(
            "SELECT ChargeCategory, CommitmentDiscountStatus, count(*), round(sum(BilledCost), 6),"
            " round(sum(EffectiveCost), 6) FROM focus_costs GROUP BY ALL ORDER BY ALL"
        ).fetchall()


def _focus_cost_month(warehouse: Warehouse) -> tuple[object, ...]:
    ingest(warehouse, [EXPORTS / "focus-cost" / MONTH])
    with warehouse.read() as con:
        row = con.execute(
            "SELECT round(sum(BilledCost), 2), round(sum(EffectiveCost), 2), count(*)"
            " FROM focus_costs"
        ).fetchone()
    assert row is not None
    return tuple(row)


@pytest.mark.e2e  # ~6-10 s: six export files and two warehouses
@pytest.mark.parametrize("dialect", ["ea", "mca"])
def test_both_views_together_equal_the_focus_cost_export(
    warehouse: Warehouse, tmp_path: Path, dialect: str
) -> None:
    other = Warehouse(tmp_path / "focus.duckdb", warehouse.settings)
    expected = _focus_cost_month(other)
    [s] = ingest(
        warehouse,
        [EXPORTS / f"{dialect}-actual-cost" / MONTH, EXPORTS / f"{dialect}-amortized-cost" / MONTH],
    )[-1:]
    assert s.quarantined_rows == 0
    with warehouse.read() as con:
        row = con.execute(
            "SELECT round(sum(BilledCost), 2), round(sum(EffectiveCost), 2), count(*)"
            " FROM focus_costs"
        ).fetchone()
    assert row is not None
    assert tuple(row) == expected


@pytest.mark.e2e
def test_order_of_views_and_reruns_do_not_change_the_result(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    actual, amortized = EXPORTS / "ea-actual-cost" / MONTH, EXPORTS / "ea-amortized-cost" / MONTH
    ingest(warehouse, [actual])
    only_actual = _totals(warehouse)
    assert {r[1] for r in only_actual} == {None, "Used"}  # no unused rows without amortized
    ingest(warehouse, [amortized])
    ingest(warehouse, [actual])  # a rerun replaces, never adds
    other = Warehouse(tmp_path / "other.duckdb", warehouse.settings)
    ingest(other, [amortized])
    ingest(other, [actual])
    assert _totals(warehouse) == _totals(other)
    unused = [r for r in _totals(warehouse) if r[1] == "Unused"]
    assert unused
    assert unused[0][3] == 0  # unused commitment is never billed


def test_real_ea_samples_load_and_reconcile(warehouse: Warehouse, samples: Path) -> None:
    files = [
        samples / "finops-toolkit" / "EA_ActualCost_Small.csv",
        samples / "finops-toolkit" / "EA_AmortizedCost_Small.csv",
        samples / "focus-converters" / "sample-anonymous-ea-export-dataset.csv",
    ]
    summaries = ingest(warehouse, files)
    assert [s.quarantined_rows for s in summaries] == [0, 0, 0]
    with warehouse.read() as con:
        currencies = con.execute("SELECT DISTINCT BillingCurrency FROM focus_costs").fetchall()
        purchase = con.execute(
            "SELECT BilledCost, EffectiveCost FROM focus_costs WHERE ChargeCategory = 'Purchase'"
        ).fetchall()
    assert sorted(c[0] for c in currencies) == ["CAD", "USD"]
    assert [(float(b), float(e)) for b, e in purchase] == [(3.25, 0.0)]


def test_bad_values_are_quarantined_with_column_row_and_line(
    warehouse: Warehouse, samples: Path, tmp_path: Path
) -> None:
    src = samples / "finops-toolkit" / "EA_ActualCost_Small.csv"
    lines = src.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    cells = lines[3].split(",")
    cells[header.index("Cost")] = "12;5"
    lines[3] = ",".join(cells)
    bad = tmp_path / "ea.csv"
    bad.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    [s] = ingest(warehouse, [bad])
    assert s.quarantined_rows == 1
    with warehouse.read() as con:
        row = con.execute("SELECT column_name, source_row, source_line FROM quarantine").fetchone()
    assert row == ("Cost", 3, 4)


def test_every_category_pair_is_allowed_by_focus() -> None:
    pairs = {**METER_CATEGORIES, **CONSUMED_SERVICES}
    wrong = {k: p for k, p in pairs.items() if p[1] not in SERVICE_SUBCATEGORIES.get(p[0], ())}
    assert wrong == {}


@pytest.mark.e2e  # ~5 s: two views in two formats
def test_parquet_exports_load_the_same_rows_as_csv(warehouse: Warehouse, tmp_path: Path) -> None:
    import shutil

    import duckdb

    folders = []
    for view in ("ea-actual-cost", "ea-amortized-cost"):
        src = EXPORTS / view / MONTH
        dst = tmp_path / "parquet" / view / MONTH
        shutil.copytree(src, dst)
        for part in dst.rglob("*.csv.gz"):
            target = part.with_name(part.name.replace(".csv.gz", ".parquet"))
            duckdb.connect().execute(
                f"COPY (SELECT * FROM read_csv('{part}', all_varchar = true))"
                f" TO '{target}' (FORMAT parquet)"
            )
            part.unlink()
        for manifest in dst.rglob("manifest.json"):  # the run lists its Parquet parts
            text = manifest.read_text(encoding="utf-8").replace(".csv.gz", ".parquet")
            manifest.write_text(text, encoding="utf-8")
        folders.append(dst)
    from_csv = Warehouse(tmp_path / "csv.duckdb", warehouse.settings)
    ingest(from_csv, [EXPORTS / "ea-actual-cost" / MONTH, EXPORTS / "ea-amortized-cost" / MONTH])
    summaries = ingest(warehouse, folders)
    assert {s.format for s in summaries} == {"ea-actual-parquet", "ea-amortized-parquet"}
    assert _totals(warehouse) == _totals(from_csv)
