"""`collect gcp` end to end: the demo company's detailed export behind a fake BigQuery API (or
as extracted files in a Cloud Storage emulator), its projects behind the REST and gRPC fakes of
the Google APIs. Costs, resources, metrics and prices are filled, every invoice month reconciles
to the cent, and the CLI authenticates with a service account key through the normal ADC path."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.auth.credentials import AnonymousCredentials
from typer.testing import CliRunner

from cloudspend.cli import app
from collectors.gcp.collect import collect_gcp
from collectors.gcp.settings import GcpBillingExport, GcpConfig
from tests.collectors.gcp.fakes import GcpFakes, gcp_fakes
from tests.collectors.gcp.rest_server import Route
from tests.collectors.gcp_export.bq_fake import FakeBigQuery
from tests.collectors.gcp_export.conftest import (
    bigquery_fake,
    demo_bucket,
    gcs_client,
    gcs_emulator,
)
from tests.collectors.gcp_export.demo import NOW, TABLE, export_totals
from warehouse.db import Warehouse

__all__ = ["bigquery_fake", "demo_bucket", "gcp_fakes", "gcs_client", "gcs_emulator"]
pytestmark = [pytest.mark.e2e, pytest.mark.slow]
TABLES = ("focus_costs", "resources", "metrics", "prices")
ANONYMOUS = AnonymousCredentials()  # type: ignore[no-untyped-call]
SA_EMAIL = "cloudspend@example-prod-4711.iam.gserviceaccount.com"


def _settings(fakes: GcpFakes, bigquery: str | None = None, storage: str | None = None,
              **export: Any) -> GcpConfig:  # fmt: skip
    base = fakes.settings(lookback_days=1)
    endpoints = base.endpoints.model_copy(update={"bigquery": bigquery, "storage": storage})
    return base.model_copy(
        update={"endpoints": endpoints, "billing_export": GcpBillingExport(**export)}
    )


def _counts(db: Path) -> dict[str, int]:
    with Warehouse(db).read() as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in TABLES}


def _status(db: Path) -> dict[str, Any]:
    result = CliRunner().invoke(app, ["status", "--json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


def _assert_reconciled(db: Path) -> None:
    status = _status(db)
    assert [p["billing_period"] for p in status["periods"]] == ["2026-08", "2026-09", "2026-10"]
    assert {p["provider"] for p in status["periods"]} == {"gcp"}
    assert all(i["reconciled"] for i in status["ingests"])
    totals = export_totals()
    with Warehouse(db).read() as con:
        months = con.execute(
            "SELECT strftime(timezone('America/Los_Angeles', BillingPeriodStart), '%Y%m'),"
            " sum(BilledCost) FROM focus_costs GROUP BY 1"
        ).fetchall()
    for month, billed in months:
        assert abs(float(billed) - totals[month]["net_cost"]) < 0.005, month


def test_collect_gcp_from_bigquery_fills_every_table_and_reconciles(
    gcp_fakes: GcpFakes, bigquery_fake: FakeBigQuery, tmp_path: Path
) -> None:
    gcp_fakes.reset()
    settings = _settings(gcp_fakes, bigquery_fake.url, table=TABLE, months=3)
    db = tmp_path / "wh" / "cloudspend.duckdb"
    report = collect_gcp(settings, Warehouse(db), tmp_path / "cache", NOW, None, ANONYMOUS)
    assert report.problems == []
    assert report.fetched is not None
    assert report.fetched.periods == ["2026-08", "2026-09", "2026-10"]
    counts = _counts(db)
    assert all(counts.values()), counts
    _assert_reconciled(db)
    queries = [q["query"]["query"] for q in bigquery_fake.queries()]
    assert len(queries) == 3
    assert all("_PARTITIONTIME" in sql for sql in queries)


def test_collect_gcp_from_extracted_files_in_cloud_storage(
    gcp_fakes: GcpFakes, gcs_emulator: str, demo_bucket: str, tmp_path: Path
) -> None:
    gcp_fakes.reset()
    settings = _settings(gcp_fakes, storage=gcs_emulator, files=demo_bucket, months=3)
    db = tmp_path / "wh" / "cloudspend.duckdb"
    cache = tmp_path / "cache"
    first = collect_gcp(settings, Warehouse(db), cache, NOW, None, ANONYMOUS)
    assert first.problems == []
    _assert_reconciled(db)
    again = collect_gcp(settings, Warehouse(db), cache, NOW, None, ANONYMOUS)
    assert again.fetched is not None
    assert again.fetched.downloaded == 0
    assert _counts(db)["focus_costs"] == sum(i.loaded_rows for i in again.billing)


def _service_account(path: Path, token_uri: str) -> Path:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    info = {
        "type": "service_account",
        "project_id": "example-prod-4711",
        "private_key_id": "test-key",
        "private_key": pem,
        "client_email": SA_EMAIL,
        "client_id": "1",
        "token_uri": token_uri,
    }
    path.write_text(json.dumps(info), encoding="utf-8")
    return path


def test_the_cli_collects_with_application_default_credentials(
    gcp_fakes: GcpFakes,
    bigquery_fake: FakeBigQuery,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gcp_fakes.reset()
    token = {"access_token": "token-from-the-fake", "expires_in": 3600, "token_type": "Bearer"}
    gcp_fakes.rest.add(Route("POST", "/token", [(200, token)]))
    key = _service_account(tmp_path / "sa.json", f"{gcp_fakes.rest.url}/token")
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key))
    fakes = gcp_fakes.settings()
    config = tmp_path / "cloudspend.toml"
    config.write_text(
        f"""[gcp]
billing_account = "{fakes.billing_account}"
lookback_days = 30  # today's window still holds the recorded series' last days

[gcp.endpoints]
billing = "{gcp_fakes.rest.url}"
compute = "{gcp_fakes.rest.url}"
sql = "{gcp_fakes.rest.url}"
monitoring = "{fakes.endpoints.monitoring}"
bigquery = "{bigquery_fake.url}"

[gcp.billing_export]
table = "{TABLE}"
months = 36
""",
        encoding="utf-8",
    )
    db = tmp_path / "cli.duckdb"
    result = CliRunner().invoke(app, ["collect", "gcp", "--db", str(db), "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert all(_counts(db).values())
    hits = gcp_fakes.rest.hits("/compute/.*")
    sent = {v for r in hits for k, v in r.headers.items() if k.lower() == "authorization"}
    assert {_bearer_identity(v) for v in sent} == {SA_EMAIL}
    assert "token-from-the-fake" not in result.output


def _bearer_identity(header: str) -> str:
    """Who a bearer credential speaks for: the fake token endpoint's token, or a self-signed
    JWT (google-auth's default for service accounts calling Google APIs) signed as the key."""
    token = header.removeprefix("Bearer ")
    if token == "token-from-the-fake":
        return SA_EMAIL
    payload = token.split(".")[1]
    claims: dict[str, str] = json.loads(
        base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    )
    return claims["iss"]
