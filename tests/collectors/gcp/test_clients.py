"""GcpClients without a network: endpoints, the gRPC channel choice, the explicit retry."""

from __future__ import annotations

from google.api_core import exceptions
from google.auth.credentials import AnonymousCredentials

from collectors.gcp.clients import GcpClients, _grpc_target, retry_of
from collectors.gcp.settings import GcpConfig, GcpEndpoints, GcpRetry


def test_loopback_monitoring_endpoints_get_an_insecure_channel() -> None:
    assert _grpc_target("127.0.0.1:50051") == ("127.0.0.1:50051", True)
    assert _grpc_target("http://localhost:8080/") == ("localhost:8080", True)
    assert _grpc_target("[::1]:9") == ("[::1]:9", True)
    assert _grpc_target("monitoring.example.com:443") == ("monitoring.example.com:443", False)


def test_the_retry_follows_the_settings_and_retries_throttling() -> None:
    policy = retry_of(GcpConfig(retry=GcpRetry(initial=0.5, maximum=4, multiplier=3, timeout=60)))
    assert (policy._initial, policy._maximum, policy._multiplier, policy._timeout) == (
        0.5, 4, 3, 60,
    )  # fmt: skip
    for error in (exceptions.TooManyRequests, exceptions.ServiceUnavailable,
                  exceptions.InternalServerError, exceptions.ResourceExhausted):  # fmt: skip
        assert policy._predicate(error("x"))
    assert not policy._predicate(exceptions.Forbidden("x"))  # type: ignore[no-untyped-call]


def test_every_client_gets_its_endpoint() -> None:
    ends = GcpEndpoints(billing="http://127.0.0.1:1", compute="http://127.0.0.1:2",
                        monitoring="127.0.0.1:3", sql="http://127.0.0.1:4/")  # fmt: skip
    with GcpClients(GcpConfig(endpoints=ends), AnonymousCredentials()) as clients:  # type: ignore[no-untyped-call]
        assert clients.catalog.api_endpoint == "http://127.0.0.1:1"
        assert clients.instances.api_endpoint == "http://127.0.0.1:2"
        assert clients.sql_endpoint == "http://127.0.0.1:4"
