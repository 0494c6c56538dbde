"""`cloudspend report`, `export` and `schedule check` as a user runs them."""

from __future__ import annotations

import email
import re
from email import policy
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from cloudspend.cli import app
from tests.reports.small_company import FORMULA, SCRIPT
from tests.reports.smtp_server import PASSWORD, USER, free_port, smtp_server
from warehouse.db import Warehouse

runner = CliRunner()
REPO = Path(__file__).resolve().parents[2]


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.output


def config(tmp_path: Path, smtp: str = "", owners: str = "") -> Path:
    path = tmp_path / "cloudspend.toml"
    path.write_text(
        '[report]\nsender = "bot@example.com"\nrecipients = ["finops@example.com"]\n'
        f"{owners}{smtp}",
        encoding="utf-8",
    )
    return path


def test_html_report_is_stable_and_hostile_tags_are_inert(small: Warehouse, tmp_path: Path):
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    assert run("report", "--db", str(small.path), "--html", str(first))[0] == 0
    assert run("report", "--db", str(small.path), "--html", str(second))[0] == 0
    assert first.read_bytes() == second.read_bytes()
    page = first.read_text(encoding="utf-8")
    assert SCRIPT not in page
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count('src="data:image/png;base64,') == 2


def test_text_report_on_stdout(small: Warehouse):
    code, output = run("report", "--db", str(small.path), "--week", "2026-10-31")
    assert code == 0, output
    assert "Spend this week: 371.00 USD (+140.00 vs the week before" in output
    assert "rate +84.00" in output


def test_dry_run_sends_nothing_and_needs_no_server(small: Warehouse, tmp_path: Path):
    owners = '[report.owners]\n"team-a" = ["a@example.com"]\n'
    cfg = config(tmp_path, owners=owners)
    code, output = run("report", "--db", str(small.path), "--config", str(cfg), "--email",
                       "--dry-run")  # fmt: skip
    assert code == 0, output
    assert "Would send to finops@example.com: 'Cloud cost report, week" in output
    assert "Would send to a@example.com: 'Cloud cost report for team-a" in output
    assert not (tmp_path / "small.duckdb.report.json").exists()


def test_owner_without_recipients_is_an_error(small: Warehouse, tmp_path: Path):
    code, output = run("report", "--db", str(small.path), "--config", str(config(tmp_path)),
                       "--email", "--owner", "nobody")  # fmt: skip
    assert code == 1
    assert "no recipients for owner 'nobody'" in output


@pytest.mark.e2e
def test_email_through_starttls_with_login_from_the_environment(
    small: Warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    with smtp_server(tls=True) as server:
        ca = tmp_path / "ca.pem"
        assert server.ca is not None
        server.ca.cert_pem.write_to_path(str(ca))
        monkeypatch.setenv("SSL_CERT_FILE", str(ca))  # the default context trusts the test CA
        smtp = (
            f'[smtp]\nhost = "127.0.0.1"\nport = {server.port}\nsecurity = "starttls"\n'
            'user = { env = "T_SMTP_USER" }\npassword = { env = "T_SMTP_PASSWORD" }\n'
        )
        env = {"T_SMTP_USER": USER, "T_SMTP_PASSWORD": PASSWORD}
        code, output = run("report", "--db", str(small.path), "--config",
                           str(config(tmp_path, smtp)), "--email", env=env)  # fmt: skip
    assert code == 0, output
    assert PASSWORD not in output
    [envelope] = server.sink.envelopes
    assert envelope.rcpt_tos == ["finops@example.com"]
    assert isinstance(envelope.content, bytes)
    msg = email.message_from_bytes(envelope.content, policy=policy.default)
    assert msg["From"] == "bot@example.com"
    [attachment] = list(msg.iter_attachments())
    exported = tmp_path / "findings.csv"
    assert run("export", "findings", "--db", str(small.path), "-o", str(exported))[0] == 0
    assert attachment.get_content().encode("utf-8") == exported.read_bytes()
    assert (tmp_path / "small.duckdb.report.json").is_file()  # what the next report compares


@pytest.mark.e2e
def test_a_failed_send_says_why_and_exits_non_zero(small: Warehouse, tmp_path: Path):
    port = free_port()
    smtp = f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\ntimeout_seconds = 5\n'
    code, output = run("report", "--db", str(small.path), "--config",
                       str(config(tmp_path, smtp)), "--email")  # fmt: skip
    assert code == 1
    assert f"Error: cannot reach the SMTP server 127.0.0.1:{port}" in output


def documented_columns() -> dict[str, list[str]]:
    """Per dataset, the column names docs/export.md lists, in order."""
    text = (REPO / "docs" / "export.md").read_text(encoding="utf-8")
    out = {}
    for section in re.split(r"^## ", text, flags=re.M)[1:]:
        name = section.split()[0].strip("`")
        out[name] = re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.M)
    return out


@pytest.mark.parametrize("dataset", ["findings", "costs", "resources", "allocation"])
def test_export_round_trips_with_the_documented_columns(small, tmp_path, dataset):
    csv, parquet = tmp_path / "x.csv", tmp_path / "x.parquet"
    assert run("export", dataset, "--db", str(small.path), "-o", str(csv))[0] == 0
    assert run("export", dataset, "--db", str(small.path), "-o", str(parquet),
               "--format", "parquet")[0] == 0  # fmt: skip
    read = pd.read_csv(csv, encoding="utf-8")
    assert list(read.columns) == documented_columns()[dataset]
    assert list(pd.read_parquet(parquet).columns) == list(read.columns)
    assert len(read) == len(pd.read_parquet(parquet)) > 0


def test_export_csv_neutralizes_formulas_and_keeps_iso_dates(small: Warehouse, tmp_path: Path):
    out = tmp_path / "findings.csv"
    code, output = run("export", "findings", "--db", str(small.path), "-o", str(out),
                       "--provider", "aws", "--family", "idle")  # fmt: skip
    assert code == 0, output
    rows = pd.read_csv(out, dtype=str, keep_default_na=False)
    [row] = rows.to_dict("records")
    assert row["owner"] == "'" + FORMULA
    assert row["first_seen"] == "2026-11-02T06:00:00Z"
    assert (row["savings_gross"], row["currency"]) == ("100.000000", "USD")
    assert row["savings_net"] == ""


def test_export_filters_like_the_dashboard(small: Warehouse, tmp_path: Path):
    out = tmp_path / "costs.csv"
    args = ["export", "costs", "--db", str(small.path), "-o", str(out)]
    assert run(*args, "--start", "2026-10-25", "--end", "2026-10-31", "--owner", "team-a")[0] == 0
    costs = pd.read_csv(out)
    assert costs["date"].min() == "2026-10-25"
    assert set(costs["resource_id"].dropna()) == {"i-rate"}
    assert run(*args, "--tag", "Owner=team-a")[0] == 0
    assert "i-gone" in set(pd.read_csv(out)["resource_id"].dropna())


def test_schedule_check():
    code, output = run("schedule", "check", "0 7 * * MON", "--count", "2")
    assert code == 0, output
    assert output.count("07:00 UTC (Mon)") == 2
    code, output = run("schedule", "check", "0 7 * * 8")
    assert code == 1
    assert "not a valid cron expression" in output
