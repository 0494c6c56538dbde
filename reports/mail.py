"""The weekly report as one MIME message: HTML with the charts inline (by Content-ID), a
plain-text alternative, and the findings as a CSV attachment, byte for byte the export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from reports.render_html import render_html
from reports.render_text import render_text
from reports.weekly.build import WeeklyReport

CID_DOMAIN = "cloudspend.report"


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    maintype: str = "text"
    subtype: str = "csv"


def attachment_name(report: WeeklyReport) -> str:
    """``findings_2026-10-31.csv`` (``findings_team-data_2026-10-31.csv`` for an owner)."""
    who = f"_{_safe(report.owner)}" if report.owner else ""
    return f"findings{who}_{report.weeks.this.last.isoformat()}.csv"


def _safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in text)[:60]


def build_message(
    report: WeeklyReport,
    sender: str,
    recipients: Sequence[str],
    charts: dict[str, bytes],
    attachments: Sequence[Attachment] = (),
    sent_at: dt.datetime | None = None,
) -> EmailMessage:
    """The message; ``charts`` are PNGs by name, shown inline where the HTML places them."""
    msg = EmailMessage()
    msg["Subject"] = report.title
    msg["From"] = sender
    msg["To"] = ", ".join(recipients)
    if sent_at is not None:
        msg["Date"] = format_datetime(sent_at)
    msg["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1] or CID_DOMAIN)
    msg.set_content(render_text(report), cte="quoted-printable")
    cids = {name: make_msgid(domain=CID_DOMAIN) for name in charts}
    html = render_html(report, {name: "cid:" + cid[1:-1] for name, cid in cids.items()})
    msg.add_alternative(html, subtype="html", cte="quoted-printable")
    html_part = msg.get_body(preferencelist=("html",))
    assert isinstance(html_part, EmailMessage)
    for name, png in charts.items():
        html_part.add_related(
            png, "image", "png", cid=cids[name], disposition="inline", filename=f"{name}.png"
        )
    for a in attachments:
        msg.add_attachment(a.content, maintype=a.maintype, subtype=a.subtype, filename=a.filename)
    return msg
