"""`cloudspend findings list|show|dismiss|snooze|reopen` on a copy of the analyzed demo company."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cloudspend.cli import app
from tests.analysis.demo_company import DemoRun

runner = CliRunner()
pytestmark = pytest.mark.slow


@pytest.fixture
def db(demo: DemoRun, tmp_path: Path) -> Path:
    path = tmp_path / "demo.duckdb"
    shutil.copyfile(demo.warehouse.path, path)
    return path


def _run(db: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["findings", *args, "--db", str(db)], env={"COLUMNS": "200"})
    return result.exit_code, result.output


def _listed(db: Path, *args: str) -> list[dict[str, object]]:
    code, output = _run(db, "list", "--json", "-n", "0", *args)
    assert code == 0, output
    return [json.loads(line) for line in output.splitlines()]


def test_list_dismiss_snooze_reopen(demo: DemoRun, db: Path) -> None:
    rows = _listed(db)
    assert len(rows) == len(demo.run.open())
    nets = [float(str(r["savings_net"])) for r in rows]
    assert nets == sorted(nets, reverse=True)  # largest net first
    first, second = str(rows[0]["finding_id"]), str(rows[1]["finding_id"])

    code, output = _run(db, "dismiss", first[:8], "--reason", "kept for DR", "--by", "ana")
    assert (code, output.strip()) == (0, f"Dismissed {first}: kept for DR")
    until = (dt.date.today() + dt.timedelta(days=20)).isoformat()
    code, output = _run(db, "snooze", second, "--until", until, "-r", "after the freeze")
    assert code == 0, output

    assert {r["finding_id"] for r in _listed(db)} == {str(r["finding_id"]) for r in rows[2:]}
    (gone,) = _listed(db, "--status", "dismissed")
    assert (gone["finding_id"], gone["decision_reason"]) == (first, "kept for DR")
    (later,) = _listed(db, "-s", "snoozed")
    assert later["snoozed_until"] == until
    assert len(_listed(db, "-s", "all")) == len(demo.run.findings)

    code, output = _run(db, "reopen", first)
    assert (code, output.strip()) == (0, f"Reopened {first}")
    assert first in {r["finding_id"] for r in _listed(db)}


def test_show_prints_the_evidence_and_the_ledger(db: Path) -> None:
    fid = str(_listed(db)[0]["finding_id"])
    code, output = _run(db, "show", fid[:6])
    assert code == 0, output
    shown = json.loads(output)
    assert shown["finding_id"] == fid
    assert shown["ledger"]["net"] == shown["savings_net"]
    assert isinstance(shown["evidence"], dict)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["dismiss", "zzzzzz", "-r", "x"], "no finding with id 'zzzzzz'"),
        (["dismiss", "abc", "-r", "x"], "no finding with id 'abc'"),
        (["snooze", "PLACEHOLDER", "--until", "2020-01-01", "-r", "x"], "is not in the future"),
        (["dismiss", "PLACEHOLDER", "-r", " "], "a reason is required to dismiss"),
        (["list", "--status", "closed"], "unknown status"),
    ],
)
def test_bad_requests_say_why(db: Path, args: list[str], message: str) -> None:
    fid = str(_listed(db)[0]["finding_id"])
    code, output = _run(db, *[fid if a == "PLACEHOLDER" else a for a in args])
    assert code != 0
    assert message in " ".join(output.split())


@pytest.mark.parametrize("by", ["family", "provider", "account", "owner"])
def test_totals_are_net_and_add_up_to_the_ledger(demo: DemoRun, db: Path, by: str) -> None:
    code, output = _run(db, "totals", "--by", by, "--json")
    assert code == 0, output
    rows = [json.loads(line) for line in output.splitlines()]
    assert sum(r["findings"] for r in rows) == len(demo.run.open())
    total = sum(r["net"] for r in rows)
    assert total == pytest.approx(float(demo.run.ledger.net_total()), abs=0.05)
    if by == "family":
        nets = {r["group"]: r["net"] for r in rows}
        assert nets == pytest.approx({k: float(v) for k, v in demo.run.net_by_family().items()},
                                     abs=0.01)  # fmt: skip


def test_totals_follow_a_dismissal(demo: DemoRun, db: Path) -> None:
    first = str(_listed(db)[0]["finding_id"])
    _run(db, "dismiss", first, "-r", "kept")
    code, output = _run(db, "totals", "--json")
    assert code == 0, output
    total = sum(json.loads(line)["net"] for line in output.splitlines())
    cut = float(demo.run.ledger.entries[first].net)
    assert total == pytest.approx(float(demo.run.ledger.net_total()) - cut, abs=0.05)
