"""Azure SDK clients for every subscription the ``[azure]`` configuration names, all signed by
one credential, pointed at the configured Resource Manager endpoint, with one retry policy.

:class:`ArmRetryPolicy` retries throttling wherever it comes from: azure-core's RetryPolicy
retries a 429 on GET, but a POST only when ``Retry-After`` is present, and it does not read Cost
Management's own ``x-ms-ratelimit-microsoft.costmanagement-<kind>-retry-after`` headers (qpu,
entity, tenant, clienttype). This policy retries every 429 (the POSTs we send are read-only
queries) and waits as long as the longest retry header says.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from typing import Any

from azure.core import PipelineClient
from azure.core.credentials import TokenCredential
from azure.core.exceptions import HttpResponseError
from azure.core.pipeline import PipelineResponse
from azure.core.pipeline.policies import (
    ContentDecodePolicy,
    HeadersPolicy,
    HttpLoggingPolicy,
    RetryPolicy,
    UserAgentPolicy,
)
from azure.core.rest import HttpRequest
from azure.mgmt.compute import ComputeManagementClient
from azure.mgmt.core.policies import ARMChallengeAuthenticationPolicy
from azure.mgmt.monitor import MonitorManagementClient
from azure.mgmt.network import NetworkManagementClient
from azure.mgmt.resource.resources import ResourceManagementClient

from collectors.azure.credentials import default_credential, scope_of
from collectors.azure.settings import AzureConfig

COST_RETRY_PREFIX = "x-ms-ratelimit-microsoft.costmanagement-"
USER_AGENT = "cloudspend"


def cost_management_retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds the longest Cost Management ``...-retry-after`` header asks to wait, if any."""
    waits = []
    for name, value in headers.items():
        key = name.lower()
        if key.startswith(COST_RETRY_PREFIX) and key.endswith("-retry-after"):
            try:
                waits.append(float(value))
            except ValueError:
                continue
    return max(waits) if waits else None


class ArmRetryPolicy(RetryPolicy[Any, Any]):
    """azure-core's RetryPolicy, plus: every 429 is retried (also POST), and Cost Management's
    retry headers count as ``Retry-After``."""

    def is_retry(self, settings: dict[str, Any], response: PipelineResponse[Any, Any]) -> bool:
        http = response.http_response
        if settings["total"] and http.status_code == 429:
            return True
        return bool(super().is_retry(settings, response))

    def get_retry_after(self, response: PipelineResponse[Any, Any]) -> float | None:
        found = super().get_retry_after(response)
        if found is None:
            found = cost_management_retry_after(response.http_response.headers)
        return found


class AzureClients:
    """SDK clients per subscription (cached), and plain ARM / retail-price GETs."""

    def __init__(self, settings: AzureConfig, credential: TokenCredential | None = None) -> None:
        self.settings = settings
        self.credential = credential or default_credential(settings)
        self.base_url = settings.resource_manager.rstrip("/")
        self._lock = threading.Lock()
        self._clients: dict[tuple[type, str], Any] = {}
        self._arm = self._pipeline(authenticated=True)
        self._retail = self._pipeline(authenticated=False)

    def options(self) -> dict[str, Any]:
        """Keyword arguments every SDK client gets: endpoint, token scope, TLS, retries."""
        out: dict[str, Any] = {
            "base_url": self.base_url,
            "credential_scopes": [scope_of(self.base_url)],
            "retry_policy": self.retry_policy(),
            "user_agent": USER_AGENT,
        }
        if self.settings.connection_verify:
            out["connection_verify"] = self.settings.connection_verify
        return out

    def retry_policy(self) -> ArmRetryPolicy:
        return ArmRetryPolicy(
            retry_total=self.settings.retry_total,
            retry_backoff_factor=self.settings.retry_backoff_factor,
        )

    def _client(self, kind: type, subscription_id: str) -> Any:
        with self._lock:
            key = (kind, subscription_id)
            if key not in self._clients:
                self._clients[key] = kind(self.credential, subscription_id, **self.options())
            return self._clients[key]

    def compute(self, subscription_id: str) -> ComputeManagementClient:
        return self._client(ComputeManagementClient, subscription_id)  # type: ignore[no-any-return]

    def network(self, subscription_id: str) -> NetworkManagementClient:
        return self._client(NetworkManagementClient, subscription_id)  # type: ignore[no-any-return]

    def monitor(self, subscription_id: str) -> MonitorManagementClient:
        return self._client(MonitorManagementClient, subscription_id)  # type: ignore[no-any-return]

    def resources(self, subscription_id: str) -> ResourceManagementClient:
        return self._client(ResourceManagementClient, subscription_id)  # type: ignore[no-any-return]

    def _pipeline(self, authenticated: bool) -> PipelineClient[HttpRequest, Any]:
        policies: list[Any] = [
            HeadersPolicy(),
            UserAgentPolicy(USER_AGENT),
            self.retry_policy(),
            ContentDecodePolicy(),
            HttpLoggingPolicy(),
        ]
        if authenticated:
            auth = ARMChallengeAuthenticationPolicy(self.credential, scope_of(self.base_url))
            policies.insert(3, auth)
        verify: Any = self.settings.connection_verify or True
        return PipelineClient(self.base_url, policies=policies, connection_verify=verify)

    def arm_get(self, url: str, api_version: str | None = None) -> dict[str, Any]:
        """One Resource Manager GET (a path below the endpoint, or a nextLink) as JSON."""
        absolute = self.base_url + url if url.startswith("/") else url
        return _get(self._arm, absolute, api_version)

    def arm_pages(self, url: str, api_version: str) -> Iterator[dict[str, Any]]:
        """Every page of an ARM list, following absolute ``nextLink``\\ s."""
        page = self.arm_get(url, api_version)
        yield page
        while page.get("nextLink"):
            page = self.arm_get(str(page["nextLink"]))
            yield page

    def retail_get(self, url: str, params: Mapping[str, str] | None = None) -> dict[str, Any]:
        """One GET of the Retail Prices API (no credential: the API is public)."""
        request = HttpRequest("GET", url, params=dict(params or {}))
        return _send(self._retail, request)


def _get(client: PipelineClient[HttpRequest, Any], url: str, version: str | None) -> dict[str, Any]:
    params = {"api-version": version} if version else {}
    return _send(client, HttpRequest("GET", url, params=params))


def _send(client: PipelineClient[HttpRequest, Any], request: HttpRequest) -> dict[str, Any]:
    response = client.send_request(request)
    if response.status_code >= 400:
        raise HttpResponseError(response=response)
    body = response.json()
    return body if isinstance(body, dict) else {"value": body}
