"""Bad input: a clear error naming file, row and column with nothing loaded, or per-row quarantine
with a reason; either way loaded + quarantined = source, to the cent."""

from __future__ import annotations

import csv
import gzip
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from collectors.base import CollectorError
from collectors.ingest import ingest
from warehouse.db import Warehouse
from warehouse.errors import CloudSpendError, InputError
from warehouse.load import SourceTotals, _reconcile

Rows = list[list[str]]
Rewrite = Callable[[Path, Callable[[Rows], Rows], str], Path]


def _set(column: str, row: int, value: str) -> Callable[[Rows], Rows]:
    """Edit one value: data row ``row`` (1-based) of ``column``."""

    def edit(rows: Rows) -> Rows:
        rows[row][rows[0].index(column)] = value
        return rows

    return edit


def _quarantine(wh: Warehouse) -> list[tuple[Any, ...]]:
    with wh.read() as con:
        return con.execute(
            "SELECT source_row, source_line, column_name, reason FROM quarantine"
            " ORDER BY source_line"
        ).fetchall()


def _unchanged(wh: Warehouse, before: bytes) -> bool:
    return wh.path.read_bytes() == before


@pytest.fixture
def loaded(warehouse: Warehouse, synth_csv: Path) -> bytes:
    """A warehouse holding the synthetic file; its bytes prove a failed load changed nothing."""
    ingest(warehouse, [synth_csv])
    return warehouse.path.read_bytes()


def test_empty_file_is_an_error(warehouse: Warehouse, loaded: bytes, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(CollectorError, match=r"empty\.csv: the file is empty"):
        ingest(warehouse, [empty])
    assert _unchanged(warehouse, loaded)


def test_header_only_file_loads_nothing_and_says_so(
    warehouse: Warehouse, synth_csv: Path, rewrite_csv: Rewrite
) -> None:
    path = rewrite_csv(synth_csv, lambda rows: rows[:1], "header.csv")
    [s] = ingest(warehouse, [path])
    assert (s.source_totals.rows, s.loaded_rows, s.partitions) == (0, 0, [])


def _rows(path: Path) -> Rows:
    with path.open(newline="") as handle:
        return list(csv.reader(handle))


def test_semicolon_delimiter_is_detected(
    warehouse: Warehouse, synth_csv: Path, tmp_path: Path
) -> None:
    rows = _rows(synth_csv)
    semi = tmp_path / "semi.csv"
    with semi.open("w", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)
    [s] = ingest(warehouse, [semi])
    assert s.loaded_rows == 60


def test_mixed_delimiters_are_an_error(
    warehouse: Warehouse, loaded: bytes, synth_csv: Path, tmp_path: Path
) -> None:
    rows = _rows(synth_csv)
    bad = tmp_path / "mixed.csv"
    with bad.open("w", newline="") as handle:
        handle.write(",".join(rows[0]) + "\n")
        csv.writer(handle, delimiter=";").writerows(rows[1:])
    with pytest.raises(CollectorError, match=r"mixed\.csv: .*delimiter"):
        ingest(warehouse, [bad])
    assert _unchanged(warehouse, loaded)


def test_missing_mandatory_column_is_named(
    warehouse: Warehouse, loaded: bytes, synth_csv: Path, rewrite_csv: Rewrite
) -> None:
    def drop(rows: Rows) -> Rows:
        i = rows[0].index("ContractedCost")
        return [r[:i] + r[i + 1 :] for r in rows]

    path = rewrite_csv(synth_csv, drop, "nocontracted.csv")
    with pytest.raises(
        CollectorError, match=r"nocontracted\.csv: .*mandatory column\(s\) ContractedCost \(row 1"
    ):
        ingest(warehouse, [path])
    assert _unchanged(warehouse, loaded)


def test_unparseable_number_and_date_are_quarantined_with_row_and_column(
    warehouse: Warehouse, synth_csv: Path, rewrite_csv: Rewrite
) -> None:
    def edit(rows: Rows) -> Rows:
        _set("BilledCost", 3, "12,50 USD")(rows)
        return _set("ChargePeriodStart", 7, "31/10/2026")(rows)

    path = rewrite_csv(synth_csv, edit, "bad_values.csv")
    [s] = ingest(warehouse, [path])
    assert (s.loaded_rows, s.quarantined_rows, s.source_totals.unparsed_rows) == (58, 2, 1)
    assert _quarantine(warehouse) == [
        (3, 4, "BilledCost", "BilledCost: expected a decimal number, got '12,50 USD'"),
        (
            7,
            8,
            "ChargePeriodStart",
            "ChargePeriodStart: expected an ISO 8601 date/time, got '31/10/2026'",
        ),
    ]
    assert round(s.loaded_billed + s.quarantined_billed, 2) == round(s.source_totals.billed, 2)


def test_unknown_charge_category_and_bad_currency_are_quarantined(
    warehouse: Warehouse, synth_csv: Path, rewrite_csv: Rewrite
) -> None:
    def edit(rows: Rows) -> Rows:
        _set("ChargeCategory", 2, "Discount")(rows)
        return _set("BillingCurrency", 5, "usd")(rows)

    [s] = ingest(warehouse, [rewrite_csv(synth_csv, edit, "bad_enum.csv")])
    reasons = [r[3] for r in _quarantine(warehouse)]
    assert s.quarantined_rows == 2
    assert (
        "ChargeCategory: expected one of Usage, Purchase, Tax, Credit, Adjustment, got 'Discount'"
        in reasons[0]
    )
    assert "BillingCurrency: expected an ISO 4217 code" in reasons[1]


def test_truncated_gzip_is_an_error_and_loads_nothing(
    warehouse: Warehouse, loaded: bytes, synth_csv: Path, tmp_path: Path
) -> None:
    data = gzip.compress(synth_csv.read_bytes())
    cut = tmp_path / "cut.csv.gz"
    cut.write_bytes(data[: len(data) - 200])
    with pytest.raises(CloudSpendError, match=r"cut\.csv\.gz: cannot read the file"):
        ingest(warehouse, [cut])
    assert _unchanged(warehouse, loaded)


def test_non_utf8_line_is_quarantined_with_its_line(
    warehouse: Warehouse, synth_csv: Path, tmp_path: Path
) -> None:
    lines = synth_csv.read_bytes().split(b"\n")
    lines[4] = lines[4].replace(b"workload", b"workl\xf6ad")  # Latin-1, not UTF-8
    latin = tmp_path / "latin1.csv"
    latin.write_bytes(b"\n".join(lines))
    [s] = ingest(warehouse, [latin])
    assert (s.loaded_rows, s.quarantined_rows, s.source_totals.rows) == (59, 1, 60)
    [(row, line, _column, reason)] = _quarantine(warehouse)
    assert line == 5
    assert row is None
    assert "INVALID ENCODING" in reason


def test_lines_after_a_malformed_line_keep_their_line_numbers(
    warehouse: Warehouse, synth_csv: Path, tmp_path: Path
) -> None:
    lines = synth_csv.read_text().split("\n")
    lines[3] = "too,few,columns"
    header = lines[0].split(",")
    cells = next(csv.reader([lines[10]]))
    cells[header.index("BilledCost")] = "n/a"
    buffer = tmp_path / "shifted.csv"
    with buffer.open("w", newline="") as handle:
        handle.write("\n".join(lines[:10]) + "\n")
        csv.writer(handle, lineterminator="\n").writerow(cells)
        handle.write("\n".join(lines[11:]))
    ingest(warehouse, [buffer])
    got = [(r[1], r[2]) for r in _quarantine(warehouse)]
    assert got == [(4, "BillingAccountName"), (11, "BilledCost")]


def test_mixed_currency_in_one_account_period_is_an_error(
    warehouse: Warehouse, loaded: bytes, synth_csv: Path, rewrite_csv: Rewrite
) -> None:
    path = rewrite_csv(synth_csv, _set("BillingCurrency", 9, "EUR"), "mixed_currency.csv")
    with pytest.raises(
        InputError, match=r"mixed_currency\.csv: billing account .* mixes currencies EUR, USD"
    ):
        ingest(warehouse, [path])
    assert _unchanged(warehouse, loaded)


def test_one_bad_file_among_several_loads_nothing(
    warehouse: Warehouse, loaded: bytes, synth_csv: Path, tmp_path: Path
) -> None:
    (tmp_path / "bad.csv").write_text("not,a,billing,file\n1,2,3,4\n")
    with pytest.raises(CollectorError, match=r"bad\.csv: not a billing format"):
        ingest(warehouse, [synth_csv, tmp_path / "bad.csv"])
    assert _unchanged(warehouse, loaded)


def test_a_load_that_does_not_reconcile_is_refused() -> None:
    totals = SourceTotals(rows=10, billed=Decimal("100.00"))
    with pytest.raises(InputError, match="does not reconcile"):
        _reconcile(
            "f.csv",
            totals,
            (9, totals.billed, totals.effective),
            (0, totals.billed * 0, totals.effective),
        )


def test_parquet_rows_are_quarantined_with_their_row(
    warehouse: Warehouse, synth_csv: Path, rewrite_csv: Rewrite, tmp_path: Path
) -> None:
    text = rewrite_csv(synth_csv, _set("BilledCost", 5, "twelve"), "for_parquet.csv")
    parquet = tmp_path / "bad.parquet"
    duckdb.execute(
        f"COPY (SELECT * FROM read_csv('{text}', all_varchar=true)) TO '{parquet}' (FORMAT PARQUET)"
    )
    [s] = ingest(warehouse, [parquet])
    assert (s.loaded_rows, s.quarantined_rows) == (59, 1)
    assert _quarantine(warehouse) == [
        (5, None, "BilledCost", "BilledCost: expected a decimal number, got 'twelve'")
    ]


def test_timestamps_with_offsets_become_utc(
    warehouse: Warehouse, synth_csv: Path, rewrite_csv: Rewrite
) -> None:
    def edit(rows: Rows) -> Rows:
        _set("ChargePeriodStart", 1, "2026-10-05T02:17:00+02:00")(rows)
        return _set("ChargePeriodEnd", 1, "2026-10-05 01:17:00")(rows)

    ingest(warehouse, [rewrite_csv(synth_csv, edit, "tz.csv")])
    with warehouse.read() as con:
        rows = con.execute(
            "SELECT ChargePeriodStart, ChargePeriodEnd FROM focus_costs"
            " WHERE minute(ChargePeriodStart) = 17"
        ).fetchall()
    [(start, end)] = rows
    assert (start.isoformat(), end.isoformat()) == (
        "2026-10-05T00:17:00+00:00",
        "2026-10-05T01:17:00+00:00",
    )
