"""Native FOCUS files: the official sample, every container (CSV, CSV.gz, Parquet) and version."""

from __future__ import annotations

import csv
import gzip
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from collectors.focus.columns import map_columns
from collectors.ingest import ingest
from warehouse.db import Warehouse
from warehouse.focus_columns import FOCUS_COLUMNS

Rewrite = Callable[[Path, Callable[[list[list[str]]], list[list[str]]], str], Path]


def _file_sum(path: Path, column: str) -> Decimal:
    """The file's own total, read with Python's csv module (independent of DuckDB)."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return sum(
            (Decimal(r[column]) for r in csv.DictReader(handle) if r[column] not in ("", "NULL")),
            Decimal(0),
        )


def _loaded(wh: Warehouse, sql: str) -> list[tuple[Any, ...]]:
    with wh.read() as con:
        return con.execute(sql).fetchall()


def test_official_sample_loads_and_reconciles_to_the_cent(
    warehouse: Warehouse, focus_sample: Path
) -> None:
    [s] = ingest(warehouse, [focus_sample])
    assert s.format == "focus-1.0"
    assert s.source_totals.rows == 1000
    assert s.loaded_rows + s.quarantined_rows == 1000
    file_total = _file_sum(focus_sample, "BilledCost")
    assert round(s.source_totals.billed, 2) == round(file_total, 2)
    assert round(s.loaded_billed + s.quarantined_billed, 2) == round(file_total, 2)
    assert round(s.source_totals.effective, 2) == round(_file_sum(focus_sample, "EffectiveCost"), 2)
    reasons = _loaded(warehouse, "SELECT DISTINCT reason FROM quarantine")
    assert reasons == [("ContractedCost: required value missing",)]  # the sample's 7 Oracle rows


def test_official_sample_quirks_are_mapped(warehouse: Warehouse, focus_sample: Path) -> None:
    ingest(warehouse, [focus_sample])
    [(nulls, tagged, tz_ok)] = _loaded(
        warehouse,
        "SELECT count(*) FILTER (WHERE ChargeClass = 'NULL'),"
        " count(*) FILTER (WHERE cardinality(Tags) > 0),"
        " bool_and(BillingPeriodStart = TIMESTAMPTZ '2024-09-01 00:00:00+00') FROM focus_costs",
    )
    assert nulls == 0  # the string NULL became a real NULL
    assert tagged > 0  # Tags JSON became a map
    assert tz_ok  # 'YYYY-MM-DD HH:MM:SS' read as UTC


def test_loading_the_same_file_again_changes_no_total(
    warehouse: Warehouse, focus_sample: Path
) -> None:
    query = "SELECT count(*), sum(BilledCost), sum(EffectiveCost) FROM focus_costs"
    ingest(warehouse, [focus_sample])
    first = _loaded(warehouse, query)
    [again] = ingest(warehouse, [focus_sample])
    assert _loaded(warehouse, query) == first
    assert again.replaced_rows == again.loaded_rows
    assert _loaded(warehouse, "SELECT count(*) FROM quarantine") == [(again.quarantined_rows,)]


def test_csv_gz_and_parquet_load_the_same_rows(
    warehouse: Warehouse, synth_csv: Path, tmp_path: Path
) -> None:
    gz = tmp_path / "synth.csv.gz"
    with synth_csv.open("rb") as src, gzip.open(gz, "wb") as dst:
        shutil.copyfileobj(src, dst)
    parquet = tmp_path / "synth.parquet"
    duckdb.execute(f"COPY (SELECT * FROM read_csv('{synth_csv}')) TO '{parquet}' (FORMAT PARQUET)")
    query = (
        "SELECT count(*), sum(BilledCost), sum(EffectiveCost), sum(cardinality(Tags))"
        " FROM focus_costs"
    )
    results = []
    for path in (synth_csv, gz, parquet):
        ingest(warehouse, [path])
        results.append(_loaded(warehouse, query))
    assert results[0] == results[1] == results[2]
    assert results[0][0][0] == 60


def test_version_is_detected_from_the_columns(
    warehouse: Warehouse, synth_csv: Path, rewrite_csv: Rewrite
) -> None:
    new_in = {v: {c.name for c in FOCUS_COLUMNS if c.since == v} for v in ("1.1", "1.2")}

    def drop(names: set[str]) -> Callable[[list[list[str]]], list[list[str]]]:
        def edit(rows: list[list[str]]) -> list[list[str]]:
            keep = [i for i, n in enumerate(rows[0]) if n not in names]
            return [[r[i] for i in keep] for r in rows]

        return edit

    v11 = rewrite_csv(synth_csv, drop(new_in["1.2"]), "v11.csv")
    v10 = rewrite_csv(synth_csv, drop(new_in["1.2"] | new_in["1.1"]), "v10.csv")
    formats = [ingest(warehouse, [p])[0].format for p in (synth_csv, v11, v10)]
    assert formats == ["focus-1.2", "focus-1.1", "focus-1.0"]


def test_pre_1_0_names_are_renamed(
    warehouse: Warehouse, synth_csv: Path, rewrite_csv: Rewrite
) -> None:
    old = {"ProviderName": "Provider", "PublisherName": "Publisher", "ChargeCategory": "ChargeType"}
    path = rewrite_csv(
        synth_csv, lambda rows: [[old.get(n, n) for n in rows[0]], *rows[1:]], "old.csv"
    )
    assert map_columns(list(old.values())).source_of["ProviderName"] == "Provider"
    [s] = ingest(warehouse, [path])
    assert s.loaded_rows == 60
    assert _loaded(warehouse, "SELECT count(DISTINCT ProviderName) FROM focus_costs") == [(3,)]


def test_a_folder_of_parts_loads_as_one_ingest(
    warehouse: Warehouse, synth_csv: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "export" / "2026-10"
    folder.mkdir(parents=True)
    con = duckdb.connect()
    for part, (lo, hi) in enumerate([(0, 30), (30, 60)]):
        con.execute(
            f"COPY (SELECT * FROM read_csv('{synth_csv}', all_varchar=true)"
            f" LIMIT {hi - lo} OFFSET {lo}) TO '{folder}/part-{part}.csv' (HEADER)"
        )
    (folder / "manifest.json").write_text("{}")
    [s] = ingest(warehouse, [folder.parent])
    assert (s.files, s.loaded_rows) == (
        2,
        60,
    )  # the parts share partitions and do not replace each other


def test_progress_is_reported_per_file(warehouse: Warehouse, synth_csv: Path) -> None:
    seen: list[tuple[str, int, int]] = []
    ingest(warehouse, [synth_csv], lambda message, done, total: seen.append((message, done, total)))
    assert seen[0] == ("loading synth.csv (focus-1.2)", 0, 1)
    assert seen[-1] == ("done", 1, 1)
