"""Export folders and restatements: the newest manifest decides which files load, a restated
month replaces the period (never doubles it), bad files stop the load with nothing loaded."""

from __future__ import annotations

import gzip
import json
import os
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from collectors.base import CollectorError
from collectors.ingest import ingest
from warehouse.db import Warehouse

DEMO = Path(__file__).resolve().parents[3] / "fixtures" / "demo" / "aws"
OCT = "20261001-20261101"


def _period_totals(wh: Warehouse) -> dict[str, tuple[int, Decimal]]:
    if not wh.exists():
        return {}
    with wh.read() as con:
        rows = con.execute(
            "SELECT strftime(BillingPeriodStart, '%Y-%m'), count(*), sum(BilledCost)"
            " FROM focus_costs GROUP BY 1"
        ).fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


def _legacy_copy(tmp_path: Path, periods: tuple[str, ...] = (OCT,)) -> Path:
    """A copy of the demo's legacy CUR export with the given period folders only."""
    root = tmp_path / "cur"
    for period in periods:
        shutil.copytree(DEMO / "cur" / "example-cur" / period, root / "example-cur" / period)
    return root


def _rewrite_gz(path: Path, factor: str) -> None:
    """Multiply every unblended cost of a legacy CUR file (a restatement)."""
    con = duckdb.connect()
    con.execute(
        f"""COPY (SELECT * REPLACE (CAST("lineItem/UnblendedCost"::DECIMAL(38,12) * {factor}
                                         AS VARCHAR) AS "lineItem/UnblendedCost")
                  FROM read_csv('{path}', all_varchar = true))
            TO '{path}.new' (FORMAT csv, HEADER, COMPRESSION gzip)"""
    )
    Path(f"{path}.new").replace(path)


def test_a_restated_month_replaces_the_period(tmp_path: Path, warehouse: Warehouse) -> None:
    root = _legacy_copy(tmp_path, ("20260901-20261001", OCT))
    ingest(warehouse, [root])
    before = _period_totals(warehouse)
    [october] = (root / "example-cur" / OCT).glob("*/*.csv.gz")
    _rewrite_gz(october, "2")
    [summary] = ingest(warehouse, [october])
    after = _period_totals(warehouse)
    assert summary.replaced_rows == before["2026-10"][0]
    assert after["2026-10"][0] == before["2026-10"][0]
    assert after["2026-10"][1] == 2 * before["2026-10"][1]
    assert after["2026-09"] == before["2026-09"]


def test_the_manifest_decides_between_deliveries(tmp_path: Path, warehouse: Warehouse) -> None:
    root = _legacy_copy(tmp_path)
    period = root / "example-cur" / OCT
    [current] = period.glob("*/*.csv.gz")
    stale = period / "0ld-delivery" / current.name
    stale.parent.mkdir()
    shutil.copy(current, stale)
    _rewrite_gz(stale, "3")
    skipped: list[Path] = []
    ingest(warehouse, [root], on_skip=lambda path, why: skipped.append(path))
    assert skipped == [stale]
    assert _period_totals(warehouse)["2026-10"][1] == _expected_october()


def test_without_a_manifest_the_newest_delivery_wins(tmp_path: Path, warehouse: Warehouse) -> None:
    root = _legacy_copy(tmp_path)
    period = root / "example-cur" / OCT
    (period / "example-cur-Manifest.json").unlink()
    [current] = period.glob("*/*.csv.gz")
    stale = period / "0ld-delivery" / current.name
    stale.parent.mkdir()
    shutil.copy(current, stale)
    _rewrite_gz(stale, "3")
    os.utime(stale, (1_000_000_000, 1_000_000_000))
    skipped: list[Path] = []
    ingest(warehouse, [root], on_skip=lambda path, why: skipped.append(path))
    assert skipped == [stale]
    assert _period_totals(warehouse)["2026-10"][1] == _expected_october()


def _expected_october() -> Decimal:
    [path] = (DEMO / "cur" / "example-cur" / OCT).glob("*/*.csv.gz")
    (total,) = (
        duckdb.connect()
        .execute(
            f"""SELECT sum("lineItem/UnblendedCost"::DECIMAL(38,12))
                FROM read_csv('{path}', all_varchar = true)"""
        )
        .fetchall()[0]
    )
    return Decimal(total)


def test_a_file_the_manifest_lists_but_the_folder_lacks(
    tmp_path: Path, warehouse: Warehouse
) -> None:
    root = tmp_path / "cur2"
    shutil.copytree(DEMO / "cur2", root)
    manifest = next(root.glob("*/metadata/BILLING_PERIOD=2026-09/*-Manifest.json"))
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["dataFiles"].append(data["dataFiles"][0].replace("00001", "00002"))
    manifest.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CollectorError, match=r"example-cur2-00002.snappy.parquet.*incomplete"):
        ingest(warehouse, [root])
    assert _period_totals(warehouse) == {}


def test_a_corrupt_parquet_part_stops_the_load(tmp_path: Path, warehouse: Warehouse) -> None:
    root = tmp_path / "cur2"
    shutil.copytree(DEMO / "cur2", root)
    part = next(root.glob("*/data/BILLING_PERIOD=2026-10/*.parquet"))
    data = part.read_bytes()
    part.write_bytes(data[: len(data) // 2] + b"\0" * 64 + data[-1000:])
    with pytest.raises(CollectorError, match=str(part.name)):
        ingest(warehouse, [root])
    assert _period_totals(warehouse) == {}


def test_a_gzip_cut_short_stops_the_load(tmp_path: Path, warehouse: Warehouse) -> None:
    root = _legacy_copy(tmp_path)
    [october] = (root / "example-cur" / OCT).glob("*/*.csv.gz")
    text = gzip.decompress(october.read_bytes())
    october.write_bytes(gzip.compress(text)[:-2000])
    with pytest.raises(CollectorError, match=october.name):
        ingest(warehouse, [root])
    assert _period_totals(warehouse) == {}
