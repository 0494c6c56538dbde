"""The repository keeps its promises: README commands, CI script, layout."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_readme_opens_with_the_two_commands() -> None:
    text = (REPO / "README.md").read_text()
    commands = re.findall(r"^python3 -m venv .*$", text, flags=re.MULTILINE)
    assert len(commands) == 2
    assert commands[0].endswith("cloudspend demo")
    assert commands[1].endswith(".venv/bin/pytest")


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text()
    assert "test-command" in ci
    readme = (REPO / "README.md").read_text()
    after_marker = readme.split("<!-- test-command", 1)[1]
    assert re.search(r"^python3 -m venv .*pytest$", after_marker, flags=re.MULTILINE)


def test_layout_has_every_stage() -> None:
    for folder in (
        "collectors/focus",
        "warehouse",
        "analysis",
        "reports",
        "dashboard",
        "cloudspend",
        "fixtures",
        "tests",
        "benchmarks",
    ):
        assert (REPO / folder).is_dir(), folder
