"""Cost Management exports fetched from blob storage (Azurite): the newest run of each period,
nothing older, unchanged blobs reused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from azure.storage.blob import BlobServiceClient

from collectors.azure.export_blob import fetch_export
from collectors.azure.settings import AzureExport
from tests.collectors.azure_export.azurite import azurite

__all__ = ["azurite"]
pytestmark = [pytest.mark.e2e, pytest.mark.slow]

DEMO = Path(__file__).resolve().parents[3] / "fixtures" / "demo" / "azure" / "billing"
EXPORTS = ("ea-actual-cost", "ea-amortized-cost")


def upload_demo_exports(container: Any) -> int:
    """The demo company's EA exports, at the paths their manifests name."""
    count = 0
    for export in EXPORTS:
        for path in sorted((DEMO / "cost-exports" / export).rglob("*")):
            if path.is_file():
                name = path.relative_to(DEMO / "cost-exports").as_posix()
                container.upload_blob(name, path.read_bytes(), overwrite=True)
                count += 1
    return count


def _older_run(container: Any) -> str:
    """An earlier run of October's actual cost, as a re-run leaves behind."""
    period = DEMO / "cost-exports" / "ea-actual-cost" / "20261001-20261031"
    manifest = next(period.glob("*/*/manifest.json"))
    data = json.loads(manifest.read_text(encoding="utf-8"))
    old = "ea-actual-cost/20261001-20261031/202611010600/00000000-0000-0000-0000-000000000001"
    part = next(manifest.parent.glob("part_*"))
    data["blobs"] = [{"blobName": f"{old}/{part.name}", "byteCount": 1, "dataRowCount": 1}]
    container.upload_blob(f"{old}/manifest.json", json.dumps(data), overwrite=True)
    container.upload_blob(f"{old}/{part.name}", b"stale", overwrite=True)
    return old


def test_the_newest_run_of_each_period_is_fetched(azurite: str, tmp_path: Path) -> None:
    service = BlobServiceClient.from_connection_string(azurite)
    container = service.create_container("costs")
    uploaded = upload_demo_exports(container)
    old = _older_run(container)
    export = AzureExport(account_url="http://127.0.0.1", container="costs", months=0)

    fetched = fetch_export(container, export, tmp_path / "cache")
    assert fetched.periods == ["2026-08", "2026-09", "2026-10"]
    assert len(fetched.sources) == 6
    assert fetched.downloaded == uploaded
    mirrored = {p.relative_to(tmp_path / "cache" / "costs").as_posix() for p in
                (tmp_path / "cache").rglob("*") if p.is_file() and p.suffix != ".etag"}  # fmt: skip
    assert not any(name.startswith(old) for name in mirrored)
    assert len(mirrored) == uploaded

    again = fetch_export(container, export, tmp_path / "cache")
    assert (again.downloaded, again.reused) == (0, uploaded)

    newest = fetch_export(container, export.model_copy(update={"months": 1}), tmp_path / "c2")
    assert newest.periods == ["2026-10"]
    assert len(newest.sources) == 2
