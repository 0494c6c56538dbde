"""A stdlib in-process fake of Google's REST APIs (plain HTTP on 127.0.0.1): routes match the
method, a path regex and a required subset of the query; each route serves its responses in
order (the last one repeats; ``times`` retires a route after that many hits, for injected
faults); every request is recorded; an unknown route is a loud 404. Every JSON body served as a
2xx answer is first checked against its proto message with unknown fields refused, so a typo in
a fixture fails the test instead of reading as an empty list.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from google.protobuf import json_format  # type: ignore[import-untyped]

Json = dict[str, Any]
Reply = tuple[int, Json]
STATUS = {403: "PERMISSION_DENIED", 404: "NOT_FOUND", 429: "RESOURCE_EXHAUSTED",
          500: "INTERNAL", 503: "UNAVAILABLE"}  # fmt: skip


def strict(message: Any, body: Json) -> Json:
    """``body`` after checking it parses as ``message`` (a proto-plus class) with no unknown
    field."""
    json_format.ParseDict(body, message.pb()(), ignore_unknown_fields=False)
    return body


def error(status: int, message: str) -> Reply:
    """A Google API error body."""
    return status, {"error": {"code": status, "message": message,
                              "status": STATUS.get(status, "UNKNOWN")}}  # fmt: skip


@dataclass
class Route:
    method: str
    path: str  # a regex matched against the whole path
    responses: list[Reply]
    query: dict[str, str] = field(default_factory=dict)
    times: int | None = None  # retire after this many hits (faults)
    hits: int = 0

    def matches(self, method: str, path: str, query: dict[str, list[str]]) -> bool:
        if self.times is not None and self.hits >= self.times:
            return False
        if method != self.method or not re.fullmatch(self.path, path):
            return False
        return all(query.get(k, [None])[0] == v for k, v in self.query.items())

    def next(self) -> Reply:
        reply = self.responses[min(self.hits, len(self.responses) - 1)]
        self.hits += 1
        return reply


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str] = field(repr=False)


class FakeRest:
    """``with FakeRest() as fake: fake.add(Route(...)); fake.url``."""

    def __init__(self) -> None:
        self.routes: list[Route] = []
        self.requests: list[Request] = []
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def add(self, route: Route, message: Any = None, first: bool = False) -> None:
        """Add a route; ``message``: the proto class every 2xx body must parse as."""
        if message is not None:
            for status, body in route.responses:
                if status < 300:
                    strict(message, body)
        with self.lock:
            self.routes.insert(0, route) if first else self.routes.append(route)

    def fail(self, path: str, status: int, times: int = 1) -> None:
        """Answer the next ``times`` GETs of ``path`` (a regex) with an error."""
        self.add(Route("GET", path, [error(status, f"fake {status} for {path}")], times=times),
                 first=True)  # fmt: skip

    def hits(self, pattern: str) -> list[Request]:
        return [r for r in self.requests if re.search(pattern, r.path)]

    def answer(
        self, method: str, path: str, query: dict[str, list[str]], headers: dict[str, str]
    ) -> Reply:
        with self.lock:
            self.requests.append(Request(method, path, query, headers))
            for route in self.routes:
                if route.matches(method, path, query):
                    return route.next()
        return error(404, f"no fake route for {method} {path}")

    def __enter__(self) -> FakeRest:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _handler(fake: FakeRest) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            query, headers = parse_qs(url.query), dict(self.headers)
            status, body = fake.answer(self.command, url.path, query, headers)
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_POST = do_GET

    return Handler
