"""FOCUS 1.2 conformance of what was loaded, checked by the FinOps Foundation's focus-validator.

The validator runs in its own Python 3.12 venv (see validator.py). The loaded table is exported as
Parquet and validated with the applicability criteria of the FOCUS features the data uses. A
failed rule fails the test unless it is a known validator defect (ALLOWED_FAILURES) or, for the
official sample only, a listed property of the sample file itself.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from collectors.ingest import ingest
from fixtures.focus_synth import write_focus
from tests.conformance.validator import (
    ensure_validator,
    find_python312,
    rule_references,
    run_validator,
    unexpected_failures,
)
from warehouse.db import Warehouse
from warehouse.focus_export import export_focus, used_features

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

# The official sample is FOCUS 1.0 "anonymized real world" data; we keep its values as the
# provider wrote them, so these rules fail on it for reasons in the file, not in our mapping.
SAMPLE_FILE_PROPERTIES = {
    "ConsumedUnit-C-003-O": "units such as Lambda-GB-Seconds and GiB/Second-Months (a SHOULD)",
    "PricingUnit-C-003-O": "the same units in PricingUnit",
    "ContractedUnitPrice-C-009-C": "an AWS Credit row carries a negative unit price (-3.0)",
    "RegionName-C-005-C": "AWS rows with RegionId us-east-1 / global but no RegionName",
    "ResourceType-C-004-C": "AWS rows with a ResourceType but no ResourceId",
    "ResourceType-C-005-C": "AWS rows with a ResourceId but no ResourceType",
    "ServiceName-C-005-C": "Amazon Elastic Compute Cloud appears as Compute and as Storage",
    "ServiceName-C-008-C": "so its ServiceSubcategory (derived from the category) differs too",
    "SkuMeter-C-005-C": "FOCUS 1.0 has no SkuMeter column, so rows with a SkuId lack it",
}


@pytest.fixture(scope="module")
def validator_venv() -> Path:
    if find_python312() is None:
        pytest.skip("focus-validator needs Python 3.12 (python3.12 on PATH or under pyenv)")
    return ensure_validator()


def _validate(wh: Warehouse, tmp_path: Path, venv: Path) -> dict[str, str]:
    parquet = tmp_path / "focus.parquet"
    with wh.read() as con:
        assert export_focus(con, parquet) > 0
        features = used_features(con)
    report = run_validator(parquet, tmp_path / "focus.xml", venv, features)
    assert report.tests > 500
    return unexpected_failures(report, rule_references(venv))


def test_loaded_focus_1_2_passes_the_validator(
    warehouse: Warehouse, tmp_path: Path, validator_venv: Path
) -> None:
    ingest(warehouse, [write_focus(tmp_path / "demo.csv", 3000, seed=3)])
    assert _validate(warehouse, tmp_path, validator_venv) == {}


def test_loaded_official_sample_fails_only_on_its_own_content(
    warehouse: Warehouse, focus_sample: Path, tmp_path: Path, validator_venv: Path
) -> None:
    ingest(warehouse, [focus_sample])
    unexpected = _validate(warehouse, tmp_path, validator_venv)
    references = rule_references(validator_venv)
    leaf_failures = {rule for rule in unexpected if rule not in references}
    assert leaf_failures == set(SAMPLE_FILE_PROPERTIES)


AWS_DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo" / "aws"
# The real legacy CUR meters in units such as Obj-Month and API Requests (a SHOULD rule).
AWS_SAMPLE_FILE_PROPERTIES = {
    "ConsumedUnit-C-003-O": "AWS units such as Obj-Month, Keys and API Requests",
    "PricingUnit-C-003-O": "the same units in PricingUnit",
}


@pytest.mark.parametrize("flavour", ["cur2", "cur"])
def test_the_demo_company_aws_bills_pass_the_validator(
    flavour: str, warehouse: Warehouse, tmp_path: Path, validator_venv: Path
) -> None:
    ingest(warehouse, [AWS_DEMO / flavour])
    assert _validate(warehouse, tmp_path, validator_venv) == {}


def test_the_real_legacy_cur_fails_only_on_its_own_units(
    warehouse: Warehouse, samples: Path, tmp_path: Path, validator_venv: Path
) -> None:
    ingest(warehouse, [samples / "focus-converters" / "sample-anonymous-aws-export-dataset.csv"])
    unexpected = _validate(warehouse, tmp_path, validator_venv)
    references = rule_references(validator_venv)
    assert {r for r in unexpected if r not in references} == set(AWS_SAMPLE_FILE_PROPERTIES)


AZURE_EXPORTS = Path(__file__).resolve().parents[2] / "fixtures" / "demo" / "azure" / "billing"
# Azure meters in units such as "1 Hour" and "10 GB/Month" (a SHOULD rule); the anonymized
# focus-converters sample gives one meter (SkuPriceId) several part numbers (SkuId).
AZURE_UNITS = {
    "ConsumedUnit-C-003-O": "Azure units such as 1 Hour and 10 GB/Month",
    "PricingUnit-C-003-O": "the same units in PricingUnit",
}
AZURE_SAMPLE_FILE_PROPERTIES = {
    "finops-toolkit": AZURE_UNITS,
    "focus-converters": {
        **AZURE_UNITS,
        "SkuPriceId-C-008-M": "anonymized: one MeterId under several PartNumbers",
    },
}


@pytest.mark.parametrize("agreement", ["ea", "mca"])
def test_the_demo_company_azure_cost_details_pass_the_validator(
    agreement: str, warehouse: Warehouse, tmp_path: Path, validator_venv: Path
) -> None:
    exports = AZURE_EXPORTS / "cost-exports"
    ingest(
        warehouse, [exports / f"{agreement}-actual-cost", exports / f"{agreement}-amortized-cost"]
    )
    assert _validate(warehouse, tmp_path, validator_venv) == {}


@pytest.mark.parametrize("sample", ["finops-toolkit", "focus-converters"])
def test_the_real_azure_samples_fail_only_on_their_own_content(
    sample: str, warehouse: Warehouse, samples: Path, tmp_path: Path, validator_venv: Path
) -> None:
    files = sorted((samples / sample).glob("*.csv"))
    if sample == "focus-converters":
        files = [samples / sample / "sample-anonymous-ea-export-dataset.csv"]
    ingest(warehouse, files)
    unexpected = _validate(warehouse, tmp_path, validator_venv)
    references = rule_references(validator_venv)
    leaf = {r for r in unexpected if r not in references}
    assert leaf == set(AZURE_SAMPLE_FILE_PROPERTIES[sample])


GCP_EXPORT = Path(__file__).resolve().parents[2] / "fixtures" / "demo" / "gcp" / "billing"


def test_the_demo_company_gcp_export_passes_the_validator(
    warehouse: Warehouse, tmp_path: Path, validator_venv: Path
) -> None:
    ingest(warehouse, [GCP_EXPORT])
    assert _validate(warehouse, tmp_path, validator_venv) == {}
