"""The configuration file (TOML), validated by pydantic models that reject unknown keys.

Secrets are never written in the file: a secret setting names the environment variable that holds
it, as ``password = { env = "CLOUDSPEND_SMTP_PASSWORD" }``.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from collectors.aws.settings import AwsConfig
from collectors.azure.settings import AzureConfig
from collectors.gcp.settings import GcpConfig
from warehouse.errors import CloudSpendError

APP = "cloudspend"


class ConfigError(CloudSpendError):
    """The configuration file is missing, unreadable or invalid."""


class Strict(BaseModel):
    """Base of every config section: unknown keys are errors, so typos never pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class EnvSecret(Strict):
    """A secret held in an environment variable; the file only names the variable."""

    env: Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", description="variable name")]

    def resolve(self) -> str:
        """The secret's value; a clear error when the variable is not set."""
        value = os.environ.get(self.env)
        if value is None:
            raise ConfigError(f"the environment variable {self.env} is not set")
        return value


class WarehouseConfig(Strict):
    """[warehouse]: where the DuckDB file lives and what DuckDB may use."""

    path: Path | None = Field(
        None, description="DuckDB file; default: cloudspend.duckdb in the user data directory"
    )
    memory_limit: str = Field("1GB", description="DuckDB memory limit per connection, e.g. 2GB")
    threads: int | None = Field(None, ge=1, description="DuckDB threads; default: all cores")
    lock_timeout_seconds: float = Field(
        600, gt=0, description="how long a load waits for another load to finish (seconds)"
    )


class ReportConfig(Strict):
    """[report]: who gets the weekly report e-mail, and what it shows."""

    sender: str = Field("cloudspend@localhost", description="From address of the report e-mail")
    recipients: list[str] = Field(
        default_factory=list, description="addresses that get the whole company's report"
    )
    owners: dict[str, list[str]] = Field(
        default_factory=dict,
        description="[report.owners]: Owner tag value -> addresses that get that owner's report",
    )
    top_services: int = Field(8, ge=1, le=50, description="services listed with their change")
    stale_after_days: int = Field(
        2, ge=0, description="a source this many days behind the newest is flagged stale (days)"
    )


class SmtpConfig(Strict):
    """[smtp]: the mail server; user and password only from environment variables."""

    host: str = Field(description="SMTP server host name")
    port: int = Field(587, ge=1, le=65535, description="587 for STARTTLS, 465 for TLS, 25 none")
    security: Literal["starttls", "tls", "none"] = Field(
        "starttls", description="starttls (upgrade), tls (implicit) or none (plain, local relay)"
    )
    user: EnvSecret | None = Field(None, description='login name, e.g. { env = "SMTP_USER" }')
    password: EnvSecret | None = Field(None, description="password from an environment variable")
    timeout_seconds: float = Field(30, gt=0, description="network timeout (seconds)")


class DashboardConfig(Strict):
    """[dashboard]: who may see a shared dashboard (with a login; docs/dashboard.md)."""

    allow: list[str] = Field(
        default_factory=list,
        description="e-mail addresses ('ada@example.com') or domains ('@example.com') let in "
        "after Streamlit's OIDC login; empty: anyone who can reach the dashboard",
    )


class Config(Strict):
    """The whole configuration file."""

    warehouse: WarehouseConfig = WarehouseConfig()
    aws: AwsConfig | None = None
    azure: AzureConfig | None = None
    gcp: GcpConfig | None = None
    report: ReportConfig = ReportConfig()
    smtp: SmtpConfig | None = None
    dashboard: DashboardConfig = DashboardConfig()
    analysis: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="[analysis.<analyzer>]: parameter overrides (see docs/analyzers.md)",
    )


def default_config_path() -> Path:
    """Where the configuration file is looked for when none is named."""
    return Path(platformdirs.user_config_dir(APP)) / "cloudspend.toml"


def default_db_path() -> Path:
    """The warehouse used when neither --db, CLOUDSPEND_DB nor the config names one."""
    return Path(platformdirs.user_data_dir(APP)) / "cloudspend.duckdb"


def load_config(path: Path | None) -> tuple[Config, Path | None]:
    """The configuration from ``path`` (or the default location, if a file is there)."""
    if path is None:
        candidate = default_config_path()
        if not candidate.is_file():
            return Config(), None
        path = candidate
    if not path.is_file():
        raise ConfigError(f"{path}: no such configuration file")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    try:
        return Config.model_validate(data), path
    except ValidationError as exc:
        raise ConfigError(f"{path}: {_describe(exc)}") from exc


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"])
        what = "unknown setting" if err["type"] == "extra_forbidden" else err["msg"]
        parts.append(f"{where}: {what}")
    return "; ".join(parts)


def secret_refs(model: BaseModel, prefix: str = "") -> list[tuple[str, EnvSecret]]:
    """Every secret reference in a config, with its dotted setting name."""
    found: list[tuple[str, EnvSecret]] = []
    for name in type(model).model_fields:
        value = getattr(model, name)
        key = f"{prefix}{name}"
        if isinstance(value, EnvSecret):
            found.append((key, value))
        elif isinstance(value, BaseModel):
            found.extend(secret_refs(value, key + "."))
    return found
