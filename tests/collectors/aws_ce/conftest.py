"""A real moto server on the loopback interface, and a boto3 Cost Explorer client pointed at it."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from moto.server import ThreadedMotoServer


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    """One moto server per test file (port chosen by the OS)."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def _post(url: str, body: dict[str, Any] | None = None) -> int:
    data = json.dumps(body or {}).encode()
    request = urllib.request.Request(
        url, data=data, headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # loopback only
        return int(response.status)


@pytest.fixture
def ce_client(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A Cost Explorer client on the moto server, with dummy credentials from the environment."""
    _post(f"{moto_endpoint}/moto-api/reset")
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    config = Config(retries={"mode": "standard", "total_max_attempts": 2})
    return boto3.client("ce", region_name="us-east-1", endpoint_url=moto_endpoint, config=config)


@pytest.fixture
def queue_results(moto_endpoint: str) -> Callable[[list[dict[str, Any]]], None]:
    """Queue canned GetCostAndUsage answers through moto's own API, in request order."""

    def queue(results: list[dict[str, Any]]) -> None:
        url = f"{moto_endpoint}/moto-api/static/ce/cost-and-usage-results"
        assert _post(url, {"results": results}) == 201

    return queue
