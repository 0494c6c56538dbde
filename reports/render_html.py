"""The weekly report as e-mail-safe HTML: tables, inline CSS, no scripts, every value from the
data HTML-escaped. Images are referenced by ``src`` given by the caller (``cid:...`` in the
e-mail, a ``data:`` URI in a file)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from html import escape

from reports import fmt
from reports.weekly.build import WeeklyReport
from reports.weekly.findings import FindingLine
from reports.weekly.spend import SpendRow

FONT = "font-family:Arial,Helvetica,sans-serif;color:#1f2933"
TABLE = "border-collapse:collapse;margin:4px 0 16px 0;font-size:13px"
TH = "text-align:left;padding:4px 8px;border-bottom:2px solid #9aa5b1;background:#f0f4f8"
TD = "padding:4px 8px;border-bottom:1px solid #e4e7eb;vertical-align:top"
NUM = TD + ";text-align:right;white-space:nowrap"
H2 = "font-size:17px;margin:20px 0 4px 0;color:#102a43"
NOTE = "font-size:12px;color:#616e7c;margin:2px 0 8px 0"
WARN = "background:#fff3c4;border:1px solid #f0b429;padding:8px 12px;margin:8px 0"

Cell = tuple[str, bool]  # (text, numeric)


def e(value: object) -> str:
    """A value from the data, escaped for HTML text and attributes."""
    return escape("" if value is None else str(value), quote=True)


def table(head: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    rows = list(rows)
    if not rows:
        return note("None.")
    ths = "".join(f'<th style="{TH}">{e(h)}</th>' for h in head)
    body = "".join(
        "<tr>" + "".join(f'<td style="{NUM if n else TD}">{e(t)}</td>' for t, n in r) + "</tr>"
        for r in rows
    )
    return f'<table role="presentation" style="{TABLE}"><tr>{ths}</tr>{body}</table>'


def h2(text: str) -> str:
    return f'<h2 style="{H2}">{e(text)}</h2>'


def note(text: str) -> str:
    return f'<p style="{NOTE}">{e(text)}</p>'


def render_html(
    report: WeeklyReport, images: dict[str, str], generated_at: dt.datetime | None = None
) -> str:
    """The whole document; ``images`` maps ``daily`` and ``savings`` to their ``src``."""
    parts = [_header(report), _warnings(report), _summary(report)]
    parts += [_image(images, "daily", "Daily spend by provider"), _spend(report)]
    parts += [_savings(report), _image(images, "savings", "Monthly savings by family")]
    parts += [_top(report), _weekly_findings(report), _coverage(report), _sources(report)]
    footer = "cloudspend weekly report. Amounts are effective cost (after discounts and"
    footer += " commitments); savings are per month."
    if generated_at is not None:
        footer += f" Generated {generated_at.isoformat(timespec='minutes')}."
    body = "".join(parts) + note(footer)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{e(report.title)}</title></head>"
        f'<body style="{FONT};margin:0;padding:16px;max-width:900px">{body}</body></html>\n'
    )


def _header(r: WeeklyReport) -> str:
    w = r.weeks
    text = (
        f"Billing data through {w.this.last}. Compared with the week before"
        f" ({w.before.label()}) and the same week a month ago ({w.month_ago.label()})."
    )
    return f'<h1 style="font-size:21px;margin:0 0 4px 0">{e(r.title)}</h1>{note(text)}'


def _warnings(r: WeeklyReport) -> str:
    if not r.warnings:
        return ""
    items = "".join(f"<li>{e(w)}</li>" for w in r.warnings)
    return f'<div style="{WARN}"><b>Check the data</b><ul style="margin:4px 0">{items}</ul></div>'


def _summary(r: WeeklyReport) -> str:
    rows = [
        [(f"Spend ({t.currency})", False), (fmt.money(t.this_week), True),
         (fmt.signed(t.change), True), (fmt.percent(t.change_percent), True),
         (fmt.signed(t.this_week - t.month_ago), True)]
        for t in r.totals
    ]  # fmt: skip
    head = ["", "this week", "vs week before", "%", "vs a month ago"]
    saved = [
        [(f"Savings available / month ({cur})", False), (f"net {fmt.money(net)}", True),
         (f"gross {fmt.money(gross)}", True), ("", False), ("", False)]
        for cur, (net, gross) in fmt.savings_totals(r.findings.by_family).items()
    ]  # fmt: skip
    return h2("Summary") + table(head, rows + saved)


def _image(images: dict[str, str], name: str, alt: str) -> str:
    src = images.get(name)
    if not src:
        return ""
    return f'<img src="{e(src)}" alt="{e(alt)}" width="640" style="display:block;margin:8px 0">'


def _spend(r: WeeklyReport) -> str:
    head = ["", "this week", "week before", "change", "%", "month ago", "what changed"]

    def rows(items: Iterable[SpendRow], label: str) -> list[list[Cell]]:
        return [
            [(getattr(s, label) if label == "provider" else f"{s.service} ({s.provider})", False),
             (fmt.money(s.this_week, s.currency), True), (fmt.money(s.week_before), True),
             (fmt.signed(s.change), True), (fmt.percent(s.change_percent), True),
             (fmt.money(s.month_ago), True), (fmt.explain(s), False)]
            for s in items
        ]  # fmt: skip

    return (
        h2("Spend by provider") + table(head, rows(r.providers, "provider"))
        + h2("Top services") + table(head, rows(r.services, "service"))
    )  # fmt: skip


def _savings(r: WeeklyReport) -> str:
    f = r.findings
    rows = [
        [(s.family, False), (str(s.findings), True), (fmt.money(s.net, s.currency), True),
         (fmt.money(s.gross, s.currency), True),
         (f"{s.findings - s.with_net} without net yet" if s.with_net < s.findings else "", False)]
        for s in f.by_family
    ]  # fmt: skip
    head = ["family", "findings", "net / month", "gross / month", ""]
    text = "Net counts each dollar once (overlapping actions removed); gross adds every finding."
    text += " Dismissed and snoozed findings are left out."
    return h2("Savings available") + note(text) + table(head, rows)


def _line(x: FindingLine, *extra: Cell) -> list[Cell]:
    return [
        (x.action, False), (fmt.short_id(x.resource_id) or x.check, False),
        (f"{x.provider} {x.account_id or ''}", False),
        (x.owner or "(no owner)", False), (fmt.money(x.net), True),
        (fmt.money(x.gross, x.currency), True), *extra,
    ]  # fmt: skip


LINE_HEAD = ["action", "resource", "where", "owner", "net", "gross"]


def _top(r: WeeklyReport) -> str:
    rows = [_line(x, (f"{x.confidence:.2f}" if x.confidence is not None else "", True))
            for x in r.findings.top]  # fmt: skip
    return h2("Top ten findings by net savings") + table([*LINE_HEAD, "confidence"], rows)


def _weekly_findings(r: WeeklyReport) -> str:
    f = r.findings
    shown = f" (the {len(f.new)} largest)" if f.new_count > len(f.new) else ""
    new = h2(f"New this week: {f.new_count}{shown}") + table(LINE_HEAD, map(_line, f.new))
    resolved_rows = [_line(x, (fmt.money(x.realized, x.currency), True)) for x in f.resolved]
    resolved = h2(f"Resolved this week: {len(f.resolved)}")
    resolved += note("Realized: monthly cost before minus after, where the bill shows both.")
    resolved += table([*LINE_HEAD, "realized / month"], resolved_rows)
    snoozed = [_line(x, (str(x.until), False), (x.reason or "", False)) for x in f.snoozes_expiring]
    snoozes = h2(f"Snoozes ending within 7 days: {len(snoozed)}")
    return new + resolved + snoozes + table([*LINE_HEAD, "until", "reason"], snoozed)


def _coverage(r: WeeklyReport) -> str:
    rows = [
        [(c.provider, False), (fmt.money(c.taggable_cost, c.currency), True),
         (fmt.money(c.compliant_cost), True), (fmt.share(c.compliant_cost, c.taggable_cost), True),
         (fmt.money(c.untaggable_cost), True)]
        for c in r.coverage
    ]  # fmt: skip
    text = "Allocated: taggable spend of the week whose resources carry every required tag"
    text += " (whole company)." if r.owner else "."
    head = ["provider", "taggable", "allocated", "allocated %", "untaggable"]
    return h2("Allocation coverage") + note(text) + table(head, rows)


def _sources(r: WeeklyReport) -> str:
    rows = [
        [(f"{s.provider} {s.account}", False), (str(s.through), False),
         (f"{s.behind_days} d" + (" (stale)" if s.stale else ""), True),
         ({True: "yes", False: "NO", None: "per file"}[s.reconciled], False),
         (str(s.quarantined), True), (", ".join(s.restated) or "", False)]
        for s in r.sources
    ]  # fmt: skip
    head = ["source", "data through", "behind", "reconciled", "quarantined rows", "restated"]
    return h2("Data freshness") + table(head, rows)
