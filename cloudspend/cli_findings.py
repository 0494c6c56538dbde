"""`cloudspend findings list|show|dismiss|snooze|reopen`: the findings and the users' decisions
on them. Decisions go to the decisions file beside the warehouse, so they can be taken while a
load runs and survive every rebuild."""

from __future__ import annotations

import datetime as dt
import json
import os
from decimal import Decimal
from typing import Annotated, Any

import typer

from cloudspend import render
from cloudspend.cli import ConfigOpt, DbOpt, DebugOpt, app, out, user_errors
from cloudspend.context import resolve
from warehouse.decisions import Decisions

findings_app = typer.Typer(
    no_args_is_help=True, help="List and total findings; dismiss, snooze or reopen one by id."
)
app.add_typer(findings_app, name="findings")

IdArg = Annotated[str, typer.Argument(help="Finding id, or a unique prefix of at least 4 chars.")]
ReasonOpt = Annotated[str, typer.Option("--reason", "-r", help="Why (kept with the decision).")]
ByOpt = Annotated[
    str | None,
    typer.Option("--by", help="Who decides (default: $USER).", show_default=False),
]

LIST_COLUMNS = (
    "finding_id", "shown_status", "family", "check", "provider", "account_id", "region",
    "resource_id", "action", "savings_net", "savings_gross", "currency", "confidence",
    "first_seen", "last_seen", "run_count", "resolved_at", "age_days", "cost_of_inaction",
    "realized_savings", "decision_reason", "snoozed_until",
)  # fmt: skip


@findings_app.command("list")
@user_errors
def list_cmd(
    status: Annotated[
        list[str] | None,
        typer.Option(
            "--status",
            "-s",
            help="open (default), dismissed, snoozed, resolved, cannot_judge, or all; repeatable.",
        ),
    ] = None,
    family: Annotated[str | None, typer.Option("--family", "-f", help="Only this family.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="At most this many (0: all).")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable JSON lines.")] = False,
    db: DbOpt = None,
    config: ConfigOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Findings, largest net monthly savings first: by default the open ones (not dismissed or
    snoozed), with net and gross savings, age and cost of inaction."""
    from analysis.findings_query import STATUSES, list_findings

    wanted = tuple(status or ["open"])
    if "all" in wanted:
        wanted = ()
    unknown = set(wanted) - set(STATUSES)
    if unknown:
        raise typer.BadParameter(f"unknown status {sorted(unknown)}; use {', '.join(STATUSES)}")
    ctx = resolve(db, config)
    now = dt.datetime.now(dt.UTC)
    with ctx.warehouse().read() as con:
        rows = list_findings(con, Decisions.beside(ctx.db_path).all(), now, wanted, family,
                             limit or None)  # fmt: skip
    rows = [{k: r[k] for k in LIST_COLUMNS} for r in rows]
    if as_json:
        for row in rows:
            out.print(json.dumps(row, default=_json_value), markup=False, highlight=False)
        return
    render.print_findings(out, rows)


TOTAL_BY = {"family": "family", "provider": "provider", "account": "account_id", "owner": "owner"}


@findings_app.command("totals")
@user_errors
def totals_cmd(
    by: Annotated[
        str, typer.Option("--by", help="Group by family, provider, account or owner (tag Owner).")
    ] = "family",
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable JSON lines.")] = False,
    db: DbOpt = None,
    config: ConfigOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Monthly savings of the open findings per family, provider, account or owner: net (the
    ledger as the users' decisions leave it today, no dollar counted twice) beside gross."""
    from reports.queries.filters import Filters
    from reports.queries.findings import findings as listed

    if by not in TOTAL_BY:
        raise typer.BadParameter(f"--by must be one of {', '.join(TOTAL_BY)}")
    ctx = resolve(db, config)
    today = dt.datetime.now(dt.UTC).date()
    with ctx.warehouse().read() as con:
        frame = listed(con, Filters(), tuple(Decisions.beside(ctx.db_path).all()), today)
    rows = _totals(frame[frame["state"] == "open"], TOTAL_BY[by])
    if as_json:
        for row in rows:
            out.print(json.dumps(row | {"by": by}), markup=False, highlight=False)
        return
    render.print_totals(out, by, rows)


def _totals(frame: Any, column: str) -> list[dict[str, Any]]:
    """Per value of ``column`` and currency: findings, net (None: not computed) and gross."""
    filled = frame.assign(**{column: frame[column].fillna("(none)")})
    grouped = filled.groupby([column, "currency"], dropna=False)
    out_rows = [
        {"group": str(key[0]), "currency": key[1], "findings": len(g),
         "net": None if g["savings_net"].isna().all() else round(float(g["savings_net"].sum()), 2),
         "gross": round(float(g["savings_gross"].fillna(0).sum()), 2)}
        for key, g in grouped
    ]  # fmt: skip
    return sorted(out_rows, key=lambda r: (-(r["net"] or 0), r["group"]))


@findings_app.command("show")
@user_errors
def show(
    finding: IdArg, db: DbOpt = None, config: ConfigOpt = None, debug: DebugOpt = False
) -> None:
    """One finding whole, as JSON: evidence, confidence reasons, the ledger's reasoning, the
    decision on it and realized savings."""
    from analysis.findings_query import list_findings, resolve_id

    ctx = resolve(db, config)
    with ctx.warehouse().read() as con:
        fid = resolve_id(con, finding)
        rows = list_findings(con, Decisions.beside(ctx.db_path).all(), dt.datetime.now(dt.UTC), ())
    row = next(r for r in rows if r["finding_id"] == fid)
    row = {k: json.loads(v) if _is_json(k) and v else v for k, v in row.items()}
    out.print(json.dumps(row, default=_json_value, indent=2), markup=False, highlight=False)


@findings_app.command("dismiss")
@user_errors
def dismiss(
    finding: IdArg,
    reason: ReasonOpt,
    by: ByOpt = None,
    db: DbOpt = None,
    config: ConfigOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Dismiss a finding for good (until reopened): it leaves the open list and the net totals,
    across re-runs and re-ingests."""
    ctx, fid = _target(db, config, finding)
    Decisions.beside(ctx.db_path).dismiss(fid, reason, by or os.environ.get("USER"))
    out.print(f"Dismissed {fid}: {reason}", markup=False, highlight=False)


@findings_app.command("snooze")
@user_errors
def snooze(
    finding: IdArg,
    until: Annotated[
        dt.datetime, typer.Option("--until", "-u", formats=["%Y-%m-%d"], help="YYYY-MM-DD.")
    ],
    reason: ReasonOpt,
    by: ByOpt = None,
    db: DbOpt = None,
    config: ConfigOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Hide a finding until a date: it leaves the open list and the net totals until then."""
    ctx, fid = _target(db, config, finding)
    Decisions.beside(ctx.db_path).snooze(fid, until.date(), reason, by or os.environ.get("USER"))
    out.print(f"Snoozed {fid} until {until:%Y-%m-%d}: {reason}", markup=False, highlight=False)


@findings_app.command("reopen")
@user_errors
def reopen(
    finding: IdArg, db: DbOpt = None, config: ConfigOpt = None, debug: DebugOpt = False
) -> None:
    """Take back a dismissal or snooze: the finding counts again."""
    ctx, fid = _target(db, config, finding)
    if Decisions.beside(ctx.db_path).reopen(fid):
        out.print(f"Reopened {fid}")
    else:
        out.print(f"{fid} was neither dismissed nor snoozed; nothing to do")


def _target(db: Any, config: Any, finding: str) -> tuple[Any, str]:
    from analysis.findings_query import resolve_id

    ctx = resolve(db, config)
    with ctx.warehouse().read() as con:
        return ctx, resolve_id(con, finding)


def _is_json(column: str) -> bool:
    return column in {"current_config", "target_config", "confidence_reasons", "evidence",
                      "ledger", "realized"}  # fmt: skip


def _json_value(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(round(value, 6))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)
