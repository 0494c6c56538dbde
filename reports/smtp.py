"""Sending a message over SMTP: plain, STARTTLS or implicit TLS, with an optional login. A
failure raises :class:`SendError` saying what failed (never the password)."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage

from warehouse.errors import CloudSpendError

SECURITIES = ("starttls", "tls", "none")


class SendError(CloudSpendError):
    """The message could not be sent."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str = "starttls"  # starttls | tls (implicit, usually port 465) | none
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 30.0
    context: ssl.SSLContext | None = field(default=None, repr=False, compare=False)


def send(message: EmailMessage, settings: SmtpSettings) -> list[str]:
    """Send ``message`` to its To recipients; the accepted recipients."""
    where = f"{settings.host}:{settings.port}"
    try:
        with _connect(settings) as smtp:
            if settings.security == "starttls":
                smtp.starttls(context=settings.context or ssl.create_default_context())
            if settings.user:
                smtp.login(settings.user, settings.password or "")
            refused = smtp.send_message(message)
    except smtplib.SMTPAuthenticationError as exc:
        raise SendError(f"SMTP login as {settings.user!r} at {where} refused: {_why(exc)}") from exc
    except smtplib.SMTPNotSupportedError as exc:
        raise SendError(f"SMTP server {where} does not support that: {exc}") from exc
    except smtplib.SMTPRecipientsRefused as exc:
        raise SendError(f"SMTP server {where} refused every recipient: {_refused(exc)}") from exc
    except smtplib.SMTPException as exc:
        raise SendError(f"sending through {where} failed: {_why(exc)}") from exc
    except ssl.SSLError as exc:
        raise SendError(f"TLS with {where} failed: {exc.reason or exc}") from exc
    except OSError as exc:  # refused, unreachable, timed out
        raise SendError(f"cannot reach the SMTP server {where}: {exc}") from exc
    if refused:
        raise SendError(f"SMTP server {where} refused: {', '.join(sorted(refused))}")
    return [a.strip() for a in str(message["To"]).split(",")]


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    if settings.security not in SECURITIES:
        raise SendError(f"SMTP security must be one of {', '.join(SECURITIES)}")
    if settings.security == "tls":
        context = settings.context or ssl.create_default_context()
        return smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=settings.timeout, context=context
        )
    return smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)


def _why(exc: smtplib.SMTPException) -> str:
    code = getattr(exc, "smtp_code", None)
    text = getattr(exc, "smtp_error", b"")
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip() if code else str(exc)


def _refused(exc: smtplib.SMTPRecipientsRefused) -> str:
    return ", ".join(f"{r} ({c} {m.decode('utf-8', 'replace')})"
                     for r, (c, m) in exc.recipients.items())  # fmt: skip
