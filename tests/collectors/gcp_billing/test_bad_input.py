"""Bad export rows are quarantined with the export's field name, row and line, and the month
still reconciles; nothing is skipped silently."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from collectors.ingest import ingest
from tests.collectors.gcp_billing.helpers import read_lines, write_lines
from warehouse.db import Warehouse


def test_bad_rows_are_quarantined_with_field_row_and_line(
    tmp_path: Path, warehouse: Warehouse
) -> None:
    lines = read_lines("202609")
    bad_cost = json.loads(lines[4])
    bad_cost["cost"] = "12,50"
    no_month = json.loads(lines[7])
    del no_month["invoice"]
    lines[4], lines[7] = json.dumps(bad_cost), json.dumps(no_month)
    lines[10] = lines[10][:40]  # cut short: not JSON
    [summary] = ingest(warehouse, [write_lines(lines, tmp_path / "sep.json")])
    with warehouse.read() as con:
        bad = con.execute(
            "SELECT source_row, source_line, column_name, reason, raw_record, BilledCost"
            " FROM quarantine ORDER BY source_row"
        ).fetchall()
    assert [(b[0], b[1], b[2]) for b in bad] == [
        (5, 5, "cost"),
        (8, 8, "invoice.month"),
        (11, 11, "line"),
    ]
    assert "expected a decimal number, got '12,50'" in bad[0][3]
    assert bad[2][4] == lines[10]
    assert bad[1][5] == Decimal(str(no_month["cost"])) + sum(
        Decimal(str(c["amount"])) for c in no_month["credits"]
    )
    assert summary.quarantined_rows == 3
    assert summary.loaded_rows + summary.quarantined_rows == (
        len(lines) + summary.source_totals.derived_rows
    )


def test_a_json_file_that_is_no_export_is_left_out(tmp_path: Path, warehouse: Warehouse) -> None:
    folder = tmp_path / "export"
    write_lines(read_lines("202608")[:20], folder / "part-000.json")
    (folder / "manifest.json").write_text('{"files": ["part-000.json"]}', encoding="utf-8")
    (folder / "totals.json").write_text('{"months": []}', encoding="utf-8")
    skipped: list[str] = []
    [summary] = ingest(warehouse, [folder], on_skip=lambda path, why: skipped.append(path.name))
    assert skipped == ["totals.json"]  # a manifest is no data file at all
    assert summary.loaded_rows == 20
