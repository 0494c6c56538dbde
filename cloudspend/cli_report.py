"""`cloudspend report`, `cloudspend export` and `cloudspend schedule check`: the weekly report
e-mail, CSV/Parquet export and the check of a cron expression for the weekly run."""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cloudspend.cli import ConfigOpt, DbOpt, DebugOpt, app, out, user_errors
from cloudspend.context import Context, resolve
from warehouse.errors import CloudSpendError

if TYPE_CHECKING:
    import duckdb

    from reports.smtp import SmtpSettings
    from reports.weekly.build import WeeklyReport
    from reports.weekly.state import ReportState

schedule_app = typer.Typer(no_args_is_help=True, help="Check the schedule of the weekly run.")
app.add_typer(schedule_app, name="schedule")


class Dataset(enum.StrEnum):
    findings = "findings"
    costs = "costs"
    resources = "resources"
    allocation = "allocation"


class Format(enum.StrEnum):
    csv = "csv"
    parquet = "parquet"


@contextlib.contextmanager
def _reading(ctx: Context) -> Iterator[duckdb.DuckDBPyConnection]:
    """The warehouse, read-only, with the user's decisions beside it as finding_decisions."""
    from warehouse.decisions import Decisions, register

    warehouse = ctx.warehouse()
    with warehouse.read() as con:
        register(con, Decisions.beside(warehouse.path))
        yield con


def _day(text: str | None, what: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        raise CloudSpendError(f"{what} must be a date, YYYY-MM-DD: {text!r}") from None


@app.command()
@user_errors
def report(
    html: Annotated[
        Path | None, typer.Option("--html", help="Write the report as HTML (charts embedded).")
    ] = None,
    email: Annotated[
        bool,
        typer.Option(
            "--email",
            help="E-mail it: the whole report to [report] recipients, each owner's own report "
            "to its [report.owners] addresses.",
        ),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="With --email: show what would be sent; send nothing.")
    ] = False,
    owner: Annotated[
        str | None, typer.Option("--owner", help="Only resources whose Owner tag has this value.")
    ] = None,
    week: Annotated[
        str | None,
        typer.Option(help="The week's last day, YYYY-MM-DD (default: the bill's last day)."),
    ] = None,
    db: DbOpt = None,
    config: ConfigOpt = None,
    debug: DebugOpt = False,
) -> None:
    """The weekly cost report: spend, savings, findings, allocation and data freshness.

    Spend against the week before and a month ago with what changed; net savings (gross
    beside); findings new, resolved and with snoozes ending; the top ten with their owner;
    allocation coverage; data freshness and restated periods.

    Without --html or --email it prints the plain-text version. The findings CSV attached to the
    e-mail is what `cloudspend export findings` writes for the same owner.
    """
    from reports.weekly.state import current_state, load_state, save_state, state_path

    ctx = resolve(db, config)
    audiences = _audiences(ctx, owner, email)
    state_file = state_path(ctx.warehouse().path)
    previous = load_state(state_file)
    with _reading(ctx) as con:
        built = [(who, to, _build(con, ctx, who, _day(week, "--week"), previous))
                 for who, to in audiences]  # fmt: skip
        csvs = {who: _findings_csv(con, who) for who, _, _ in built}
        state = current_state(con, built[0][2].weeks.this.last)
    if html is not None:
        _write_html(built[0][2], html)
    if not email and html is None:
        from reports.render_text import render_text

        typer.echo(render_text(built[0][2]), nl=False)
    if email:
        _send_all(ctx, [(to, r, csvs[who]) for who, to, r in built], dry_run)
        if not dry_run:
            save_state(state_file, state)


def _audiences(ctx: Context, owner: str | None, email: bool) -> list[tuple[str | None, list[str]]]:
    """(owner or None for the whole company, recipients) of each report to make."""
    rc = ctx.config.report
    if owner is not None:
        to = rc.owners.get(owner, [])
        if email and not to:
            raise CloudSpendError(f"no recipients for owner {owner!r}: add it to [report.owners]")
        return [(owner, to)]
    if not email:
        return [(None, [])]
    found: list[tuple[str | None, list[str]]] = [(None, rc.recipients)] if rc.recipients else []
    found += [(who, to) for who, to in rc.owners.items() if to]
    if not found:
        raise CloudSpendError("no recipients: set [report] recipients (or [report.owners])")
    return found


def _build(
    con: duckdb.DuckDBPyConnection,
    ctx: Context,
    owner: str | None,
    last_day: dt.date | None,
    previous: ReportState | None,
) -> WeeklyReport:
    from reports.weekly.build import ReportOptions, build_report

    rc = ctx.config.report
    options = ReportOptions(
        last_day=last_day, owner=owner, top_services=rc.top_services,
        stale_after_days=rc.stale_after_days, analysis=ctx.config.analysis,
        previous=previous,
    )  # fmt: skip
    return build_report(con, options)


def _findings_csv(con: duckdb.DuckDBPyConnection, owner: str | None) -> bytes:
    from reports.export import frame, to_csv_bytes
    from reports.queries.filters import Filters

    return to_csv_bytes(frame(con, "findings", Filters(owner=owner)))


def _write_html(report: WeeklyReport, path: Path) -> None:
    import base64

    from reports.charts import charts
    from reports.render_html import render_html

    images = {n: "data:image/png;base64," + base64.b64encode(png).decode("ascii")
              for n, png in charts(report).items()}  # fmt: skip
    path.write_text(render_html(report, images), encoding="utf-8")
    out.print(f"Wrote {path}")


def _send_all(ctx: Context, jobs: list[tuple[list[str], WeeklyReport, bytes]], dry: bool) -> None:
    from reports.charts import charts
    from reports.mail import Attachment, attachment_name, build_message
    from reports.smtp import send

    settings = None if dry else _smtp(ctx)
    for to, rep, csv in jobs:
        attachment, pngs = Attachment(attachment_name(rep), csv), charts(rep)
        msg = build_message(rep, ctx.config.report.sender, to, pngs, [attachment],
                            dt.datetime.now(dt.UTC))  # fmt: skip
        if settings is None:
            out.print(f"Would send to {', '.join(to)}: {rep.title!r} ({len(msg.as_bytes()):,}"
                      f" bytes: HTML and text, {len(pngs)} chart(s), {attachment.filename})",
                      highlight=False)  # fmt: skip
            continue
        send(msg, settings)
        out.print(f"Sent {rep.title!r} to {', '.join(to)}", highlight=False)


def _smtp(ctx: Context) -> SmtpSettings:
    from reports.smtp import SmtpSettings

    s = ctx.config.smtp
    if s is None:
        raise CloudSpendError("no [smtp] section in the configuration: where should mail go?")
    return SmtpSettings(
        s.host, s.port, s.security, s.user.resolve() if s.user else None,
        s.password.resolve() if s.password else None, s.timeout_seconds,
    )  # fmt: skip


@app.command()
@user_errors
def export(
    dataset: Annotated[Dataset, typer.Argument(help="What to export.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    fmt: Annotated[Format, typer.Option("--format", help="csv or parquet.")] = Format.csv,
    start: Annotated[str | None, typer.Option(help="First day, YYYY-MM-DD (costs).")] = None,
    end: Annotated[str | None, typer.Option(help="Last day, included (costs).")] = None,
    provider: Annotated[
        list[str] | None, typer.Option(help="aws, azure, gcp (repeatable).")
    ] = None,
    account: Annotated[
        list[str] | None, typer.Option(help="Account / subscription / project.")
    ] = None,
    region: Annotated[list[str] | None, typer.Option(help="Region (repeatable).")] = None,
    service: Annotated[list[str] | None, typer.Option(help="Service name (repeatable).")] = None,
    family: Annotated[list[str] | None, typer.Option(help="Findings: family (repeatable).")] = None,
    status: Annotated[
        list[str] | None, typer.Option(help="Findings: open, resolved, cannot_judge.")
    ] = None,
    tag: Annotated[str | None, typer.Option(help="KEY or KEY=VALUE a resource carries.")] = None,
    owner: Annotated[str | None, typer.Option(help="Value of the Owner tag.")] = None,
    db: DbOpt = None,
    config: ConfigOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Export findings, daily costs, resources or cost per owner as CSV or Parquet.

    The dashboard's filters apply; columns and their order: docs/export.md."""
    from reports.export import frame, write
    from reports.queries.filters import Filters

    key, _, value = (tag or "").partition("=")
    filters = Filters(
        start=_day(start, "--start"), end=_day(end, "--end"), providers=tuple(provider or ()),
        accounts=tuple(account or ()), regions=tuple(region or ()),
        services=tuple(service or ()), tag_key=key or None, tag_value=value or None,
        owner=owner, families=tuple(family or ()), statuses=tuple(status or ()),
    )  # fmt: skip
    with _reading(resolve(db, config)) as con:
        df = frame(con, dataset.value, filters)
    write(df, fmt.value, output)
    out.print(f"Wrote {len(df):,} {dataset.value} rows to {output}", highlight=False)


@schedule_app.command("check")
@user_errors
def schedule_check(
    expression: Annotated[str, typer.Argument(help="Cron expression, e.g. '0 7 * * MON'.")],
    count: Annotated[int, typer.Option(help="How many next runs to show.")] = 5,
    debug: DebugOpt = False,
) -> None:
    """Validate a cron expression for the weekly run and print its next runs (UTC)."""
    from reports.schedule import next_runs

    for moment in next_runs(expression, dt.datetime.now(dt.UTC), count):
        out.print(moment.strftime("%Y-%m-%d %H:%M %Z (%a)"), highlight=False)
