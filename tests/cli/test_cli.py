"""The `cloudspend` command as a user runs it (Typer's CliRunner, real files, real DuckDB)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cloudspend.cli import app
from warehouse.db import Warehouse

runner = CliRunner()


def _run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.output


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "cli.duckdb"


def test_help_lists_every_command() -> None:
    code, output = _run("--help")
    assert code == 0
    for command in ("ingest", "status", "demo", "config", "analyze"):
        assert command in output


def test_every_command_takes_db_and_config() -> None:
    for command in (["ingest"], ["status"], ["demo"], ["config", "check"]):
        code, output = _run(*command, "--help")
        assert code == 0, output
        assert "--db" in output
        assert "--config" in output


def test_ingest_then_status_json_matches_the_file(db: Path, focus_sample: Path) -> None:
    code, output = _run("ingest", str(focus_sample), "--db", str(db))
    assert code == 0, output
    assert "quarantined" in output
    code, output = _run("status", "--json", "--db", str(db))
    assert code == 0, output
    status = json.loads(output)
    [ingest] = status["ingests"]
    assert ingest["source_rows"] == 1000
    assert ingest["reconciled"] is True
    assert round(Decimal(ingest["source_billed"]), 2) == Decimal("20.52")
    loaded = sum(Decimal(p["billed_cost"]) for p in status["periods"])
    assert loaded == Decimal(ingest["loaded_billed"])


def test_status_table_for_people(db: Path, synth_csv: Path) -> None:
    assert _run("ingest", str(synth_csv), "--db", str(db))[0] == 0
    code, output = _run("status", "--db", str(db))
    assert code == 0, output
    assert "Loaded billing periods" in output
    assert "Quarantine: empty" in output


def test_db_from_the_environment(db: Path, synth_csv: Path) -> None:
    code, output = _run("ingest", str(synth_csv), env={"CLOUDSPEND_DB": str(db)})
    assert code == 0, output
    assert db.is_file()


def test_db_from_the_config_file(tmp_path: Path, synth_csv: Path) -> None:
    config = tmp_path / "cloudspend.toml"
    config.write_text('[warehouse]\npath = "from-config.duckdb"\n')
    code, output = _run("ingest", str(synth_csv), "--config", str(config))
    assert code == 0, output
    assert (tmp_path / "from-config.duckdb").is_file()


def test_errors_are_one_line_and_exit_non_zero(db: Path, tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_bytes(b"")
    code, output = _run("ingest", str(tmp_path / "empty.csv"), "--db", str(db))
    assert code == 1
    assert output.startswith("Error: ")
    assert "empty.csv: the file is empty" in output
    assert "Traceback" not in output


def test_debug_shows_the_traceback(db: Path, tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_bytes(b"")
    result = runner.invoke(app, ["ingest", str(tmp_path / "empty.csv"), "--db", str(db), "--debug"])
    assert result.exit_code == 1
    assert result.exception is not None
    assert "the file is empty" in str(result.exception)


def test_status_of_a_missing_warehouse_explains(db: Path) -> None:
    code, output = _run("status", "--db", str(db))
    assert code == 1
    assert "no warehouse at" in output


@pytest.mark.slow  # loads and analyzes the whole demo company
def test_demo_loads_into_the_named_db_and_prints_status(db: Path) -> None:
    code, output = _run("demo", "--db", str(db))
    demo_output = output
    assert code == 0, output
    assert str(db) in output
    assert "Loaded billing periods" in output
    code, output = _run("status", "--json", "--db", str(db))
    periods = json.loads(output)["periods"]
    assert {p["provider"] for p in periods} == {"aws", "azure", "gcp"}
    with Warehouse(db).read() as con:
        observed = con.execute(
            "SELECT provider, count(*) FROM resources GROUP BY 1 ORDER BY 1"
        ).fetchall()
    assert [p for p, n in observed if n] == ["aws", "azure", "gcp"]
    assert "Findings per family" in demo_output
    assert "Tag compliance" in demo_output


def test_analyze_lists_the_analyzers_with_their_parameters() -> None:
    code, output = _run("analyze", "--list")
    assert code == 0, output
    assert "unassociated_ip (idle)" in output
    assert "unpriced_confidence = 0.7" in output


def test_analyze_needs_data(db: Path) -> None:
    code, output = _run("analyze", "--db", str(db))
    assert code == 1
    assert "Error:" in output


@pytest.mark.slow  # loads and analyzes the whole demo company
def test_demo_without_db_uses_its_own_warehouse(tmp_path: Path) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "CLOUDSPEND_DB": ""}
    result = runner.invoke(app, ["demo"], env={k: v for k, v in env.items() if v})
    assert result.exit_code == 0, result.output
    assert (tmp_path / "data" / "cloudspend" / "demo" / "demo.duckdb").is_file()


def test_config_check_accepts_a_valid_file(tmp_path: Path) -> None:
    config = tmp_path / "ok.toml"
    config.write_text('[warehouse]\nmemory_limit = "2GB"\nthreads = 2\n')
    code, output = _run("config", "check", "--config", str(config))
    assert code == 0, output
    assert "Configuration OK" in output
    assert "2GB" in output


def test_config_check_rejects_unknown_keys(tmp_path: Path) -> None:
    config = tmp_path / "typo.toml"
    config.write_text('[warehouse]\nmemroy_limit = "2GB"\n')
    code, output = _run("config", "check", "--config", str(config))
    assert code == 1
    assert "warehouse.memroy_limit: unknown setting" in output


def test_config_check_validates_analyzer_parameters(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text("[analysis.unassociated_ip]\nunpriced_confidence = 0.5\n", encoding="utf-8")
    code, output = _run("config", "check", "--config", str(good))
    assert code == 0, output
    assert "Analyzer unassociated_ip: unpriced_confidence = 0.5" in output
    bad = tmp_path / "bad.toml"
    bad.write_text("[analysis.unassociated_ip]\nunpriced_confidence = 2\n", encoding="utf-8")
    code, output = _run("config", "check", "--config", str(bad))
    assert code == 1
    assert "[analysis.unassociated_ip] unpriced_confidence" in " ".join(output.split())
