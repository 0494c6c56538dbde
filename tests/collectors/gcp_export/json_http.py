"""A loopback HTTP server in a thread that hands every JSON request to a function and sends back
the (status, JSON body) it returns."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

Request = dict[str, Any]  # method, path, query (lists of values), body (parsed JSON)
Reply = tuple[int, dict[str, Any]]


class JsonServer:
    """``JsonServer(route)``; ``start()``, ``url``, ``stop()``."""

    def __init__(self, route: Callable[[Request], Reply]) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(route))
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _handler(route: Callable[[Request], Reply]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def _answer(self) -> None:
            url = urlsplit(self.path)
            size = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(size)) if size else {}
            request = {"method": self.command, "path": url.path, "query": parse_qs(url.query),
                       "body": body}  # fmt: skip
            status, reply = route(request)
            data = json.dumps(reply).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_DELETE = _answer

    return Handler
