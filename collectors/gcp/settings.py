"""The ``[gcp]`` section of the configuration file.

Credentials are never configured here: every client uses Application Default Credentials
(``GOOGLE_APPLICATION_CREDENTIALS``, the gcloud user login, workload identity or the metadata
server).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    """Unknown keys are errors, so typos never pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class GcpEndpoints(Strict):
    """[gcp.endpoints]: API endpoints per client (private service endpoints, tests' fakes).
    Unset: the client library's default. A value may carry its scheme (``http://host:port``)."""

    billing: str | None = Field(None, description="Cloud Billing API (cloudbilling.googleapis.com)")
    compute: str | None = Field(None, description="Compute Engine API (compute.googleapis.com)")
    monitoring: str | None = Field(
        None, description="Cloud Monitoring API, gRPC host:port (monitoring.googleapis.com)"
    )
    bigquery: str | None = Field(None, description="BigQuery API (bigquery.googleapis.com)")
    storage: str | None = Field(None, description="Cloud Storage API (storage.googleapis.com)")
    sql: str | None = Field(None, description="Cloud SQL Admin API (sqladmin.googleapis.com)")


class GcpRetry(Strict):
    """[gcp.retry]: how google-api-core retries a call (429, 500, 503) before giving up."""

    initial: float = Field(1.0, gt=0, le=60, description="seconds before the first retry")
    maximum: float = Field(30.0, gt=0, le=600, description="longest wait between retries, seconds")
    multiplier: float = Field(2.0, ge=1, le=10, description="each wait is the last one times this")
    timeout: float = Field(300.0, gt=0, le=3600, description="give up after this many seconds")


class GcpBillingExport(Strict):
    """[gcp.billing_export]: the detailed usage cost export (``gcp_billing_export_resource_v1_…``),
    read from BigQuery or from files extracted from it."""

    table: str | None = Field(
        None,
        pattern=r"^[A-Za-z0-9_.:-]+\.[A-Za-z0-9_]+\.[A-Za-z0-9_]+$",
        description="BigQuery table PROJECT.DATASET.TABLE of the detailed export",
    )
    files: str | None = Field(
        None,
        description="instead of a table: gs://BUCKET/PREFIX or a local folder of extracted "
        "JSON lines, Avro or Parquet files (one folder per invoice month)",
    )
    months: int = Field(
        3, ge=1, le=36, description="invoice months to (re)load each run, newest first"
    )
    query_project: str | None = Field(
        None, description="project the BigQuery query job runs (and is billed) in"
    )
    location: str | None = Field(None, description="BigQuery location of the dataset, e.g. EU")


class GcpConfig(Strict):
    """[gcp]: the billing account and projects to read."""

    billing_account: str | None = Field(
        None,
        pattern=r"^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$",
        description="billing account id; its linked projects are read when projects is empty",
    )
    projects: list[str] = Field(
        default_factory=list,
        description="project ids to read inventory and utilization of",
    )
    lookback_days: int = Field(30, ge=1, le=93, description="days of hourly metrics to read")
    currency: str = Field(
        "USD", pattern=r"^[A-Z]{3}$", description="currency of the catalogue prices"
    )
    workers: int = Field(4, ge=1, le=32, description="projects read at once")
    endpoints: GcpEndpoints = Field(default_factory=GcpEndpoints)
    retry: GcpRetry = Field(default_factory=GcpRetry)
    billing_export: GcpBillingExport | None = None
