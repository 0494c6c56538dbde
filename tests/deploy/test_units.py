"""The shipped schedules validate: systemd units (systemd-analyze verify), the cron line, the
Kubernetes CronJob manifest; each runs collect, analyze and report --email."""

from __future__ import annotations

import datetime as dt
import getpass
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from reports.schedule import next_runs

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
SYSTEMD_ANALYZE = shutil.which("systemd-analyze")
MONDAY = dt.datetime(2026, 11, 25, tzinfo=dt.UTC)
needs_systemd = pytest.mark.skipif(not SYSTEMD_ANALYZE, reason="systemd-analyze is not installed")


def steps(command: str) -> bool:
    """Collect, then analyze, then the report e-mail, in that order."""
    found = [
        command.find(s) for s in ("cloudspend collect", "cloudspend analyze", "report --email")
    ]
    return -1 not in found and found == sorted(found)


@needs_systemd
def test_systemd_units_verify(tmp_path: Path):
    cloudspend = Path(sys.executable).with_name("cloudspend")  # this venv's, as installed
    service = (DEPLOY / "cloudspend-weekly.service").read_text(encoding="utf-8")
    service = service.replace("/opt/cloudspend/venv/bin/cloudspend", str(cloudspend))
    user = getpass.getuser()
    service = re.sub(r"^(User|Group)=.*$", rf"\1={user}", service, flags=re.M)
    (tmp_path / "cloudspend-weekly.service").write_text(service, encoding="utf-8")
    shutil.copy(DEPLOY / "cloudspend-weekly.timer", tmp_path)
    done = subprocess.run(
        [str(SYSTEMD_ANALYZE), "verify", "cloudspend-weekly.timer", "cloudspend-weekly.service"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "cloudspend-weekly" not in done.stderr, done.stderr


def test_systemd_service_runs_the_weekly_steps_and_accepts_a_partial_collect():
    service = (DEPLOY / "cloudspend-weekly.service").read_text(encoding="utf-8")
    commands = " ".join(re.findall(r"^ExecStart=(.*)$", service, flags=re.M))
    assert steps(commands)
    assert "Type=oneshot" in service
    assert "SuccessExitStatus=2" in service


@needs_systemd
def test_systemd_timer_calendar_is_valid():
    timer = (DEPLOY / "cloudspend-weekly.timer").read_text(encoding="utf-8")
    [calendar] = re.findall(r"^OnCalendar=(.*)$", timer, flags=re.M)
    done = subprocess.run([str(SYSTEMD_ANALYZE), "calendar", calendar], capture_output=True,
                          text=True, timeout=60, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Mon" in done.stdout
    assert "Persistent=true" in timer


def test_cron_line():
    lines = [line for line in (DEPLOY / "cloudspend.cron").read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#") and "=" not in line.split()[0]]  # fmt: skip
    [line] = lines
    fields = line.split(None, 6)
    expression, user, command = " ".join(fields[:5]), fields[5], fields[6]
    assert next_runs(expression, MONDAY, 1)[0].weekday() == 0
    assert user == "cloudspend"
    assert steps(command)
    assert subprocess.run(["sh", "-n", "-c", command], check=False).returncode == 0


def test_kubernetes_cronjob_manifest():
    manifest = yaml.safe_load((DEPLOY / "cronjob.yaml").read_text(encoding="utf-8"))
    assert (manifest["apiVersion"], manifest["kind"]) == ("batch/v1", "CronJob")
    spec = manifest["spec"]
    assert next_runs(spec["schedule"], MONDAY, 1)[0].weekday() == 0
    assert spec["concurrencyPolicy"] == "Forbid"
    assert spec["timeZone"]
    pod = spec["jobTemplate"]["spec"]["template"]["spec"]
    assert pod["restartPolicy"] in ("Never", "OnFailure")
    [container] = pod["containers"]
    script = container["args"][-1]
    assert container["command"] == ["/bin/sh", "-c"]
    assert steps(script)
    assert subprocess.run(["sh", "-n", "-c", script], check=False).returncode == 0
    mounts = {m["name"] for m in container["volumeMounts"]}
    assert mounts == {v["name"] for v in pod["volumes"]}
