"""The weekly report as plain text: the e-mail's alternative for clients that show no HTML."""

from __future__ import annotations

from collections.abc import Sequence

from reports import fmt
from reports.weekly.build import WeeklyReport
from reports.weekly.findings import FindingLine
from reports.weekly.spend import SpendRow


def columns(head: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Left-aligned columns, two spaces apart."""
    if not rows:
        return ["  None."]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows, strict=True)]
    return [
        "  " + "  ".join(str(x).ljust(w) for x, w in zip(r, widths, strict=True)).rstrip()
        for r in (head, *rows)
    ]


def _line(x: FindingLine) -> list[str]:
    return [
        x.action, fmt.short_id(x.resource_id) or x.check, x.provider, x.owner or "(no owner)",
        fmt.money(x.net), fmt.money(x.gross, x.currency),
    ]  # fmt: skip


LINE_HEAD = ["action", "resource", "provider", "owner", "net", "gross"]


def render_text(report: WeeklyReport) -> str:
    """The report's figures, section by section."""
    lines = _intro(report) + _spend(report) + _findings(report) + _data(report)
    return "\n".join(lines) + "\n"


def _intro(report: WeeklyReport) -> list[str]:
    w, f = report.weeks, report.findings
    out = [report.title, "=" * len(report.title), ""]
    out.append(f"Billing data through {w.this.last}; compared with {w.before.label()} and")
    out += [f"the same week a month ago ({w.month_ago.label()}).", ""]
    out += [f"! {warning}" for warning in report.warnings]
    for t in report.totals:
        out.append(f"Spend this week: {fmt.money(t.this_week, t.currency)} "
                   f"({fmt.signed(t.change)} vs the week before, {fmt.percent(t.change_percent)};"
                   f" {fmt.signed(t.this_week - t.month_ago)} vs a month ago)")  # fmt: skip
    for cur, (net, gross) in fmt.savings_totals(f.by_family).items():
        out.append(f"Savings available per month ({cur}): net {fmt.money(net)},"
                   f" gross {fmt.money(gross)}")  # fmt: skip
    return out


def _spend(report: WeeklyReport) -> list[str]:
    head = ["", "this week", "week before", "change", "what changed"]

    def rows(items: list[SpendRow], services: bool) -> list[list[str]]:
        return [[f"{s.service} ({s.provider})" if services else s.provider,
                 fmt.money(s.this_week, s.currency), fmt.money(s.week_before),
                 fmt.signed(s.change), fmt.explain(s)] for s in items]  # fmt: skip

    return [
        "", "Spend by provider", *columns(head, rows(report.providers, False)),
        "", "Top services", *columns(head, rows(report.services, True)),
    ]  # fmt: skip


def _findings(report: WeeklyReport) -> list[str]:
    f = report.findings
    out = ["", "Savings available (net after overlaps; gross beside)"]
    out += columns(["family", "findings", "net / month", "gross / month"],
                   [[s.family, str(s.findings), fmt.money(s.net, s.currency),
                     fmt.money(s.gross, s.currency)] for s in f.by_family])  # fmt: skip
    out += ["", "Top ten findings by net savings", *columns(LINE_HEAD, list(map(_line, f.top)))]
    out += ["", f"New this week: {f.new_count}", *columns(LINE_HEAD, list(map(_line, f.new)))]
    out += ["", f"Resolved this week: {len(f.resolved)}"]
    out += columns(
        [*LINE_HEAD, "realized"],
        [[*_line(x), fmt.money(x.realized, x.currency)] for x in f.resolved],
    )
    out += ["", f"Snoozes ending within 7 days: {len(f.snoozes_expiring)}"]
    out += columns([*LINE_HEAD, "until"],
                   [[*_line(x), str(x.until)] for x in f.snoozes_expiring])  # fmt: skip
    return out


def _data(report: WeeklyReport) -> list[str]:
    out = ["", "Allocation coverage (taggable spend carrying every required tag)"]
    out += columns(
        ["provider", "taggable", "allocated %"],
        [
            [
                c.provider,
                fmt.money(c.taggable_cost, c.currency),
                fmt.share(c.compliant_cost, c.taggable_cost),
            ]
            for c in report.coverage
        ],
    )
    out += ["", "Data freshness"]
    out += columns(["source", "data through", "behind", "restated"],
                   [[f"{s.provider} {s.account}", str(s.through), f"{s.behind_days} d",
                     ", ".join(s.restated)] for s in report.sources])  # fmt: skip
    return out
