"""The credential the Azure collector signs its Resource Manager calls with.

By default azure-identity's DefaultAzureCredential (environment variables of a service principal,
workload identity, managed identity, the Azure CLI login), pointed at the configured Entra
authority. Tests and embedding programs pass any other ``TokenCredential`` instead. Tokens are
held by the credential object in memory only and never logged.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from azure.core.credentials import TokenCredential
from azure.identity import DefaultAzureCredential

from collectors.azure.settings import AzureConfig


def default_credential(settings: AzureConfig) -> TokenCredential:
    """DefaultAzureCredential for the configured authority (its host, as azure-identity wants)."""
    host = urlsplit(settings.authority).netloc or settings.authority
    return DefaultAzureCredential(authority=host)


def scope_of(resource_manager: str) -> str:
    """The token scope of a Resource Manager endpoint: ``<endpoint>/.default``."""
    return resource_manager.rstrip("/") + "/.default"
