"""`collect azure` end to end: the demo company's FocusCost export in blob storage (Azurite) and
its subscriptions behind the fake Resource Manager over HTTPS. Costs, resources, metrics and
prices are filled and every loaded period reconciles to the cent."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from azure.storage.blob import BlobServiceClient
from typer.testing import CliRunner

from cloudspend.cli import app
from collectors.azure.collect import collect_azure
from collectors.azure.settings import AzureConfig, AzureExport
from tests.collectors.azure.arm_server import FakeArm, FakeCredential, arm
from tests.collectors.azure_export.azurite import DEV_KEY, azurite
from warehouse.db import Warehouse

__all__ = ["arm", "azurite"]
pytestmark = [pytest.mark.e2e, pytest.mark.slow]

BILLING = Path(__file__).resolve().parents[3] / "fixtures" / "demo" / "azure" / "billing"
NOW = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)  # the end of the recorded metric window
KEY_ENV = "CLOUDSPEND_TEST_STORAGE_KEY"


def _upload_focus_export(connection: str) -> str:
    service = BlobServiceClient.from_connection_string(connection)
    container = service.create_container("costs")
    for path in sorted((BILLING / "cost-exports" / "focus-cost").rglob("*")):
        if path.is_file():
            name = path.relative_to(BILLING / "cost-exports").as_posix()
            container.upload_blob(name, path.read_bytes())
    return str(service.url).rstrip("/")


def _settings(fake: FakeArm, account_url: str) -> AzureConfig:
    return AzureConfig(
        resource_manager=fake.url,
        connection_verify=fake.cert,
        retail_prices=f"{fake.url}/api/retail/prices",
        retry_backoff_factor=0.01,
        lookback_days=2,
        export=AzureExport(
            account_url=account_url, container="costs", months=0, account_key_env=KEY_ENV
        ),
    )


def _counts(db: Path) -> dict[str, Any]:
    with Warehouse(db).read() as con:
        return {
            t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
            for t in ("focus_costs", "resources", "metrics", "prices")
        }


def test_collect_azure_fills_every_table_and_reconciles(
    arm: FakeArm, azurite: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    arm.reset()
    monkeypatch.setenv(KEY_ENV, DEV_KEY)
    settings = _settings(arm, _upload_focus_export(azurite))
    db = tmp_path / "wh" / "cloudspend.duckdb"

    report = collect_azure(settings, Warehouse(db), tmp_path / "cache", NOW, None, FakeCredential())
    assert report.problems == []
    assert report.fetched is not None
    assert report.fetched.periods == ["2026-08", "2026-09", "2026-10"]
    first = _counts(db)
    assert all(first.values()), first

    status = CliRunner().invoke(app, ["status", "--json", "--db", str(db)])
    assert status.exit_code == 0, status.output
    data = json.loads(status.output)
    assert {p["provider"] for p in data["periods"]} == {"azure"}
    assert [p["billing_period"] for p in data["periods"]] == ["2026-08", "2026-09", "2026-10"]
    assert all(i["reconciled"] for i in data["ingests"])

    again = collect_azure(settings, Warehouse(db), tmp_path / "cache", NOW, None, FakeCredential())
    assert again.fetched is not None
    assert again.fetched.downloaded == 0
    assert (
        _counts(db)["focus_costs"] == _counts(tmp_path / "wh" / "cloudspend.duckdb")["focus_costs"]
    )
