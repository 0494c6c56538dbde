"""Billing export files extracted to Cloud Storage (gcp-storage-emulator) mirrored locally: the
newest month folders, nothing again when unchanged, changed objects again, removed ones pruned;
a local folder read in place."""

from __future__ import annotations

from pathlib import Path

import pytest
from google.cloud import storage  # type: ignore[attr-defined]

from collectors.base import CollectorError
from collectors.gcp.export_gcs import fetch_files
from collectors.gcp.settings import GcpBillingExport
from tests.collectors.gcp_export.conftest import BUCKET, PREFIX
from tests.collectors.gcp_export.demo import BILLING

MONTHS = ("202608", "202609", "202610")


def files(url: str, months: int = 3) -> GcpBillingExport:
    return GcpBillingExport(files=url, months=months)


def local_files(root: Path) -> set[str]:
    """Mirrored data files, relative to ``root`` (stamps are hidden files)."""
    return {p.relative_to(root).as_posix() for p in root.rglob("*")
            if p.is_file() and not p.name.startswith(".")}  # fmt: skip


def test_the_newest_months_are_mirrored_once(gcs_client: storage.Client, demo_bucket: str,
                                             tmp_path: Path) -> None:  # fmt: skip
    fetched = fetch_files(gcs_client, files(demo_bucket, months=2), tmp_path)

    root = tmp_path / "gcp" / "gs" / BUCKET / PREFIX
    assert fetched.periods == ["2026-09", "2026-10"]
    assert fetched.sources == [root / "invoice_month=202609", root / "invoice_month=202610"]
    assert (fetched.downloaded, fetched.reused) == (2, 0)
    for folder in fetched.sources:
        (copy,) = [p for p in folder.iterdir() if not p.name.startswith(".")]
        assert copy.read_bytes() == (BILLING / folder.name / copy.name).read_bytes()

    again = fetch_files(gcs_client, files(demo_bucket, months=2), tmp_path)
    assert (again.downloaded, again.reused) == (0, 2)
    assert again.sources == fetched.sources


def test_changed_objects_are_fetched_again_and_removed_ones_pruned(
    gcs_client: storage.Client, demo_bucket: str, tmp_path: Path
) -> None:
    first = fetch_files(gcs_client, files(demo_bucket), tmp_path)
    assert first.downloaded == 3
    bucket = gcs_client.bucket(BUCKET)
    names = sorted(b.name for b in gcs_client.list_blobs(BUCKET))
    bucket.blob(names[0]).delete()  # August's only file
    bucket.blob(names[1]).upload_from_string(b"restated September")  # a new generation
    bucket.blob(f"{PREFIX}/invoice_month=202610/extra-000000000001.json.gz").upload_from_string(
        b"a second file for October"
    )

    again = fetch_files(gcs_client, files(demo_bucket), tmp_path)

    root = tmp_path / "gcp" / "gs" / BUCKET
    assert (again.downloaded, again.reused) == (2, 1)
    assert again.periods == ["2026-09", "2026-10"]  # August is gone from the bucket
    assert local_files(root) == set(names[1:]) | {
        f"{PREFIX}/invoice_month=202610/extra-000000000001.json.gz"
    }
    assert (root / names[1]).read_bytes() == b"restated September"
    assert not any(p.name.startswith(".") for p in (root / PREFIX).glob("invoice_month=202608/*"))


def test_a_prefix_without_month_folders_is_mirrored_whole(gcs_client: storage.Client,
                                                          tmp_path: Path) -> None:  # fmt: skip
    bucket = gcs_client.create_bucket("extracts")
    for name in ("billing/part-000.parquet", "billing/part-001.parquet", "other/x.parquet"):
        bucket.blob(name).upload_from_string(b"PAR1 not really")

    fetched = fetch_files(gcs_client, files("gs://extracts/billing/"), tmp_path)

    root = tmp_path / "gcp" / "gs" / "extracts" / "billing"
    assert (fetched.periods, fetched.sources, fetched.downloaded) == ([], [root], 2)
    assert local_files(root) == {"part-000.parquet", "part-001.parquet"}


def test_a_missing_bucket_is_named(gcs_client: storage.Client, tmp_path: Path) -> None:
    with pytest.raises(CollectorError, match="bucket no-such-bucket not found"):
        fetch_files(gcs_client, files("gs://no-such-bucket/x"), tmp_path)


def test_a_local_folder_is_read_in_place(tmp_path: Path) -> None:
    fetched = fetch_files(None, files(str(BILLING), months=2), tmp_path)

    assert fetched.periods == ["2026-09", "2026-10"]
    assert fetched.sources == [BILLING / "invoice_month=202609", BILLING / "invoice_month=202610"]
    assert (fetched.downloaded, fetched.reused) == (0, 0)
    assert not list(tmp_path.iterdir())


def test_a_local_folder_without_month_folders_is_one_source(tmp_path: Path) -> None:
    (tmp_path / "export.json.gz").write_bytes(b"")
    assert fetch_files(None, files(str(tmp_path)), tmp_path).sources == [tmp_path]
    with pytest.raises(CollectorError, match="not a folder"):
        fetch_files(None, files(str(tmp_path / "missing")), tmp_path)
