"""The `cloudspend` command. Each subcommand is thin: it resolves the context, calls a library
function and renders the result."""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from cloudspend import __version__, render
from cloudspend.config import secret_refs
from cloudspend.context import Context, resolve
from warehouse.decisions import Decisions
from warehouse.errors import CloudSpendError

if TYPE_CHECKING:
    from collectors.collection import CollectReport

P = ParamSpec("P")
R = TypeVar("R")

app = typer.Typer(
    no_args_is_help=True,
    help="cloudspend: multi-cloud cost-optimization analyzer for FinOps teams.",
    pretty_exceptions_enable=False,
)
config_app = typer.Typer(no_args_is_help=True, help="Inspect the configuration file.")
app.add_typer(config_app, name="config")
collect_app = typer.Typer(
    no_args_is_help=True, help="Collect billing, inventory, utilization and prices from a cloud."
)
app.add_typer(collect_app, name="collect")

out = Console(soft_wrap=True)  # paths and commands stay on one line, for copy-paste
err = Console(stderr=True, soft_wrap=True)

DbOpt = Annotated[
    Path | None,
    typer.Option(
        "--db",
        envvar="CLOUDSPEND_DB",
        show_envvar=True,
        help="DuckDB warehouse file (else the config's [warehouse] path, else the user data dir).",
    ),
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        envvar="CLOUDSPEND_CONFIG",
        show_envvar=True,
        help="TOML configuration file (else cloudspend.toml in the user config dir, if present).",
    ),
]
DebugOpt = Annotated[
    bool, typer.Option("--debug", envvar="CLOUDSPEND_DEBUG", help="Show tracebacks on errors.")
]


def user_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Show a CloudSpendError as 'Error: ...' and exit 1; with --debug, show the traceback."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except CloudSpendError as exc:
            if kwargs.get("debug") or os.environ.get("CLOUDSPEND_DEBUG") == "1":
                raise
            err.print(f"[red]Error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None

    return wrapper


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} files"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,  # no bar in cron and CI logs
    )


def _ingest(ctx: Context, paths: list[Path]) -> None:
    from collectors.ingest import ingest

    with _progress() as bar:
        task = bar.add_task("detecting formats", total=None)

        def tell(message: str, done: int, total: int) -> None:
            bar.update(task, description=message, completed=done, total=total)

        skipped: list[tuple[Path, str]] = []
        summaries = ingest(ctx.warehouse(), paths, tell, lambda p, why: skipped.append((p, why)))
    for path, why in skipped:
        out.print(f"[yellow]Skipped[/] {path}: {why}")
    render.print_ingests(out, summaries)
    if any(s.quarantined_rows for s in summaries):
        out.print("Some rows were quarantined with a reason: see `cloudspend status`.")


@app.command()
@user_errors
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Billing files or folders to load.")],
    db: DbOpt = None,
    config: ConfigOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Load billing files: FOCUS, AWS CUR 2.0 and legacy CUR, Azure EA and MCA cost details.

    The format is detected from the columns; CSV, CSV.gz and Parquet.

    Every (provider, billing account, billing period) in the files replaces what was loaded
    before for it, so loading a file again changes nothing. Rows that break a rule are
    quarantined with their reason; if a file cannot be read at all, nothing is loaded.
    """
    _ingest(resolve(db, config), paths)


@app.command()
@user_errors
def status(
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
    recent: Annotated[int, typer.Option(help="How many recent ingests to list.")] = 10,
    db: DbOpt = None,
    config: ConfigOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Show what is loaded: periods and totals, recent ingests, quarantined rows."""
    from warehouse.status import read_status

    ctx = resolve(db, config)
    with ctx.warehouse().read() as con:
        result = read_status(con, recent)
    if as_json:
        typer.echo(json.dumps({"db": str(ctx.db_path), **result.as_json()}, indent=2))
    else:
        out.print(f"Warehouse: {ctx.db_path}")
        render.print_status(out, result)


@app.command()
@user_errors
def analyze(
    list_only: Annotated[
        bool, typer.Option("--list", help="List the analyzers and their parameters; run nothing.")
    ] = False,
    db: DbOpt = None,
    config: ConfigOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Run every analyzer over the warehouse and store the findings.

    Windows end at the end of the data's last complete day. Parameters come from the config's
    [analysis.<analyzer>] sections (defaults: `cloudspend analyze --list`, docs/analyzers.md).
    The savings ledger then nets the findings on each resource (idle, schedule, right-size, spot,
    commitments, in that order) so no dollar is counted twice; findings a user dismissed or
    snoozed (`cloudspend findings`) stay out of it. Each finding keeps its id across runs; one a
    run no longer makes, in an account the run's data covers, becomes resolved. Prints findings
    per family with gross and net monthly savings, the top ten by net and what changed.
    """
    from analysis.registry import analyzers
    from analysis.run import analyze as run_analysis

    ctx = resolve(db, config)
    if list_only:
        render.print_analyzers(out, analyzers())
        return
    with _progress() as bar:
        task = bar.add_task("analyzing", total=None)
        result = run_analysis(
            ctx.warehouse(),
            ctx.config.analysis,
            progress=lambda m, d, t: bar.update(task, description=m, completed=d, total=t),
            decisions=Decisions.beside(ctx.db_path).all(),
        )
    render.print_analysis(out, result)
    slowest = sorted(result.seconds.items(), key=lambda kv: -kv[1])[:3]
    out.print("Slowest analyzers: " + ", ".join(f"{n} {s:.1f} s" for n, s in slowest))


@app.command()
@user_errors
def demo(db: DbOpt = None, config: ConfigOpt = None, debug: DebugOpt = False) -> None:
    """Load and analyze the embedded demo company (no cloud account needed).

    Its AWS, Azure and Google Cloud bills (in each provider's export format) and its recorded
    inventory, metrics and prices go through the same loaders and normalizers as real data;
    then every analyzer runs and a summary prints: findings per family with gross and net
    monthly savings, the top ten findings by net with their confidence. Uses the warehouse
    named by --db / CLOUDSPEND_DB, else a demo warehouse of its own.
    """
    from analysis.run import analyze as run_analysis
    from cloudspend.demo import demo_db_path, run_demo
    from warehouse.status import read_status

    ctx = resolve(db, config)
    target = ctx.warehouse(db if db is not None else demo_db_path())
    out.print(f"Demo warehouse: {target.path}")
    with _progress() as bar:
        task = bar.add_task("loading the demo company", total=None)
        result = run_demo(
            target, lambda m, d, t: bar.update(task, description=m, completed=d, total=t)
        )
    render.print_ingests(out, result.ingests)
    for cloud, stored in result.stored.items():
        counts = ", ".join(f"{r.inserted:,} {table}" for table, r in stored.items())
        out.print(f"[bold]{cloud}[/] observations: {counts}")
    with target.read() as con:
        render.print_status(out, read_status(con))
    with _progress() as bar:
        task = bar.add_task("analyzing", total=None)
        analysis = run_analysis(
            target,
            ctx.config.analysis,
            progress=lambda m, d, t: bar.update(task, description=m, completed=d, total=t),
            decisions=Decisions.beside(target.path).all(),
        )
    render.print_analysis(out, analysis)
    out.print(f"Explore it: cloudspend status --db {target.path}")


def _collect(cloud: str, settings: Any, run: Callable[..., CollectReport], ctx: Context) -> None:
    """Run one cloud's collector with a progress line, print its report; exit 2 on problems."""
    if settings is None:
        where = ctx.config_path or "the configuration file"
        raise CloudSpendError(f"{where}: no [{cloud}] section; see `cloudspend config check`")
    with _progress() as bar:
        task = bar.add_task("starting", total=None)
        report = run(
            settings,
            ctx.warehouse(),
            ctx.db_path.parent / "cache" / cloud,
            tell=lambda message: bar.update(task, description=escape(message)),
        )
    render.print_collect_report(out, report)
    if report.problems:
        raise typer.Exit(2)


@collect_app.command("aws")
@user_errors
def collect_aws(db: DbOpt = None, config: ConfigOpt = None, debug: DebugOpt = False) -> None:
    """Collect AWS: CUR export, inventory, CloudWatch metrics and prices.

    Reads the organization of the config's aws section: the CUR export in S3 (or Cost Explorer
    totals), then EC2, EBS, Elastic IP, ELB, RDS inventory, hourly CloudWatch metrics and prices.

    Credentials come from boto3's standard chain (environment, profiles, SSO, instance roles).
    Exit status 2: something was collected, but an account, region or service failed (listed).
    """
    from collectors.aws.collect import collect_aws as run

    ctx = resolve(db, config)
    _collect("aws", ctx.config.aws, run, ctx)


@collect_app.command("azure")
@user_errors
def collect_azure(db: DbOpt = None, config: ConfigOpt = None, debug: DebugOpt = False) -> None:
    """Collect Azure: cost export, inventory, Azure Monitor metrics and retail prices.

    Reads the subscriptions of the config's azure section: the Cost Management export in the
    storage account, then virtual machines, managed disks, public IPs, load balancers, hourly
    Azure Monitor metrics and retail prices.

    Credentials come from azure-identity's DefaultAzureCredential (environment, workload or
    managed identity, Azure CLI). Exit status 2: something was collected, but a subscription or
    service failed (listed).
    """
    from collectors.azure.collect import collect_azure as run

    ctx = resolve(db, config)
    _collect("azure", ctx.config.azure, run, ctx)


@collect_app.command("gcp")
@user_errors
def collect_gcp(db: DbOpt = None, config: ConfigOpt = None, debug: DebugOpt = False) -> None:
    """Collect Google Cloud: billing export, inventory, Cloud Monitoring metrics and prices.

    Reads the billing account and projects of the config's gcp section: the detailed billing
    export (a partition-filtered BigQuery query per invoice month, or files extracted to Cloud
    Storage or a folder), then Compute Engine instances, disks, snapshots, addresses, forwarding
    rules and Cloud SQL instances, hourly Cloud Monitoring metrics and catalogue prices.

    Credentials come from Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud
    login, workload identity, metadata server). Exit status 2: something was collected, but a
    project or service failed (listed).
    """
    from collectors.gcp.collect import collect_gcp as run

    ctx = resolve(db, config)
    _collect("gcp", ctx.config.gcp, run, ctx)


@collect_app.command("all")
@user_errors
def collect_all(db: DbOpt = None, config: ConfigOpt = None, debug: DebugOpt = False) -> None:
    """Collect every cloud the config has a section for ([aws], [azure], [gcp]), in turn.

    The same as `collect aws`, `collect azure` and `collect gcp` one after the other: a cloud
    that fails is reported and the others still run. Exit status 2 when a cloud failed or was
    collected in part; 1 when the config names no cloud.
    """
    from collectors.aws.collect import collect_aws
    from collectors.azure.collect import collect_azure
    from collectors.gcp.collect import collect_gcp

    ctx = resolve(db, config)
    clouds = [
        (name, settings, run)
        for name, settings, run in (("aws", ctx.config.aws, collect_aws),
                                    ("azure", ctx.config.azure, collect_azure),
                                    ("gcp", ctx.config.gcp, collect_gcp))
        if settings is not None
    ]  # fmt: skip
    if not clouds:
        where = ctx.config_path or "the configuration file"
        raise CloudSpendError(f"{where}: no [aws], [azure] or [gcp] section; nothing to collect")
    failed = [name for name, settings, run in clouds if not _collect_one(name, settings, run, ctx)]
    if failed:
        err.print(f"[yellow]Not fully collected:[/] {', '.join(failed)}")
        raise typer.Exit(2)


def _collect_one(
    cloud: str, settings: Any, run: Callable[..., CollectReport], ctx: Context
) -> bool:
    """``_collect`` for `collect all`: False instead of stopping when the cloud fails."""
    out.print(f"[bold]Collecting {cloud}[/]")
    try:
        _collect(cloud, settings, run, ctx)
    except typer.Exit:
        return False
    except CloudSpendError as exc:
        err.print(f"[red]Error ({cloud}):[/] {escape(str(exc))}", highlight=False)
        return False
    return True


@collect_app.command("azure-cost-details")
@user_errors
def collect_azure_cost_details(
    scope: Annotated[
        str,
        typer.Argument(
            help="Billing scope, e.g. providers/Microsoft.Billing/billingAccounts/<id> or "
            "subscriptions/<id>."
        ),
    ],
    start: Annotated[str, typer.Argument(help="First day, YYYY-MM-DD.")],
    end: Annotated[str, typer.Argument(help="Last day (inclusive), YYYY-MM-DD.")],
    db: DbOpt = None,
    config: ConfigOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Pull Azure actual and amortized cost through the Cost Details API and load it.

    An ad-hoc alternative to exports: both views for the scope and days, loaded like `ingest`."""
    import datetime as dt

    from collectors.azure.clients import AzureClients
    from collectors.azure.cost_details_api import pull_cost_details

    ctx = resolve(db, config)
    settings = ctx.config.azure
    if settings is None:
        where = ctx.config_path or "the configuration file"
        raise CloudSpendError(f"{where}: no [azure] section; see `cloudspend config check`")
    try:
        first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    except ValueError as exc:
        raise CloudSpendError(f"dates must be YYYY-MM-DD: {exc}") from exc
    dest = ctx.db_path.parent / "cache" / "azure-cost-details" / scope.strip("/").replace("/", "_")
    with _progress() as bar:
        bar.add_task(f"generating the cost details report for {scope}", total=None)
        folders = pull_cost_details(AzureClients(settings), scope, first, last, dest)
    _ingest(ctx, [folders[0].parent])


@config_app.command("check")
@user_errors
def config_check(db: DbOpt = None, config: ConfigOpt = None, debug: DebugOpt = False) -> None:
    """Validate the configuration file and show the settings in force."""
    from analysis.registry import check_overrides

    ctx = resolve(db, config)
    check_overrides(ctx.config.analysis)
    out.print(f"Configuration file: {ctx.config_path or '(none: built-in defaults)'}")
    out.print(f"Warehouse: {ctx.db_path}  (from {ctx.db_source})")
    wc = ctx.config.warehouse
    out.print(f"DuckDB memory limit: {wc.memory_limit}; threads: {wc.threads or 'all cores'}")
    missing = []
    for name, ref in secret_refs(ctx.config):
        is_set = ref.env in os.environ
        out.print(f"Secret {name}: from ${ref.env} ({'set' if is_set else 'NOT SET'})")
        if not is_set:
            missing.append(ref.env)
    if missing:
        raise CloudSpendError(f"environment variable(s) not set: {', '.join(missing)}")
    for name, values in ctx.config.analysis.items():
        out.print(f"Analyzer {name}: " + ", ".join(f"{k} = {v!r}" for k, v in values.items()))
    out.print("[green]Configuration OK[/]")


@app.callback(invoke_without_command=True)
def main(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    """cloudspend: multi-cloud cost-optimization analyzer for FinOps teams."""
    if version:
        out.print(f"cloudspend {__version__}")
        raise typer.Exit()


import cloudspend.cli_dashboard  # noqa: E402  (dashboard)
import cloudspend.cli_findings  # noqa: E402,F401  (findings list|totals|show|...)
from cloudspend import cli_report  # noqa: E402,F401  (report, export, schedule)
