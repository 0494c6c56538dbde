"""What one Azure collection observed: the three warehouse tables, the inventory scopes read
completely, and the problems met on the way."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from azure.core.exceptions import AzureError, HttpResponseError

from collectors.azure.rows import Row
from collectors.observations import Observations as SharedObservations
from warehouse.observations import ResourceScope

MESSAGE_CHARS = 300


@dataclass(frozen=True, order=True)
class Problem:
    """Something that could not be read: a subscription (service ``subscription``), one part
    of its inventory, its metrics, or the retail prices (subscription None)."""

    subscription_id: str | None
    service: str
    message: str

    def __str__(self) -> str:
        return f"{self.subscription_id or 'azure'} {self.service}: {self.message}"


def describe(exc: AzureError) -> str:
    """An error as ``<status> <code>: message`` on one line (ARM errors carry no secrets)."""
    if isinstance(exc, HttpResponseError):
        error = exc.error
        code = error.code if error and error.code else exc.reason or "Error"
        message = error.message if error and error.message else ""
        text = f"{exc.status_code} {code}: {message}".rstrip(": ")
    else:
        text = f"{type(exc).__name__}: {exc.message}"
    text = " ".join(text.split())
    return text if len(text) <= MESSAGE_CHARS else text[: MESSAGE_CHARS - 3] + "..."


class Observations(SharedObservations[Problem]):
    """What one Azure collection observed (see ``collectors/observations.py``)."""


def scopes_of(subscription: str, rows: Iterable[Row], kinds: Iterable[str]) -> list[ResourceScope]:
    """The scopes of ``kinds`` read completely in a subscription: every region its rows lie in
    (a region whose last resource of a kind went away keeps that stale row; see README)."""
    regions = {str(r["region"]) for r in rows} | {"global"}
    return [ResourceScope("azure", subscription, region, kind)
            for kind in kinds for region in sorted(regions)]  # fmt: skip
