"""Run the FinOps Foundation ``focus-validator`` 2.2.1 offline and read its JUnit report.

The validator needs Python >= 3.12 (on 3.11 pip silently installs the old 1.0.0), so it lives in
its own venv. It only checks FOCUS 1.2 offline, exits 0 even when rules fail, and must run from
its site-packages directory because the currency check opens a relative path. See
``reference/focus.md`` section 8 and ``notes/validator_findings.md``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

VALIDATOR_VERSION = "2.2.1"
FOCUS_VERSION = "1.2"
REQUIREMENTS = (f"focus-validator=={VALIDATOR_VERSION}", "pyarrow<22")
VENV_ENV_VAR = "CLOUDSPEND_VALIDATOR_VENV"
MARKER_NAME = ".cloudspend-validator"
TIMEOUT_SECONDS = 900
TAIL_CHARS = 2000
MESSAGE_CHARS = 300
MODEL_FILE = Path("focus_validator", "rules", "model-1.2.0.1.json")

# Rule id -> why its failure is a defect of the validator's rules model, not of our data.
# Composite rules that fail only because of these are tolerated too (see unexpected_failures).
ALLOWED_FAILURES: dict[str, str] = {
    "CommitmentDiscountStatus-C-004-C": (
        "inverted condition: checks CommitmentDiscountId IS NULL rows, the spec means IS NOT NULL"
    ),
    "CapacityReservationStatus-C-003-C": (
        "malformed condition in the model ({'AND': {...}}) is dropped: requires the column all null"
    ),
    "CapacityReservationStatus-C-004-C": (
        "malformed condition in the model is dropped: requires the column never null"
    ),
    "InvoiceId-C-004-C": "condition missing in the model: requires InvoiceId null on every row",
    "BilledCost-C-005-C": (
        "takes ProviderName != InvoiceIssuerName for a third-party charge; AWS's own FOCUS data "
        "names them 'AWS' and 'Amazon Web Services, Inc.'"
    ),
    "InvoiceId-C-005-C": "condition missing in the model: requires InvoiceId on every row",
}


@dataclass(frozen=True)
class ValidatorReport:
    """Totals of one validator run and the rules that failed or errored."""

    tests: int
    failures: int
    errors: int
    skipped: int
    failed: dict[str, str] = field(default_factory=dict)


def _tail(text: str) -> str:
    """The last ``TAIL_CHARS`` characters of a process's output."""
    return text[-TAIL_CHARS:].strip()


def _is_python312(candidate: str | Path) -> bool:
    """True when ``candidate`` runs and is CPython 3.12 (pyenv shims may exist but fail)."""
    check = "import sys; sys.exit(0 if sys.version_info[:2] == (3, 12) else 1)"
    try:
        result = subprocess.run(
            [str(candidate), "-c", check], check=False, capture_output=True, timeout=60
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return result.returncode == 0


def _patch_level(path: Path) -> int:
    """The patch number of a ``.../versions/3.12.<patch>/bin/python3.12`` path (-1 if odd)."""
    match = re.fullmatch(r"3\.12\.(\d+)", path.parent.parent.name)
    return int(match.group(1)) if match else -1


def find_python312() -> Path | None:
    """A working Python 3.12 interpreter: ``python3.12`` on PATH, else the newest pyenv one."""
    on_path = shutil.which("python3.12")
    if on_path and _is_python312(on_path):
        return Path(on_path)
    roots = {Path("/root/.pyenv"), Path.home() / ".pyenv"}
    found = {p for root in roots for p in root.glob("versions/3.12.*/bin/python3.12")}
    for candidate in sorted(found, key=_patch_level, reverse=True):
        if _is_python312(candidate):
            return candidate
    return None


def default_venv_dir() -> Path:
    """``$CLOUDSPEND_VALIDATOR_VENV``, else ``~/.cache/cloudspend/focus-validator-<version>``."""
    configured = os.environ.get(VENV_ENV_VAR)
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".cache" / "cloudspend" / f"focus-validator-{VALIDATOR_VERSION}"


def _marker_text() -> str:
    """What the marker file of a complete install contains."""
    return "\n".join(REQUIREMENTS) + "\n"


def _is_ready(venv: Path) -> bool:
    """True when ``venv`` holds a finished install of exactly ``REQUIREMENTS``."""
    marker = venv / MARKER_NAME
    executable = venv / "bin" / "focus-validator"
    return marker.is_file() and marker.read_text() == _marker_text() and executable.exists()


def _run_or_raise(command: list[str], what: str) -> None:
    """Run ``command``; raise RuntimeError with the stderr tail when it fails."""
    result = subprocess.run(
        command, check=False, capture_output=True, text=True, timeout=TIMEOUT_SECONDS
    )
    if result.returncode != 0:
        detail = _tail(result.stderr) or _tail(result.stdout)
        raise RuntimeError(f"{what} failed (exit {result.returncode}):\n{detail}")


def ensure_validator(venv_dir: Path | None = None) -> Path:
    """Create (once) a Python 3.12 venv with the pinned validator and return its path."""
    venv = (venv_dir or default_venv_dir()).expanduser().resolve()
    if _is_ready(venv):
        return venv
    if venv.exists() and any(venv.iterdir()) and not (venv / "pyvenv.cfg").exists():
        raise RuntimeError(f"{venv} exists and is not a venv; refusing to install into it")
    python = find_python312()
    if python is None:
        raise RuntimeError(
            "focus-validator needs Python 3.12: install it (e.g. `pyenv install 3.12`) "
            f"or point {VENV_ENV_VAR} at a venv that already has it"
        )
    (venv / MARKER_NAME).unlink(missing_ok=True)
    _run_or_raise([str(python), "-m", "venv", str(venv)], "creating the validator venv")
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check"]
    _run_or_raise([*pip, *REQUIREMENTS], "pip install " + " ".join(REQUIREMENTS))
    (venv / MARKER_NAME).write_text(_marker_text())
    return venv


def site_packages(venv: Path) -> Path:
    """The directory that contains the installed ``focus_validator`` package."""
    code = "import focus_validator as f, pathlib; print(pathlib.Path(f.__file__).parents[1])"
    result = subprocess.run(
        [str(venv / "bin" / "python"), "-c", code],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        raise RuntimeError(f"cannot import focus_validator in {venv}:\n{_tail(result.stderr)}")
    return Path(result.stdout.strip())


def validator_command(
    data_file: Path, report_xml: Path, venv: Path, criteria: Sequence[str] = ("ALL",)
) -> list[str]:
    """The validator command line for FOCUS 1.2 with the given applicability criteria."""
    return [
        str(venv / "bin" / "focus-validator"),
        "--data-file", str(data_file.resolve()),
        "--validate-version", FOCUS_VERSION,
        "--block-download",
        "--applicability-criteria", ",".join(criteria),
        "--output-type", "unittest",
        "--output-destination", str(report_xml.resolve()),
    ]  # fmt: skip


def run_validator(
    data_file: Path, report_xml: Path, venv: Path, criteria: Sequence[str] = ("ALL",)
) -> ValidatorReport:
    """Validate ``data_file`` (CSV or Parquet) as FOCUS 1.2 and parse the JUnit report."""
    report_xml = report_xml.resolve()
    report_xml.unlink(missing_ok=True)
    result = subprocess.run(
        validator_command(data_file, report_xml, venv, criteria),
        check=False,
        cwd=site_packages(venv),
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
    )
    if result.returncode != 0 or not report_xml.is_file():
        raise RuntimeError(
            f"focus-validator exit {result.returncode}, report written: {report_xml.is_file()}\n"
            f"{_tail(result.stderr) or _tail(result.stdout)}"
        )
    return parse_report(report_xml)


def _problem_text(testcase: ET.Element) -> str | None:
    """The failure or error message of a testcase, or None when it passed or was skipped."""
    for tag in ("failure", "error"):
        problem = testcase.find(tag)
        if problem is not None:
            text = problem.get("message") or problem.text or tag
            return text.strip()[:MESSAGE_CHARS]
    return None


def parse_report(report_xml: Path) -> ValidatorReport:
    """Read totals from the root element and failed rules from ``<testcase>`` children."""
    root = ET.parse(report_xml).getroot()
    failed: dict[str, str] = {}
    for testcase in root.iter("testcase"):
        message = _problem_text(testcase)
        if message is not None:
            rule_id = testcase.get("name", "").split(" :: ")[0].strip()
            failed.setdefault(rule_id, message)
    return ValidatorReport(
        tests=int(root.get("tests", "0")),
        failures=int(root.get("failures", "0")),
        errors=int(root.get("errors", "0")),
        skipped=int(root.get("skipped", "0")),
        failed=failed,
    )


def rule_references(venv: Path) -> dict[str, tuple[str, ...]]:
    """Composite rule id -> referenced rule ids, for AND/OR rules made only of rule references."""
    model = json.loads((site_packages(venv) / MODEL_FILE).read_text(encoding="utf-8"))
    references: dict[str, tuple[str, ...]] = {}
    for rule_id, rule in model["ModelRules"].items():
        requirement = rule.get("ValidationCriteria", {}).get("Requirement", {})
        is_composite = requirement.get("CheckFunction") in ("AND", "OR")
        items = requirement.get("Items") if is_composite else None
        if items and all(item.get("CheckFunction") == "CheckModelRule" for item in items):
            references[rule_id] = tuple(item["ModelRuleId"] for item in items)
    return references


def unexpected_failures(
    report: ValidatorReport,
    references: Mapping[str, Sequence[str]],
    also_tolerated: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Failed rules that are neither allow-listed nor composites failing only through them."""
    tolerated = set(ALLOWED_FAILURES) | set(also_tolerated or {})
    grew = True
    while grew:
        grew = False
        for rule_id, children in references.items():
            if rule_id not in report.failed or rule_id in tolerated:
                continue
            failing = [child for child in children if child in report.failed]
            if failing and all(child in tolerated for child in failing):
                tolerated.add(rule_id)
                grew = True
    return {rule: msg for rule, msg in report.failed.items() if rule not in tolerated}
