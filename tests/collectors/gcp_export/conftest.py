"""Fixtures a test of ``cloudspend collect gcp`` can reuse: a fake BigQuery API seeded with the
demo company's detailed export, and a Cloud Storage emulator holding the same export as files.

- ``bigquery_fake``: a running :class:`FakeBigQuery` whose table ``demo.TABLE`` holds every demo
  row, partitioned by the day it was exported; ``bigquery_fake.url`` goes to
  ``[gcp.endpoints].bigquery``.
- ``gcs_emulator``: the URL of an in-memory gcp-storage-emulator (``[gcp.endpoints].storage``);
  ``demo_bucket``: that emulator with ``gs://billing-exports/gcp/detailed/invoice_month=YYYYMM/``
  uploaded from the demo files; it yields the ``gs://`` URL.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from gcp_storage_emulator.server import create_server  # type: ignore[import-untyped]
from google.auth.credentials import AnonymousCredentials
from google.cloud import bigquery, storage  # type: ignore[attr-defined]

from collectors.gcp.export_bigquery import bigquery_client
from collectors.gcp.export_gcs import storage_client
from collectors.gcp.settings import GcpBillingExport, GcpConfig, GcpEndpoints
from tests.collectors.gcp_export.bq_fake import FakeBigQuery, FakeTable
from tests.collectors.gcp_export.demo import BILLING, TABLE, demo_seeded

BUCKET, PREFIX = "billing-exports", "gcp/detailed"


@pytest.fixture
def bigquery_fake() -> Iterator[FakeBigQuery]:
    """The fake BigQuery API with the demo company's export table."""
    with FakeBigQuery() as fake:
        fake.tables[TABLE] = FakeTable(list(demo_seeded()))
        yield fake


def gcp_config(bigquery_url: str | None = None, storage_url: str | None = None,
               **export: object) -> GcpConfig:  # fmt: skip
    """Settings pointing at the fakes, with ``[gcp.billing_export]`` from ``export``."""
    return GcpConfig(
        endpoints=GcpEndpoints(bigquery=bigquery_url, storage=storage_url),
        billing_export=GcpBillingExport.model_validate(export),
    )


@pytest.fixture
def bq_client(bigquery_fake: FakeBigQuery) -> bigquery.Client:
    """A BigQuery client for the fake, anonymous, billing jobs to the table's project."""
    config = gcp_config(bigquery_fake.url, table=TABLE)
    return bigquery_client(config, AnonymousCredentials())  # type: ignore[no-untyped-call]


@pytest.fixture
def gcs_emulator() -> Iterator[str]:
    """An in-memory Cloud Storage emulator in a thread; yields its URL."""
    server = create_server("127.0.0.1", 0, in_memory=True)
    server.start()
    try:
        yield f"http://127.0.0.1:{server._api._httpd.server_address[1]}"
    finally:
        server.stop()


@pytest.fixture
def gcs_client(gcs_emulator: str) -> storage.Client:
    config = gcp_config(storage_url=gcs_emulator, files=f"gs://{BUCKET}/{PREFIX}")
    return storage_client(config, AnonymousCredentials())  # type: ignore[no-untyped-call]


@pytest.fixture
def demo_bucket(gcs_client: storage.Client) -> str:
    """The demo export's month folders uploaded under ``gs://billing-exports/gcp/detailed``."""
    bucket = gcs_client.create_bucket(BUCKET)
    for path in sorted(BILLING.glob("invoice_month=*/*")):
        name = f"{PREFIX}/{path.relative_to(BILLING).as_posix()}"
        bucket.blob(name).upload_from_filename(str(path))
    return f"gs://{BUCKET}/{PREFIX}"
