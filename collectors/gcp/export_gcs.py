"""Billing export files a user extracted from the BigQuery table (``bq extract``: JSON lines,
Avro or Parquet), from Cloud Storage or a local folder, as folders ``cloudspend ingest`` reads.

``gs://BUCKET/PREFIX``: the newest ``months`` ``invoice_month=YYYYMM/`` folders under the prefix
are mirrored to ``<cache>/gcp/gs/BUCKET/<object name>``; without such folders, every object under
the prefix is. The listing carries each object's generation, MD5 and size, kept beside the copy
(``.<name>.gcs``), so an unchanged object is never downloaded again; local files whose object is
gone are pruned. A local folder is read where it is.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from google.api_core import exceptions as gexc
from google.api_core.client_options import ClientOptions
from google.auth.credentials import Credentials
from google.auth.exceptions import GoogleAuthError
from google.cloud import storage  # type: ignore[attr-defined]
from google.cloud.storage.retry import DEFAULT_RETRY  # type: ignore[import-untyped]

from collectors.base import CollectorError
from collectors.gcp.export_common import (
    FetchedBilling,
    Tell,
    period_of,
    say,
    with_settings,
)
from collectors.gcp.export_errors import credentials_error, storage_error
from collectors.gcp.settings import GcpBillingExport, GcpConfig, GcpRetry

MONTH_FOLDER = re.compile(r"^(?P<folder>(?:.*/)?invoice_month=(?P<month>\d{6}))/")


def storage_client(config: GcpConfig, credentials: Credentials | None = None) -> storage.Client:
    """A client for ``[gcp.endpoints].storage`` (default: Google's); Application Default
    Credentials unless ``credentials`` is given."""
    export = config.billing_export or GcpBillingExport()
    endpoint = config.endpoints.storage
    try:
        return storage.Client(
            project=export.query_project,
            credentials=credentials,
            client_options=ClientOptions(api_endpoint=endpoint) if endpoint else None,
        )
    except GoogleAuthError as exc:
        raise credentials_error("Cloud Storage", exc) from exc


def fetch_files(
    client: storage.Client | None,
    export: GcpBillingExport,
    cache: Path,
    tell: Tell | None = None,
    *,
    retry: GcpRetry | None = None,
) -> FetchedBilling:
    """The newest ``export.months`` month folders of ``export.files``, mirrored when in GCS."""
    where = export.files or ""
    if not where.startswith("gs://"):
        return local_months(Path(where).expanduser(), export.months)
    if client is None:
        raise CollectorError(f"{where}: a Cloud Storage client is needed to read it")
    bucket, _, prefix = where.removeprefix("gs://").partition("/")
    mirror = _Mirror(client, bucket, prefix.strip("/"), cache / "gcp" / "gs" / bucket, retry)
    try:
        return mirror.fetch(export.months, tell)
    except (gexc.GoogleAPIError, GoogleAuthError) as exc:
        raise storage_error(exc, where) from exc


def local_months(folder: Path, months: int) -> FetchedBilling:
    """A local export: its newest ``months`` month folders, or the folder itself."""
    if not folder.is_dir():
        raise CollectorError(f"{folder}: [gcp.billing_export] files is not a folder")
    found = {p.name.removeprefix("invoice_month="): p for p in folder.glob("**/invoice_month=*")}
    chosen = sorted(m for m in found if re.fullmatch(r"\d{6}", m))[-months:]
    if not chosen:
        return FetchedBilling(folder, sources=[folder])
    return FetchedBilling(
        folder, periods=[period_of(m) for m in chosen], sources=[found[m] for m in chosen]
    )


class _Mirror:
    """One bucket prefix mirrored below ``root`` (= ``<cache>/gcp/gs/<bucket>``)."""

    def __init__(
        self, client: Any, bucket: str, prefix: str, root: Path, retry: GcpRetry | None
    ) -> None:
        self.client, self.bucket, self.prefix, self.root = client, bucket, prefix, root
        self.retry = with_settings(DEFAULT_RETRY, retry or GcpRetry())

    def fetch(self, months: int, tell: Tell | None) -> FetchedBilling:
        listing = {
            b.name: b
            for b in self.client.list_blobs(
                self.bucket, prefix=f"{self.prefix}/" if self.prefix else None, retry=self.retry
            )
            if not b.name.endswith("/")
        }
        folders = {m["folder"]: m["month"] for m in map(MONTH_FOLDER.match, listing) if m}
        chosen = sorted(set(folders.values()))[-months:]
        wanted = sorted(f for f, month in folders.items() if month in chosen)
        fetched = FetchedBilling(self.root / self.prefix)
        fetched.periods = [period_of(m) for m in chosen]
        fetched.sources = [self.root / f for f in wanted] or [fetched.root]
        for name, blob in sorted(listing.items()):
            if not wanted or any(name.startswith(f + "/") for f in wanted):
                self._download(blob, fetched, tell)
        self._prune(fetched.root, set(listing))
        return fetched

    def _download(self, blob: Any, fetched: FetchedBilling, tell: Tell | None) -> None:
        target = self.root / blob.name
        stamp = target.with_name(f".{target.name}.gcs")
        version = f"{blob.generation} {blob.md5_hash or blob.etag} {blob.size}"
        if target.is_file() and stamp.is_file() and stamp.read_text() == version:
            fetched.reused += 1
            return
        say(tell, f"downloading gs://{self.bucket}/{blob.name}")
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.part")
        blob.download_to_filename(str(partial), retry=self.retry)
        partial.replace(target)
        stamp.write_text(version)
        fetched.downloaded += 1

    def _prune(self, top: Path, names: set[str]) -> None:
        """Drop local copies (and stamps, partial downloads) of objects the bucket lost."""
        if not top.is_dir():
            return
        for path in sorted(top.rglob("*"), reverse=True):
            if path.is_dir():
                if not any(path.iterdir()):
                    path.rmdir()
                continue
            data = path
            if path.name.startswith(".") and path.suffix in (".gcs", ".part"):
                data = path.with_name(path.name[1:].removesuffix(path.suffix))
            if path.suffix == ".part" or data.relative_to(self.root).as_posix() not in names:
                path.unlink()
