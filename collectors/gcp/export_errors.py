"""Google API errors of the billing-export fetch as ``CollectorError``: what failed, where, and
the roles that would let it work. Credentials never appear in a message."""

from __future__ import annotations

import concurrent.futures

from google.api_core import exceptions as gexc
from google.auth.exceptions import GoogleAuthError

from collectors.base import CollectorError
from collectors.gcp.export_common import first_line
from collectors.gcp.settings import GcpBillingExport

ADC = "cloudspend uses Application Default Credentials (gcloud auth application-default login)"


def credentials_error(api: str, exc: BaseException) -> CollectorError:
    """No Application Default Credentials, or they were refused."""
    return CollectorError(f"{api}: no usable credentials ({first_line(exc)}); {ADC}")


def bigquery_error(
    exc: BaseException, export: GcpBillingExport, query_project: str, job_timeout_s: float
) -> CollectorError:
    """A clear error naming the table and the roles querying it needs."""
    table = export.table or ""
    dataset = table.rsplit(".", 1)[0]
    roles = (
        f"reading it needs roles/bigquery.dataViewer on the dataset {dataset} and "
        f"roles/bigquery.jobUser on the query project {query_project}"
    )
    where = f"BigQuery table {table}"
    if isinstance(exc, gexc.NotFound):
        loc = f" in location {export.location}" if export.location else ""
        return CollectorError(
            f"{where}: not found{loc} ({first_line(exc)}); check [gcp.billing_export] table and "
            f"location, and that these credentials can see it ({roles})"
        )
    if isinstance(exc, gexc.Forbidden):
        return CollectorError(f"{where}: access denied ({first_line(exc)}); {roles}")
    if isinstance(exc, gexc.BadRequest):
        return CollectorError(
            f"{where}: the query was rejected ({first_line(exc)}); the table must be the detailed "
            "billing export (gcp_billing_export_resource_v1_…, partitioned by _PARTITIONTIME)"
        )
    if isinstance(exc, GoogleAuthError):
        return CollectorError(f"{where}: the credentials were refused ({first_line(exc)}); {ADC}")
    if isinstance(exc, concurrent.futures.TimeoutError):
        return CollectorError(f"{where}: the query ran longer than {job_timeout_s:.0f} s")
    return CollectorError(f"{where}: the query failed: {first_line(exc)}")


def storage_error(exc: BaseException, where: str) -> CollectorError:
    """A clear error naming the bucket and the role reading it needs."""
    bucket = where.removeprefix("gs://").split("/", 1)[0]
    if isinstance(exc, gexc.NotFound):
        return CollectorError(f"{where}: bucket {bucket} not found ({first_line(exc)})")
    if isinstance(exc, GoogleAuthError):
        return CollectorError(f"{where}: the credentials were refused ({first_line(exc)}); {ADC}")
    if isinstance(exc, gexc.Forbidden):
        return CollectorError(
            f"{where}: access denied ({first_line(exc)}); reading it needs "
            f"roles/storage.objectViewer on the bucket {bucket}"
        )
    return CollectorError(f"{where}: cannot read it: {first_line(exc)}")
