"""A fake Azure Resource Manager over HTTPS (self-signed certificate) that replays the demo
company's recorded responses in real ARM shapes: ``{"value": [...], "nextLink": ...}`` pages
(absolute nextLinks with ``$skiptoken``), Azure Monitor metrics cut to the requested timespan,
and the Retail Prices API (``$filter``, ``NextPageLink``). Faults: ``fail`` answers chosen
requests with an ARM error (429 with Cost Management's retry header, 500, ...), ``denied``
subscriptions answer 403 AuthorizationFailed. Every request is recorded.

Fixture ``arm`` (module scope): one running server per test module.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from azure.core.credentials import AccessToken

from collectors.azure.clients import AzureClients
from collectors.azure.settings import AzureConfig
from tests.collectors.azure.arm_data import LISTS, DemoArm, Json
from tests.collectors.azure.arm_routes import Reply, routes
from tests.collectors.azure.tls import make_cert

SUB = r"/subscriptions/([^/]+)"


class FakeCredential:
    """A TokenCredential that hands out a fixed token and counts how often it was asked."""

    def __init__(self) -> None:
        self.scopes: list[tuple[str, ...]] = []

    def get_token(self, *scopes: str, **_: Any) -> AccessToken:
        self.scopes.append(scopes)
        return AccessToken("fake-token", int(dt.datetime.now(dt.UTC).timestamp()) + 3600)


@dataclass
class Fault:
    pattern: str
    status: int
    headers: dict[str, str]
    times: int
    code: str


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str] = field(repr=False)
    body: bytes = field(default=b"", repr=False)


class FakeArm:
    def __init__(self, cert: str, key: str, page_size: int = 3) -> None:
        self.cert, self.data, self.page_size = cert, DemoArm(), page_size
        self.requests: list[Request] = []
        self.faults: list[Fault] = []
        self.denied: set[str] = set()
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.routes: list[tuple[re.Pattern[str], Callable[..., Reply]]] = [
            (re.compile(p + "$", re.IGNORECASE), f) for p, f in routes(self)
        ]
        # POST routes: handler(body, *groups) -> reply (the Cost Details operation)
        self.post_routes: list[tuple[re.Pattern[str], Callable[..., Reply]]] = []

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.httpd.server_address[1]}"

    def clients(self, **settings: Any) -> tuple[AzureClients, FakeCredential]:
        credential = FakeCredential()
        config = AzureConfig(resource_manager=self.url, connection_verify=self.cert,
                             retail_prices=f"{self.url}/api/retail/prices",
                             retry_backoff_factor=0.01, **settings)  # fmt: skip
        return AzureClients(config, credential), credential

    def fail(self, pattern: str, status: int, times: int = 1, code: str = "Throttled",
             headers: dict[str, str] | None = None) -> None:  # fmt: skip
        """Answer the next ``times`` requests whose path matches ``pattern`` with an error."""
        self.faults.append(Fault(pattern, status, headers or {}, times, code))

    def reset(self) -> None:
        with self.lock:
            self.requests.clear()
            self.faults.clear()
            self.denied.clear()

    def hits(self, pattern: str) -> list[Request]:
        return [r for r in self.requests if re.search(pattern, r.path, re.IGNORECASE)]

    def answer(self, method: str, path: str, query: dict[str, str]) -> Reply:
        fault = self._fault(path)
        if fault is not None:
            message = f"fake {fault.code} for {path}"
            return fault.status, _error(fault.code, message), fault.headers
        denied = re.match(SUB, path, re.IGNORECASE)
        if denied and denied.group(1) in self.denied:
            return 403, _error("AuthorizationFailed", f"no access to {denied.group(1)}"), {}
        for pattern, route in self.routes:
            match = pattern.match(path)
            if match and method == "GET":
                return route(query, *match.groups())
        for pattern, route in self.post_routes:
            match = pattern.match(path)
            if match and method == "POST":
                return route(self.requests[-1].body, *match.groups())
        return 404, _error("NoRoute", f"no fake route for {method} {path}"), {}

    def _fault(self, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.times > 0 and re.search(fault.pattern, path, re.IGNORECASE):
                    fault.times -= 1
                    return fault
        return None

    def page(self, path: str, query: dict[str, str], items: list[Json]) -> Reply:
        skip = int(query.get("$skiptoken", "0"))
        body: Json = {"value": items[skip : skip + self.page_size]}
        if skip + self.page_size < len(items):
            rest = {**query, "$skiptoken": str(skip + self.page_size)}
            body["nextLink"] = f"{self.url}{path}?{urlencode(rest)}"
        return 200, body, {}

    def __enter__(self) -> FakeArm:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _error(code: str, message: str) -> Json:
    return {"error": {"code": code, "message": message}}


def _handler(fake: FakeArm) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            sent = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with fake.lock:
                fake.requests.append(
                    Request(self.command, url.path, query, dict(self.headers), sent)
                )
            status, body, headers = fake.answer(self.command, url.path, query)
            raw = isinstance(body, bytes)  # a file download (CSV), not an ARM JSON body
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            kind = "text/csv" if raw else "application/json"
            self.send_response(status)
            for name, value in {"Content-Type": kind, **headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_POST = do_GET

    return Handler


@pytest.fixture(scope="module")
def arm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeArm]:
    cert, key = make_cert(tmp_path_factory.mktemp("tls"))
    with FakeArm(str(cert), str(key)) as server:
        yield server


__all__ = ["LISTS", "FakeArm", "arm"]
