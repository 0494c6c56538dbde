"""`cloudspend dashboard`: the Streamlit dashboard on the resolved warehouse, bound to the
loopback interface unless told otherwise."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from cloudspend.cli import ConfigOpt, DbOpt, DebugOpt, app, err, out, user_errors
from cloudspend.context import resolve

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def streamlit_command(host: str, port: int, secrets: Path | None) -> list[str]:
    """The ``streamlit run`` command line for the packaged app."""
    import dashboard

    entry = Path(dashboard.__file__).with_name("app.py")
    cmd = [sys.executable, "-m", "streamlit", "run", str(entry),
           "--server.address", host, "--server.port", str(port), "--server.headless", "true",
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
           "--client.toolbarMode", "viewer"]  # fmt: skip
    if secrets is not None:
        cmd += ["--secrets.files", str(secrets)]
    return cmd


@app.command()
@user_errors
def dashboard(
    port: Annotated[int, typer.Option(help="TCP port to listen on.")] = 8501,
    host: Annotated[
        str,
        typer.Option(help="Address to bind. Anything but the loopback exposes your cost data: "
                     "put a login (st.login) or an authenticating proxy in front."),
    ] = "127.0.0.1",
    secrets: Annotated[
        Path | None,
        typer.Option(help="Streamlit secrets.toml with the login ([auth]); the allow-list is the "
                     "config's [dashboard] allow (docs/dashboard.md)."),
    ] = None,
    db: DbOpt = None,
    config: ConfigOpt = None,
    debug: DebugOpt = False,
) -> None:  # fmt: skip
    """Open the dashboard: spend, findings, commitments, tags, resources and what is loaded.

    Reads the warehouse only; keeps showing the last complete data while a load runs. Binds to
    127.0.0.1 by default; see docs/dashboard.md for sharing it safely.
    """
    ctx = resolve(db, config)
    if host not in LOOPBACK:
        err.print(f"[yellow]Warning:[/] listening on {host}: anyone who can reach it sees your "
                  "cost data unless a login (--secrets with [auth]) or an authenticating proxy "
                  "stands in front.", highlight=False)  # fmt: skip
    wc = ctx.config.warehouse
    policy = ctx.config.analysis.get("untagged_resource", {})
    env = dict(os.environ, CLOUDSPEND_DB=str(ctx.db_path), CLOUDSPEND_MEMORY_LIMIT=wc.memory_limit,
               CLOUDSPEND_TAG_POLICY=json.dumps(policy),
               CLOUDSPEND_DASHBOARD_ALLOW=json.dumps(ctx.config.dashboard.allow))  # fmt: skip
    if wc.threads:
        env["CLOUDSPEND_THREADS"] = str(wc.threads)
    out.print(f"Warehouse: {ctx.db_path}")
    out.print(f"Dashboard: http://{host}:{port}")
    try:
        code = subprocess.call(streamlit_command(host, port, secrets), env=env)
    except KeyboardInterrupt:
        code = 0
    raise typer.Exit(code)
