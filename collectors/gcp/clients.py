"""The Google Cloud clients one collection uses, all signed by one credential, each pointed at
its ``[gcp.endpoints]`` entry, and the explicit retry every call passes.

Cloud Billing (accounts, catalogue) and Compute Engine use REST; Cloud Monitoring has only a
gRPC transport: an endpoint on a loopback host (127.0.0.1, localhost, ::1: a test's fake) gets
an insecure channel, any other endpoint TLS with the credential.

Retries: the catalogue's ``list_services`` / ``list_skus`` have no default retry and no method
retries 429, so every call passes :meth:`GcpClients.retry` (429, 500, 503, 504 and gRPC
RESOURCE_EXHAUSTED / UNAVAILABLE / INTERNAL / DEADLINE_EXCEEDED, exponential backoff from
``[gcp.retry]``).
"""

from __future__ import annotations

from typing import Any

import google.auth
import grpc  # type: ignore[import-untyped]
from google.api_core import exceptions, retry
from google.api_core.client_options import ClientOptions
from google.auth.credentials import Credentials, with_scopes_if_required
from google.auth.transport.requests import AuthorizedSession
from google.cloud import billing_v1, compute_v1, monitoring_v3
from google.cloud.monitoring_v3.services.metric_service.transports import (
    MetricServiceGrpcTransport,
)

from collectors.gcp.settings import GcpConfig

SCOPES = ["https://www.googleapis.com/auth/cloud-platform"]
SQL_ADMIN = "https://sqladmin.googleapis.com"
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
RETRIED = (
    exceptions.TooManyRequests,  # HTTP 429
    exceptions.ResourceExhausted,  # gRPC RESOURCE_EXHAUSTED (quota)
    exceptions.InternalServerError,
    exceptions.ServiceUnavailable,
    exceptions.GatewayTimeout,
    exceptions.DeadlineExceeded,
)


def retry_of(settings: GcpConfig) -> retry.Retry:
    """The retry every call passes, from ``[gcp.retry]``."""
    policy = settings.retry
    return retry.Retry(
        predicate=retry.if_exception_type(*RETRIED),
        initial=policy.initial,
        maximum=policy.maximum,
        multiplier=policy.multiplier,
        timeout=policy.timeout,
    )


def _options(endpoint: str | None) -> ClientOptions | None:
    return ClientOptions(api_endpoint=endpoint) if endpoint else None


def _grpc_target(endpoint: str) -> tuple[str, bool]:
    """``host:port`` of a gRPC endpoint (a scheme is dropped) and whether it is loopback."""
    target = endpoint.split("://", 1)[-1].rstrip("/")
    host = target.rsplit(":", 1)[0] if target.count(":") == 1 or "]" in target else target
    return target, host in LOOPBACK


class GcpClients:
    """Billing, catalogue, Compute Engine and Monitoring clients for one collection.

    ``credentials``: injected (tests: ``AnonymousCredentials``), else Application Default
    Credentials. Use as a context manager, or call :meth:`close`, to close the transports.
    """

    def __init__(self, settings: GcpConfig, credentials: Credentials | None = None) -> None:
        self.settings = settings
        self.credentials = credentials or _default_credentials()
        self.retry = retry_of(settings)
        ends = settings.endpoints
        billing, compute = _options(ends.billing), _options(ends.compute)
        rest: dict[str, Any] = {"credentials": self.credentials, "transport": "rest"}
        self.billing = billing_v1.CloudBillingClient(client_options=billing, **rest)
        self.catalog = billing_v1.CloudCatalogClient(client_options=billing, **rest)
        self.instances = compute_v1.InstancesClient(client_options=compute, **rest)
        self.machine_types = compute_v1.MachineTypesClient(client_options=compute, **rest)
        self.disks = compute_v1.DisksClient(client_options=compute, **rest)
        self.snapshots = compute_v1.SnapshotsClient(client_options=compute, **rest)
        self.addresses = compute_v1.AddressesClient(client_options=compute, **rest)
        self.forwarding_rules = compute_v1.ForwardingRulesClient(client_options=compute, **rest)
        self.monitoring = self._monitoring(ends.monitoring)
        self.sql_endpoint = (ends.sql or SQL_ADMIN).rstrip("/")
        self.session = _session(self.credentials)

    def _monitoring(self, endpoint: str | None) -> monitoring_v3.MetricServiceClient:
        if endpoint:
            target, loopback = _grpc_target(endpoint)
            if loopback:
                channel = grpc.insecure_channel(target)
                transport = MetricServiceGrpcTransport(channel=channel)
                return monitoring_v3.MetricServiceClient(transport=transport)
            options = ClientOptions(api_endpoint=target)
            return monitoring_v3.MetricServiceClient(
                credentials=self.credentials, client_options=options
            )
        return monitoring_v3.MetricServiceClient(credentials=self.credentials)

    def rest_get(self, url: str, params: dict[str, str]) -> dict[str, Any]:
        """One signed GET of a Google REST API without a client library (Cloud SQL Admin),
        retried like the client calls; errors raise google.api_core exceptions."""

        def once() -> dict[str, Any]:
            response = self.session.get(url, params=params, timeout=60)
            if response.status_code >= 400:
                raise exceptions.from_http_response(response)  # type: ignore[no-untyped-call]
            body: dict[str, Any] = response.json()
            return body

        result: dict[str, Any] = self.retry(once)()
        return result

    def close(self) -> None:
        """Close every client's transport (HTTP sessions, the gRPC channel)."""
        self.session.close()
        clients: list[Any] = [self.billing, self.catalog, self.instances, self.machine_types,
                              self.disks, self.snapshots, self.addresses, self.forwarding_rules,
                              self.monitoring]  # fmt: skip
        for client in clients:
            client.transport.close()

    def __enter__(self) -> GcpClients:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _session(credentials: Credentials) -> Any:
    """A requests session signing with the credential (cloud-platform scope)."""
    scoped = with_scopes_if_required(credentials, SCOPES)  # type: ignore[no-untyped-call]
    return AuthorizedSession(scoped)  # type: ignore[no-untyped-call]


def _default_credentials() -> Credentials:
    """Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud, metadata)."""
    credentials, _project = google.auth.default()
    return credentials
