"""What one GCP collection observed: the three warehouse tables, the inventory scopes read
completely, and the problems met on the way."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from google.api_core import exceptions

from collectors.gcp.rows import GLOBAL, PROVIDER, Row
from collectors.observations import Observations as SharedObservations
from warehouse.observations import ResourceScope

MESSAGE_CHARS = 300
NO_ACCESS = (exceptions.Forbidden, exceptions.PermissionDenied, exceptions.NotFound,
             exceptions.Unauthorized, exceptions.Unauthenticated)  # fmt: skip


@dataclass(frozen=True, order=True)
class Problem:
    """Something that could not be read: a project (service ``project``), one part of its
    inventory, its metrics, the projects of a billing account, or the catalogue prices
    (project None)."""

    project: str | None
    service: str
    message: str

    def __str__(self) -> str:
        return f"{self.project or 'gcp'} {self.service}: {self.message}"


def describe(exc: BaseException) -> str:
    """An error as ``<status> <reason>: message`` on one line (API errors carry no secrets)."""
    if isinstance(exc, exceptions.GoogleAPICallError):
        reason = exc.reason or type(exc).__name__
        text = f"{exc.code} {reason}: {exc.message}"
    else:
        text = f"{type(exc).__name__}: {exc}"
    text = " ".join(text.split())
    return text if len(text) <= MESSAGE_CHARS else text[: MESSAGE_CHARS - 3] + "..."


class Observations(SharedObservations[Problem]):
    """What one GCP collection observed (see ``collectors/observations.py``)."""


def scopes_of(
    project: str, rows: Iterable[Row], kinds: Iterable[str], regions: Iterable[str]
) -> list[ResourceScope]:
    """The scopes of ``kinds`` read completely in a project: every region an aggregated list
    answered for (``regions``), every region its rows lie in, and ``global``."""
    found = {str(r["region"]) for r in rows} | set(regions) | {GLOBAL}
    return [ResourceScope(PROVIDER, project, region, kind)
            for kind in kinds for region in sorted(found)]  # fmt: skip
