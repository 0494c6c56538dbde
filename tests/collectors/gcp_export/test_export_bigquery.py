"""The detailed billing export read from BigQuery (a fake REST API): one partition-filtered
query per invoice month, streamed into Parquet parts that re-read as the export's totals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud import bigquery

from collectors.base import CollectorError
from collectors.gcp.export_bigquery import bigquery_client, fetch_bigquery, partition_window
from collectors.gcp.export_common import invoice_months
from collectors.gcp.settings import GcpBillingExport
from tests.collectors.gcp_export.bq_fake import FakeBigQuery, FakeTable, seed
from tests.collectors.gcp_export.conftest import gcp_config
from tests.collectors.gcp_export.demo import NOW, TABLE, demo_rows, export_totals

MONTH_TOTALS = """
SELECT invoice.month, count(*), sum(cost),
       sum(list_sum(list_transform(credits, lambda c: c.amount)))
FROM read_parquet(?, hive_partitioning = false) GROUP BY ALL ORDER BY 1
"""


def totals_of(folder: Path) -> list[tuple[str, int, float, float]]:
    with duckdb.connect() as con:
        return con.execute(MONTH_TOTALS, [str(folder / "*.parquet")]).fetchall()


def export(months: int = 3, **more: object) -> GcpBillingExport:
    return GcpBillingExport.model_validate({"table": TABLE, "months": months, **more})


def test_invoice_months_and_their_partition_windows() -> None:
    assert invoice_months(NOW, 3) == ["202608", "202609", "202610"]  # NOW: Oct 31 in California
    assert invoice_months(dt.datetime(2027, 1, 2, 9), 2) == ["202612", "202701"]
    assert partition_window("202610") == (dt.date(2026, 9, 30), dt.date(2026, 11, 30))
    assert partition_window("202612") == (dt.date(2026, 11, 30), dt.date(2027, 1, 31))
    assert partition_window("202601") == (dt.date(2025, 12, 31), dt.date(2026, 2, 28))


@pytest.mark.slow
def test_the_newest_months_reread_as_the_export_totals(bq_client: bigquery.Client,
                                                       tmp_path: Path) -> None:  # fmt: skip
    fetched = fetch_bigquery(bq_client, export(), tmp_path, NOW, page_size=400, part_rows=1000)

    assert fetched.periods == ["2026-08", "2026-09", "2026-10"]
    root = tmp_path / "gcp" / TABLE
    assert fetched.sources == [root / f"invoice_month={m}" for m in ("202608", "202609", "202610")]
    expected = export_totals()
    for folder in fetched.sources:
        assert sorted(p.name for p in folder.iterdir()) == ["part-000.parquet", "part-001.parquet"]
        ((month, rows, cost, credits),) = totals_of(folder)
        assert folder.name == f"invoice_month={month}"
        assert rows == expected[month]["rows"]
        assert cost == pytest.approx(expected[month]["cost"], abs=1e-6)
        assert credits == pytest.approx(expected[month]["credits"], abs=1e-6)
    assert fetched.rows == sum(m["rows"] for m in expected.values())
    assert (fetched.downloaded, fetched.reused) == (6, 0)
    assert fetched.bytes_scanned > 0


@pytest.mark.slow
def test_one_query_per_month_with_the_partition_filter(bigquery_fake: FakeBigQuery,
                                                       tmp_path: Path) -> None:  # fmt: skip
    config = gcp_config(bigquery_fake.url, table=TABLE, query_project="finops-jobs", months=1)
    client = bigquery_client(config, AnonymousCredentials())  # type: ignore[no-untyped-call]
    assert config.billing_export
    fetched = fetch_bigquery(client, config.billing_export, tmp_path, NOW)

    (job,) = bigquery_fake.queries()
    sql = job["query"]["query"]
    assert "WHERE DATE(_PARTITIONTIME) BETWEEN @first AND @last" in sql
    assert "invoice.month = @month" in sql
    params = {p["name"]: (p["parameterType"]["type"], p["parameterValue"]["value"])
              for p in job["query"]["queryParameters"]}  # fmt: skip
    assert params == {"month": ("STRING", "202610"), "first": ("DATE", "2026-09-30"),
                      "last": ("DATE", "2026-11-30")}  # fmt: skip
    assert job["query"]["useLegacySql"] is False
    assert int(job["jobTimeoutMs"]) > 0
    assert job["labels"] == {"app": "cloudspend"}
    inserted = [r["path"] for r in bigquery_fake.requests if r["method"] == "POST"]
    assert inserted == ["/bigquery/v2/projects/finops-jobs/jobs"]
    whole_table = sum(s.size for s in bigquery_fake.tables[TABLE].rows)
    assert 0 < fetched.bytes_scanned < whole_table  # partitions pruned, not a full scan


@pytest.mark.slow
def test_a_rerun_replaces_the_month_late_rows_included(bigquery_fake: FakeBigQuery,
                                                       bq_client: bigquery.Client,
                                                       tmp_path: Path) -> None:  # fmt: skip
    first = fetch_bigquery(bq_client, export(months=1), tmp_path, NOW)
    (folder,) = first.sources
    (folder / "part-007.parquet").write_bytes(b"left over from an earlier, bigger run")
    late = dict(next(r for r in demo_rows() if r["invoice"]["month"] == "202610"))
    late.update(cost=12.5, credits=[], export_time="2026-11-20 03:00:00 UTC")
    too_late = {**late, "export_time": "2026-12-02 03:00:00 UTC"}
    table = bigquery_fake.tables[TABLE]
    table.rows += [seed(late, dt.date(2026, 11, 20)), seed(too_late, dt.date(2026, 12, 2))]

    again = fetch_bigquery(bq_client, export(months=1), tmp_path, NOW)

    assert again.sources == [folder]
    assert [p.name for p in folder.parent.iterdir()] == [folder.name]  # no temporary folders
    assert [p.name for p in folder.iterdir()] == ["part-000.parquet"]
    ((_, rows, cost, _),) = totals_of(folder)
    assert rows == export_totals()["202610"]["rows"] + 1  # the late row, not the too-late one
    assert cost == pytest.approx(export_totals()["202610"]["cost"] + 12.5, abs=1e-6)


@pytest.fixture
def bare_client() -> Iterator[tuple[FakeBigQuery, bigquery.Client]]:
    """A fake BigQuery with no tables (nothing to seed: quick), and a client for it."""
    with FakeBigQuery() as fake:
        config = gcp_config(fake.url, table=TABLE)
        yield fake, bigquery_client(config, AnonymousCredentials())  # type: ignore[no-untyped-call]


def test_a_missing_table_is_named_with_the_roles_and_keeps_the_files(
    bare_client: tuple[FakeBigQuery, bigquery.Client], tmp_path: Path
) -> None:
    kept = tmp_path / "gcp" / TABLE / "invoice_month=202610" / "part-000.parquet"
    kept.parent.mkdir(parents=True)
    kept.write_bytes(b"the previous run's rows")

    with pytest.raises(CollectorError) as caught:
        fetch_bigquery(bare_client[1], export(months=1), tmp_path, NOW)

    message = str(caught.value)
    assert f"BigQuery table {TABLE}: not found" in message
    assert "roles/bigquery.dataViewer" in message
    assert "roles/bigquery.jobUser on the query project billing-admin-4711" in message
    assert kept.read_bytes() == b"the previous run's rows"


def test_access_denied_names_the_roles(bare_client: tuple[FakeBigQuery, bigquery.Client],
                                       tmp_path: Path) -> None:  # fmt: skip
    fake, client = bare_client
    fake.denied.add(TABLE)
    with pytest.raises(CollectorError, match=r"access denied .*roles/bigquery\.dataViewer"):
        fetch_bigquery(client, export(months=1), tmp_path, NOW)
    assert not (tmp_path / "gcp" / TABLE).exists() or not any((tmp_path / "gcp" / TABLE).iterdir())


def test_no_table_configured(bare_client: tuple[FakeBigQuery, bigquery.Client],
                             tmp_path: Path) -> None:  # fmt: skip
    with pytest.raises(CollectorError, match="no table"):
        fetch_bigquery(bare_client[1], GcpBillingExport(files="/x"), tmp_path, NOW)


def test_a_month_without_rows_gets_an_empty_part_with_the_columns(
    bare_client: tuple[FakeBigQuery, bigquery.Client], tmp_path: Path
) -> None:
    fake, client = bare_client
    fake.tables[TABLE] = FakeTable([])
    fetched = fetch_bigquery(client, export(months=1), tmp_path, NOW)

    (folder,) = fetched.sources
    part = str(folder / "part-000.parquet")
    with duckdb.connect() as con:
        assert con.execute("SELECT count(*) FROM read_parquet(?)", [part]).fetchone() == (0,)
        columns = con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [part]).fetchall()
    assert [c[0] for c in columns][:3] == ["billing_account_id", "service", "sku"]
    assert (fetched.rows, fetched.downloaded) == (0, 1)
