"""`cloudspend collect aws` end to end against a moto server seeded from the demo company: the CUR
2.0 export in S3 (data files and manifests), EC2, EBS, ELB, RDS and CloudWatch. The command fills
the billing, inventory, metrics and prices tables and `cloudspend status` reconciles."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cloudspend.cli import app
from tests.collectors.aws.moto_server import MotoAws
from tests.collectors.aws.seed import DEMO, seed_demo

BUCKET = "example-billing-100000000001"
ACCOUNTS = ("100000000001", "200000000002")
REGIONS = ("us-east-1",)

pytestmark = pytest.mark.slow


def _upload_export(aws: MotoAws) -> int:
    """The demo's CUR 2.0 export, under the keys its manifests name."""
    s3 = aws.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    count = 0
    for path in sorted((DEMO / "cur2").rglob("*")):
        if path.is_file():
            key = "cur2/" + path.relative_to(DEMO / "cur2").as_posix()
            s3.put_object(Bucket=BUCKET, Key=key, Body=path.read_bytes())
            count += 1
    return count


def _config(aws: MotoAws, tmp_path: Path) -> Path:
    endpoints = "\n".join(f'{s} = "{aws.endpoint}"' for s in aws.config().endpoints)
    path = tmp_path / "cloudspend.toml"
    path.write_text(
        f"""
[warehouse]
path = "wh/cloudspend.duckdb"

[aws]
accounts = {json.dumps(list(ACCOUNTS))}
regions = {json.dumps(list(REGIONS))}
retry_mode = "standard"
max_attempts = 2

[aws.export]
bucket = "{BUCKET}"
prefix = "cur2/example-cur2"
months = 0

[aws.endpoints]
{endpoints}
""",
        encoding="utf-8",
    )
    return path


def _status(runner: CliRunner, config: Path) -> dict[str, Any]:
    result = runner.invoke(app, ["status", "--json", "--config", str(config)])
    assert result.exit_code == 0, result.output
    status: dict[str, Any] = json.loads(result.output)
    return status


def _counts(db: Path) -> dict[str, int]:
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        return {
            t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
            for t in ("focus_costs", "resources", "metrics", "prices", "ingests")
        }


def test_collect_aws_fills_every_table_and_reconciles(moto_aws: MotoAws, tmp_path: Path) -> None:
    seed_demo(moto_aws, accounts=ACCOUNTS, regions=REGIONS)
    assert _upload_export(moto_aws) == 6
    config = _config(moto_aws, tmp_path)
    runner = CliRunner()

    first = runner.invoke(app, ["collect", "aws", "--config", str(config)])
    # moto has no Pricing API: that one service is reported, everything else loads
    assert first.exit_code == 2, first.output
    problems = [line for line in first.output.splitlines() if line.startswith("Problem")]
    assert problems
    assert all("pricing" in p.lower() for p in problems), problems
    assert "periods 2026-08, 2026-09, 2026-10: 6 file(s) fetched, 0 unchanged" in first.output

    counts = _counts(tmp_path / "wh" / "cloudspend.duckdb")
    assert all(counts.values()), counts
    status = _status(runner, config)
    assert [p["billing_period"] for p in status["periods"]] == ["2026-08", "2026-09", "2026-10"]
    assert all(i["reconciled"] for i in status["ingests"])

    again = runner.invoke(app, ["collect", "aws", "--config", str(config)])
    assert "0 file(s) fetched, 6 unchanged" in again.output, again.output
    assert _counts(tmp_path / "wh" / "cloudspend.duckdb")["focus_costs"] == counts["focus_costs"]

    # reloaded (every period, months = 0) and replaced: the same rows and totals, not doubled
    def totals(s: dict[str, Any]) -> list[tuple[str, int, str]]:
        return [(p["billing_period"], p["rows"], p["billed_cost"]) for p in s["periods"]]

    assert totals(_status(runner, config)) == totals(status)
