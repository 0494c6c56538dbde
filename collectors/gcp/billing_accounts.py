"""Which projects to read: the configured ``projects``; else the projects linked to
``billing_account`` (``billingAccounts.projects.list``) with billing enabled; else those of
every open billing account the credential can list (``billingAccounts.list``)."""

from __future__ import annotations

from collections.abc import Iterable

from collectors.gcp.clients import GcpClients
from collectors.gcp.rows import Json, to_json


def fetch_accounts(clients: GcpClients) -> list[Json]:
    """billingAccounts.list, every page."""
    pager = clients.billing.list_billing_accounts(request={}, retry=clients.retry)
    return [to_json(page) for page in pager.pages]


def fetch_links(clients: GcpClients, account: str) -> list[Json]:
    """billingAccounts.projects.list of one account (``XXXXXX-XXXXXX-XXXXXX``), every page."""
    name = account if account.startswith("billingAccounts/") else f"billingAccounts/{account}"
    pager = clients.billing.list_project_billing_info(name=name, retry=clients.retry)
    return [to_json(page) for page in pager.pages]


def open_accounts(pages: Iterable[Json]) -> list[str]:
    """The ``billingAccounts/<id>`` names of open accounts."""
    return sorted({str(a["name"]) for page in pages for a in page.get("billingAccounts") or []
                   if a.get("open")})  # fmt: skip


def linked_projects(pages: Iterable[Json]) -> list[str]:
    """Project ids with billing enabled in ``projectBillingInfo`` pages."""
    return sorted({str(p["projectId"]) for page in pages
                   for p in page.get("projectBillingInfo") or []
                   if p.get("billingEnabled") and p.get("projectId")})  # fmt: skip


def project_ids(clients: GcpClients) -> list[str]:
    """The projects one collection reads (see the module docstring)."""
    settings = clients.settings
    if settings.projects:
        return sorted(set(settings.projects))
    if settings.billing_account:
        return linked_projects(fetch_links(clients, settings.billing_account))
    accounts = open_accounts(fetch_accounts(clients))
    return sorted({p for a in accounts for p in linked_projects(fetch_links(clients, a))})
