"""What one AWS collection observed: the three warehouse tables, the inventory scopes read
completely, and the problems met on the way."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from botocore.exceptions import BotoCoreError, ClientError

from collectors.aws.rows import Row
from collectors.observations import Observations as SharedObservations

MESSAGE_CHARS = 300


@dataclass(frozen=True, order=True)
class Problem:
    """Something that could not be read: an account (region None), a region, or one service."""

    account_id: str | None
    region: str | None
    service: str
    message: str

    def __str__(self) -> str:
        where = "/".join(x for x in (self.account_id, self.region) if x) or "aws"
        return f"{where} {self.service}: {self.message}"


def describe(exc: ClientError | BotoCoreError) -> str:
    """An error as ``Code: message`` (AWS error messages never carry credentials)."""
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        text = f"{error.get('Code', 'Error')}: {error.get('Message', '')}".rstrip(": ")
    else:
        text = f"{type(exc).__name__}: {exc}"
    text = " ".join(text.split())  # an HTML error page on one line
    return text if len(text) <= MESSAGE_CHARS else text[: MESSAGE_CHARS - 3] + "..."


class Observations(SharedObservations[Problem]):
    """What one AWS collection observed (see ``collectors/observations.py``)."""


def fill_specs(rows: Sequence[Row], specs: dict[str, tuple[float, float]]) -> None:
    """Set vCPU and memory of instances and databases that have none, from ``specs``."""
    for row in rows:
        if row["resource_type"] in {"vm", "db"} and row["vcpu"] is None and row["sku"] in specs:
            row["vcpu"], row["memory_gib"] = specs[row["sku"]]
