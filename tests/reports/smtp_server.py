"""A real SMTP server on 127.0.0.1 for the e-mail tests (aiosmtpd): plain, STARTTLS or implicit
TLS with a login, its certificate from a throwaway CA (trustme)."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope

USER, PASSWORD = "report-bot", "s3cret-pw"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Sink:
    """Keeps every message the server accepts."""

    envelopes: list[Envelope] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 OK"


def _login(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    ok = auth_data.login == USER.encode() and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535


@dataclass(frozen=True)
class Server:
    port: int
    sink: Sink
    ca: trustme.CA | None = None

    def client_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        assert self.ca is not None
        self.ca.configure_trust(context)
        return context


@contextmanager
def smtp_server(tls: bool = False, implicit: bool = False) -> Iterator[Server]:
    """Plain and open; or, with ``tls``, a login (``USER``/``PASSWORD``) over STARTTLS, or over
    TLS from the first byte when ``implicit``."""
    sink, port = Sink(), free_port()
    options: dict[str, Any] = {}
    ca = None
    if tls:
        ca = trustme.CA()
        server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert("127.0.0.1", "localhost").configure_cert(server_context)
        options = {"authenticator": _login, "auth_required": True}
        if implicit:  # aiosmtpd only counts STARTTLS as TLS for AUTH; here all of it is TLS
            options |= {"ssl_context": server_context, "auth_require_tls": False}
        else:
            options |= {"tls_context": server_context, "require_starttls": True}
    controller = Controller(sink, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield Server(port, sink, ca)
    finally:
        controller.stop()
