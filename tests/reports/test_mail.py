"""The report e-mail through a real SMTP server on 127.0.0.1, parsed back."""

from __future__ import annotations

import email
from email import policy
from email.message import EmailMessage
from typing import Any

import pytest

from reports.charts import charts
from reports.export import frame, to_csv_bytes
from reports.mail import Attachment, attachment_name, build_message
from reports.queries.filters import Filters
from reports.smtp import SendError, SmtpSettings, send
from reports.weekly.build import ReportOptions, WeeklyReport, build_report
from tests.reports.small_company import SCRIPT
from tests.reports.smtp_server import PASSWORD, USER, free_port, smtp_server
from warehouse.db import Warehouse
from warehouse.decisions import Decisions, register

pytestmark = pytest.mark.e2e  # a server of its own, as the repository's server tests are
TO = ["finops@example.com", "cto@example.com"]


@pytest.fixture(scope="module")
def message(small_master: Warehouse) -> tuple[EmailMessage, bytes, WeeklyReport]:
    with small_master.read() as con:
        register(con, Decisions.beside(small_master.path))
        report = build_report(con, ReportOptions())
        csv = to_csv_bytes(frame(con, "findings", Filters()))
    attachment = Attachment(attachment_name(report), csv)
    msg = build_message(report, "cloudspend@example.com", TO, charts(report), [attachment])
    return msg, csv, report


def check(raw: Any, rcpt: list[str], csv: bytes) -> None:
    msg = email.message_from_bytes(raw, policy=policy.default)
    assert msg["Subject"] == "Cloud cost report, week 2026-10-25 to 2026-10-31"
    assert rcpt == TO
    html_part, text_part = msg.get_body(("html",)), msg.get_body(("plain",))
    assert html_part is not None
    assert text_part is not None
    html, text = html_part.get_content(), text_part.get_content()
    assert "Spend by provider" in html
    assert "Spend this week: 371.00 USD" in text
    assert SCRIPT not in html
    assert "&lt;script&gt;" in html
    images = [p for p in msg.walk() if p.get_content_type() == "image/png"]
    assert len(images) == 2
    for image in images:
        assert image.get_content_disposition() == "inline"
        assert f'src="cid:{image["Content-ID"][1:-1]}"' in html
        assert image.get_content()[:8] == b"\x89PNG\r\n\x1a\n"
    [attachment] = list(msg.iter_attachments())
    assert attachment.get_filename() == "findings_2026-10-31.csv"
    assert attachment.get_content().encode("utf-8") == csv  # the export, byte for byte


def test_plain_smtp(message):
    msg, csv, _ = message
    with smtp_server() as server:
        accepted = send(msg, SmtpSettings("127.0.0.1", server.port, "none"))
    assert accepted == TO
    [envelope] = server.sink.envelopes
    check(envelope.content, envelope.rcpt_tos, csv)


def test_starttls_with_login(message):
    msg, csv, _ = message
    with smtp_server(tls=True) as server:
        settings = SmtpSettings("127.0.0.1", server.port, "starttls", USER, PASSWORD,
                                context=server.client_context())  # fmt: skip
        send(msg, settings)
    [envelope] = server.sink.envelopes
    check(envelope.content, envelope.rcpt_tos, csv)


# aiosmtpd warns that AUTH without STARTTLS is unsafe: it does not see that the whole session is TLS
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_implicit_tls_with_login(message):
    msg, csv, _ = message
    with smtp_server(tls=True, implicit=True) as server:
        settings = SmtpSettings("127.0.0.1", server.port, "tls", USER, PASSWORD,
                                context=server.client_context())  # fmt: skip
        send(msg, settings)
    [envelope] = server.sink.envelopes
    check(envelope.content, envelope.rcpt_tos, csv)


def test_wrong_password_says_why_without_the_password(message):
    msg, _, _ = message
    with smtp_server(tls=True) as server:
        settings = SmtpSettings("127.0.0.1", server.port, "starttls", USER, "wrong-pw",
                                context=server.client_context())  # fmt: skip
        with pytest.raises(SendError, match=r"login as 'report-bot'.*refused") as caught:
            send(msg, settings)
    assert "wrong-pw" not in str(caught.value)
    assert server.sink.envelopes == []


def test_untrusted_certificate_is_refused(message):
    msg, _, _ = message
    with smtp_server(tls=True) as server, pytest.raises(SendError, match=r"TLS|certificate"):
        send(msg, SmtpSettings("127.0.0.1", server.port, "starttls", USER, PASSWORD))


def test_no_server_says_where(message):
    msg, _, _ = message
    port = free_port()
    with pytest.raises(SendError, match=f"cannot reach the SMTP server 127.0.0.1:{port}"):
        send(msg, SmtpSettings("127.0.0.1", port, "none", timeout=5))
