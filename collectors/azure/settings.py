"""The ``[azure]`` section of the configuration file.

Credentials are never configured here: azure-identity's DefaultAzureCredential finds them
(environment variables of a service principal, workload identity, managed identity, Azure CLI).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    """Unknown keys are errors, so typos never pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class AzureExport(Strict):
    """[azure.export]: a Cost Management export delivered to a storage account."""

    account_url: str = Field(
        description="blob endpoint of the storage account, e.g. https://acct.blob.core.windows.net"
    )
    container: str = Field(description="container the export writes to")
    prefix: str = Field("", description="folder of the export inside the container")
    months: int = Field(
        3, ge=0, description="billing periods to (re)load each run, newest first; 0 loads all"
    )
    account_key_env: str | None = Field(
        None,
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
        description="environment variable holding a storage account key (default: Entra ID)",
    )


class AzureConfig(Strict):
    """[azure]: the subscriptions to read."""

    subscriptions: list[str] = Field(
        default_factory=list,
        description="subscription ids; empty: every subscription the credential can list",
    )
    management_group: str | None = Field(
        None, description="read every subscription under this management group instead"
    )
    lookback_days: int = Field(30, ge=1, le=93, description="days of hourly metrics to read")
    resource_manager: str = Field(
        "https://management.azure.com",
        description="Resource Manager endpoint (sovereign clouds and tests use others)",
    )
    authority: str = Field(
        "https://login.microsoftonline.com", description="Microsoft Entra authority host"
    )
    retry_total: int = Field(6, ge=0, le=20, description="retries per call (429, 5xx)")
    connection_verify: str | None = Field(
        None, description="CA bundle to verify TLS with (a private endpoint or a test server)"
    )
    retry_backoff_factor: float = Field(
        0.8, ge=0, le=60, description="seconds; retry n waits factor x 2^(n - 1) unless told"
    )
    retail_prices: str = Field(
        "https://prices.azure.com/api/retail/prices",
        description="Azure Retail Prices API endpoint (public, unauthenticated)",
    )
    workers: int = Field(8, ge=1, le=64, description="Azure Monitor metric calls in flight at once")
    export: AzureExport | None = None
