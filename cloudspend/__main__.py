"""`python -m cloudspend` runs the CLI."""

from cloudspend.cli import app

app(prog_name="cloudspend")
