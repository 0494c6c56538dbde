"""Smoke test of the AWS benchmark's CUR generator (the measurement itself is never run here)."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import duckdb
import pytest

from benchmarks.ingest_aws import generate, template_file

pytestmark = pytest.mark.slow  # generates CUR files

LEGACY = {
    "id": '"identity/LineItemId"',
    "resource": '"lineItem/ResourceId"',
    "account": '"lineItem/UsageAccountId"',
    "payer": '"bill/PayerAccountId"',
    "period": '"bill/BillingPeriodStartDate"',
    "cost": '"lineItem/UnblendedCost"::DECIMAL(38,12)',
}
CUR2 = {
    "id": "identity_line_item_id",
    "resource": "line_item_resource_id",
    "account": "line_item_usage_account_id",
    "payer": "bill_payer_account_id",
    "period": "bill_billing_period_start_date",
    "cost": "line_item_unblended_cost::DECIMAL(38,12)",
}


def _scan(path: Path) -> str:
    if path.name.endswith(".parquet"):
        return f"read_parquet('{path}', hive_partitioning = false)"
    return f"read_csv('{path}', header = true, all_varchar = true)"


def _query(sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect() as con:
        return con.execute(sql).fetchall()


def _profile(path: Path, c: dict[str, str]) -> tuple[Any, ...]:
    (row,) = _query(
        f"SELECT count(*), count(DISTINCT {c['id']}), count(DISTINCT {c['resource']}),"
        f" count(DISTINCT {c['account']}), count(DISTINCT {c['payer']}),"
        f" count(DISTINCT {c['period']}), sum({c['cost']}) FROM {_scan(path)}"
    )
    return row


@pytest.mark.parametrize("flavour", ["legacy-csv", "legacy-csv-gz", "cur2-parquet"])
def test_generated_cur_is_the_template_replicated(tmp_path, flavour):
    kind = "cur2" if flavour.startswith("cur2") else "legacy"
    cols = CUR2 if kind == "cur2" else LEGACY
    template = template_file(kind)
    size, ids, resources, accounts, _, _, cost = _profile(template, cols)
    path = generate(flavour, 3 * size, tmp_path)
    rows, ids3, resources3, accounts3, payers, periods, cost3 = _profile(path, cols)
    assert (rows, ids3, resources3) == (3 * size, 3 * ids, 3 * resources)
    assert accounts3 > accounts  # replicas belong to other member accounts
    assert (payers, periods) == (1, 1)  # one payer, one billing period
    assert cost3 == 3 * cost


@pytest.mark.parametrize("flavour", ["legacy-csv", "legacy-csv-gz", "cur2-parquet"])
def test_generated_cur_has_exactly_the_rows_asked(tmp_path, flavour):
    path = generate(flavour, 1234, tmp_path)
    assert _query(f"SELECT count(*) FROM {_scan(path)}") == [(1234,)]


def _first_line(path: Path) -> str:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return str(handle.readline())


@pytest.mark.parametrize("flavour", ["legacy-csv", "legacy-csv-gz"])
def test_legacy_header_is_the_templates_byte_for_byte(tmp_path, flavour):
    path = generate(flavour, 2000, tmp_path)
    header = _first_line(template_file("legacy"))
    assert "resourceTags/user:application," in header  # a name that differs only in case
    assert _first_line(path) == header


def test_cur2_keeps_the_templates_columns_and_map_types(tmp_path):
    path = generate("cur2-parquet", 2000, tmp_path)
    describe = "SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM {})"
    got = _query(describe.format(_scan(path)))
    assert got == _query(describe.format(_scan(template_file("cur2"))))
    assert ("resource_tags", "MAP(VARCHAR, VARCHAR)") in got
