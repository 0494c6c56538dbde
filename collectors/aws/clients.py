"""boto3 clients for every account and region the ``[aws]`` configuration names.

Credentials come only from boto3's standard chain (environment, shared files, SSO, instance or
container roles). For a member account other than the caller's, the client uses temporary
credentials from STS AssumeRole into ``arn:aws:iam::<account>:role/<role_name>``; they are kept in
memory only, renewed shortly before they expire, and never logged. Every client comes from the one
base session, so the service models are loaded once, not once per account.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import boto3
from botocore.config import Config

from collectors.aws.rows import UTC, partition
from collectors.aws.settings import AwsConfig

SESSION_NAME = "cloudspend"
HOME_REGION = "us-east-1"  # STS and region discovery, when the session names no region
RENEW_BEFORE = dt.timedelta(minutes=10)


class AwsClients:
    """A cache of boto3 clients per (service, region, account), built from the configuration."""

    def __init__(self, settings: AwsConfig, session: boto3.Session | None = None) -> None:
        self.settings = settings
        self._base = session or boto3.Session()
        self.home_region = self._base.region_name or HOME_REGION
        self._config = Config(
            retries={"mode": settings.retry_mode, "total_max_attempts": settings.max_attempts}
        )
        self._lock = threading.RLock()
        self._clients: dict[tuple[str, str, str], tuple[Any, dict[str, str] | None]] = {}
        self._assumed: dict[str, tuple[dict[str, str], dt.datetime | None]] = {}
        self._caller: str | None = None

    def client(self, service: str, region: str, account_id: str | None = None) -> Any:
        """A client for ``service`` in ``region``, as ``account_id`` (default: the caller)."""
        account = account_id or self.caller_account()
        with self._lock:
            creds = self.credentials(account)
            key = (service, region, account)
            cached = self._clients.get(key)
            if cached is not None and cached[1] is creds:
                return cached[0]
            made = self._base.client(
                service,
                region_name=region,
                endpoint_url=self.settings.endpoints.get(service),
                config=self._config,
                **(creds or {}),
            )
            self._clients[key] = (made, creds)
            return made

    def can_reach(self, service: str) -> bool:
        """Whether calls to ``service`` may be made: always, unless endpoints are overridden
        (tests, local fakes) and ``service`` has no override of its own."""
        return not self.settings.endpoints or service in self.settings.endpoints

    def credentials(self, account_id: str) -> dict[str, str] | None:
        """None for the caller's own account (the standard chain); for a member account, the
        assumed role's temporary credentials as client keyword arguments (renewed when close
        to expiry). Raises botocore's ClientError when AssumeRole is refused."""
        with self._lock:
            if account_id == self.caller_account():
                return None
            cached = self._assumed.get(account_id)
            now = dt.datetime.now(UTC)
            if cached and (cached[1] is None or cached[1] - RENEW_BEFORE > now):
                return cached[0]
            self._assumed[account_id] = self._assume(account_id)
            return self._assumed[account_id][0]

    def role_arn(self, account_id: str) -> str:
        """The role assumed in a member account."""
        return f"arn:{partition(self.home_region)}:iam::{account_id}:role/{self.settings.role_name}"

    def _assume(self, account_id: str) -> tuple[dict[str, str], dt.datetime | None]:
        sts = self.client("sts", self.home_region)
        granted = sts.assume_role(RoleArn=self.role_arn(account_id), RoleSessionName=SESSION_NAME)
        creds = granted["Credentials"]
        keys = {
            "aws_access_key_id": creds["AccessKeyId"],
            "aws_secret_access_key": creds["SecretAccessKey"],
            "aws_session_token": creds["SessionToken"],
        }
        expires = creds.get("Expiration")
        return keys, expires.astimezone(UTC) if isinstance(expires, dt.datetime) else None

    def caller_account(self) -> str:
        """The account the base credentials belong to (STS GetCallerIdentity, asked once)."""
        with self._lock:
            if self._caller is None:
                sts = self._base.client(
                    "sts",
                    region_name=self.home_region,
                    endpoint_url=self.settings.endpoints.get("sts"),
                    config=self._config,
                )
                self._caller = str(sts.get_caller_identity()["Account"])
                self._clients[("sts", self.home_region, self._caller)] = (sts, None)
            return self._caller

    def accounts(self) -> list[str]:
        """The configured member accounts, or just the caller's."""
        return list(self.settings.accounts) or [self.caller_account()]

    def regions(self, account_id: str) -> list[str]:
        """The configured regions, or every region enabled for the account."""
        if self.settings.regions:
            return list(self.settings.regions)
        ec2 = self.client("ec2", self.home_region, account_id)
        found = ec2.describe_regions()["Regions"]
        return sorted(r["RegionName"] for r in found)
