"""A real moto server for the AWS collector's tests, with a thin WSGI layer in front of it that
records every call (service, region, action) and can answer chosen calls with AWS errors
(throttling, access denied, a disabled opt-in region) before moto sees them.

Fixtures (module scope: one server per test file; the backends are reset when it starts):

- ``moto_aws``: a running :class:`MotoAws` with dummy credentials ("testing") in the environment
  and an :class:`AwsConfig` whose endpoints point every service at the server.
"""

from __future__ import annotations

import io
import json
import logging
import re
import threading
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import boto3
import pytest
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from moto.server import ThreadedMotoServer
from werkzeug.serving import make_server

from collectors.aws.clients import AwsClients
from collectors.aws.settings import AWS_SERVICES, AwsConfig

ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_CONFIG_FILE": "/dev/null",
    "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
    "AWS_EC2_METADATA_DISABLED": "true",
    "MOTO_EC2_LOAD_DEFAULT_AMIS": "false",  # else 1301 snapshots owned by "self"
}
UNSET = (
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_PROFILE",
    "AWS_MAX_ATTEMPTS",
    "AWS_RETRY_MODE",
    "AWS_ENDPOINT_URL",
)
_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request")
QUERY_PROTOCOL = {"sts", "elasticloadbalancing", "rds", "autoscaling", "iam"}


@dataclass(frozen=True)
class Call:
    """One request as the server saw it."""

    service: str  # signing name: ec2, sts, monitoring, elasticloadbalancing, ...
    region: str
    action: str
    body: str


@dataclass
class Fault:
    """Answer matching calls with an AWS error: ``times`` times (None: every time)."""

    code: str
    status: int = 400
    service: str | None = None
    action: str | None = None
    region: str | None = None
    body_contains: str | None = None
    times: int | None = None
    message: str = "injected by the test"
    hits: int = 0

    def matches(self, call: Call) -> bool:
        wanted = (self.service, self.action, self.region)
        have = (call.service, call.action, call.region)
        if any(w is not None and w != h for w, h in zip(wanted, have, strict=True)):
            return False
        if self.body_contains is not None and self.body_contains not in call.body:
            return False
        return self.times is None or self.hits < self.times

    def response(self, call: Call) -> tuple[str, list[tuple[str, str]], bytes]:
        """(status line, headers, body) in the service's own error format."""
        error = f"<Code>{self.code}</Code><Message>{self.message}</Message>"
        if call.service == "ec2":
            body = f"<Response><Errors><Error>{error}</Error></Errors></Response>"
            kind = "text/xml"
        elif call.service in QUERY_PROTOCOL:
            body = f"<ErrorResponse><Error><Type>Sender</Type>{error}</Error></ErrorResponse>"
            kind = "text/xml"
        else:
            body = json.dumps({"__type": self.code, "message": self.message})
            kind = "application/x-amz-json-1.0"
        headers = [("Content-Type", kind), ("x-amzn-ErrorType", self.code)]
        return f"{self.status} Injected", headers, body.encode()


class Faults:
    """The WSGI layer: records calls, injects faults, passes everything else to moto."""

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app
        self.calls: list[Call] = []
        self.faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self.faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self.faults.clear()
            self.calls.clear()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        size = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(size) if size else b""
        environ["wsgi.input"] = io.BytesIO(body)
        call = _call(environ, body)
        with self._lock:
            self.calls.append(call)
            fault = next((f for f in self.faults if f.matches(call)), None)
            if fault is not None:
                fault.hits += 1
        if fault is None:
            return self.app(environ, start_response)
        status, headers, payload = fault.response(call)
        start_response(status, [*headers, ("Content-Length", str(len(payload)))])
        return [payload]


def _call(environ: dict[str, Any], body: bytes) -> Call:
    found = _SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
    region, service = found.groups() if found else ("", "")
    text = body.decode("utf-8", "replace")
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if target:
        action = target.rsplit(".", 1)[-1]
    elif "/operation/" in environ.get("PATH_INFO", ""):
        action = environ["PATH_INFO"].rsplit("/", 1)[-1]
    else:
        action = parse_qs(text).get("Action", [""])[0]
    return Call(service, region, action, text)


class FaultyMotoServer(ThreadedMotoServer):
    """moto's threaded server with :class:`Faults` in front of its WSGI app."""

    def __init__(self) -> None:
        super().__init__(ip_address="127.0.0.1", port=0, verbose=False)
        self.faults = Faults(DomainDispatcherApplication(create_backend_app))

    def _server_entry(self) -> None:
        self._server = make_server(
            self._ip_address, self._port, self.faults, True, request_handler=MotoRequestHandler
        )
        self._server_ready_event.set()
        self._server.serve_forever()


@dataclass
class MotoAws:
    """A running moto server and what the tests need to talk to it."""

    endpoint: str
    faults: Faults
    session: boto3.Session = field(default_factory=lambda: boto3.Session(region_name="us-east-1"))
    _accounts: dict[str, dict[str, str]] = field(default_factory=dict)
    _clients: dict[tuple[str, str, str], Any] = field(default_factory=dict)

    def config(self, **values: Any) -> AwsConfig:
        """An ``[aws]`` section pointing every service at the server (few attempts, so moto's
        500s for what it does not implement stay fast)."""
        base: dict[str, Any] = {
            # moto has no CloudTrail LookupEvents: leave it unrouted (the collector then skips it)
            "endpoints": dict.fromkeys(
                (s for s in AWS_SERVICES if s != "cloudtrail"), self.endpoint
            ),
            "retry_mode": "standard",
            "max_attempts": 2,
        }
        return AwsConfig(**{**base, **values})

    def clients(self, **values: Any) -> AwsClients:
        """Collector clients for ``config(**values)``, on the dummy-credential session."""
        return AwsClients(self.config(**values), self.session)

    def client(self, service: str, region: str = "us-east-1", account: str | None = None) -> Any:
        """A plain client (as ``account``, through moto's AssumeRole) for seeding and checks."""
        key = (service, region, account or "")
        if key not in self._clients:
            creds = {} if account is None else self.credentials(account)
            self._clients[key] = self.session.client(
                service, region_name=region, endpoint_url=self.endpoint, **creds
            )
        return self._clients[key]

    def credentials(self, account: str) -> dict[str, str]:
        """Keys for another account: moto routes assumed-role keys to the role's account."""
        if account not in self._accounts:
            sts = self.session.client("sts", endpoint_url=self.endpoint)
            arn = f"arn:aws:iam::{account}:role/seed"
            creds = sts.assume_role(RoleArn=arn, RoleSessionName="seed")["Credentials"]
            self._accounts[account] = {
                "aws_access_key_id": creds["AccessKeyId"],
                "aws_secret_access_key": creds["SecretAccessKey"],
                "aws_session_token": creds["SessionToken"],
            }
        return self._accounts[account]

    def reset(self) -> None:
        """Empty every moto backend."""
        self._accounts.clear()
        self._clients.clear()
        request = urllib.request.Request(f"{self.endpoint}/moto-api/reset", method="POST")
        with urllib.request.urlopen(request) as answer:  # loopback only
            answer.read()

    def actions(self) -> set[tuple[str, str]]:
        """(signing name, action) of every call recorded so far."""
        return {(c.service, c.action) for c in self.faults.calls}


@pytest.fixture(scope="module")
def moto_aws() -> Iterator[MotoAws]:
    """A fresh moto server for one test module, with dummy credentials in the environment."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    with pytest.MonkeyPatch.context() as patch:
        for name, value in ENV.items():
            patch.setenv(name, value)
        for name in UNSET:
            patch.delenv(name, raising=False)
        server = FaultyMotoServer()
        server.start()
        host, port = server.get_host_and_port()
        aws = MotoAws(f"http://{host}:{port}", server.faults)
        aws.reset()
        try:
            yield aws
        finally:
            server.stop()


@pytest.fixture
def faults(moto_aws: MotoAws) -> Iterator[Faults]:
    """The server's fault layer, cleared after the test."""
    moto_aws.faults.clear()
    yield moto_aws.faults
    moto_aws.faults.clear()


def recorded(calls: Iterable[Call], action: str) -> list[Call]:
    """The calls of one action."""
    return [c for c in calls if c.action == action]
