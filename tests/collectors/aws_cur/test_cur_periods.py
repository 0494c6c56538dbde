"""Each billing period reconciles on its own: money moved between two periods of the source is
caught even when the file's grand totals still match."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from collectors.aws.cur import loader
from collectors.ingest import ingest
from warehouse.db import Warehouse
from warehouse.errors import InputError
from warehouse.load import SourceTotals

DEMO = Path(__file__).resolve().parents[3] / "fixtures" / "demo" / "aws" / "cur2"


def test_every_period_is_reconciled_and_recorded(warehouse: Warehouse) -> None:
    ingest(warehouse, [DEMO])
    with warehouse.read() as con:
        rows = con.execute(
            "SELECT strftime(BillingPeriodStart, '%Y-%m'), source_billed,"
            " loaded_billed + quarantined_billed, source_effective, loaded_effective"
            " FROM ingest_periods ORDER BY 1"
        ).fetchall()
    assert [r[0] for r in rows] == ["2026-08", "2026-09", "2026-10"]
    for _, source, loaded, source_eff, loaded_eff in rows:
        assert round(source, 2) == round(loaded, 2)
        assert round(source_eff, 2) == round(loaded_eff, 2)


def test_money_moved_between_periods_is_refused(
    warehouse: Warehouse, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    both = tmp_path / "two-months.parquet"
    duckdb.connect().execute(
        f"COPY (SELECT * FROM read_parquet('{DEMO}/*/data/*/*.parquet'))"
        f" TO '{both}' (FORMAT parquet)"
    )
    real = loader._source_totals

    def shifted(*args: object) -> SourceTotals:
        totals = real(*args)  # type: ignore[arg-type]
        keys = sorted(totals.periods, key=lambda k: k[2] or dt.datetime.min)
        if len(keys) > 1:
            a, b = keys[0], keys[1]
            moved = Decimal("10.00")
            totals.periods[a] = (totals.periods[a][0] - moved, totals.periods[a][1])
            totals.periods[b] = (totals.periods[b][0] + moved, totals.periods[b][1])
        return totals

    monkeypatch.setattr(loader, "_source_totals", shifted)
    with pytest.raises(InputError, match=r"per billing period.*aws/100000000001/2026-08"):
        ingest(warehouse, [both])
    assert not warehouse.exists()
