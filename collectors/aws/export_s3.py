"""Fetch a CUR export from S3 into a local mirror that ``cloudspend ingest`` can read.

The manifests say what to fetch: for each billing period (the newest ``months``), the period's
manifest and the data files it lists. Keys keep their S3 layout below ``<cache>/<bucket>/``, so
the folder rules of ``collectors/aws/cur/exports.py`` apply unchanged. A file already mirrored
with the same size and ETag is not fetched again. DuckDB never reads S3 itself (no extension
downloads): boto3 fetches, DuckDB reads local files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from collectors.aws.settings import AwsExport
from collectors.base import CollectorError

CUR2_MANIFEST = re.compile(r"/metadata/BILLING_PERIOD=(\d{4}-\d{2})/[^/]+-Manifest\.json$")
LEGACY_MANIFEST = re.compile(r"/(\d{6})\d{2}-\d{8}/[^/]+-Manifest\.json$")
Tell = Callable[[str], None]


@dataclass
class Fetched:
    """What a fetch brought: the local export folder, and how much was new."""

    root: Path
    periods: list[str] = field(default_factory=list)
    sources: list[Path] = field(default_factory=list)  # one folder per period, to ingest
    downloaded: int = 0
    reused: int = 0


def fetch_export(s3: Any, export: AwsExport, cache: Path, tell: Tell | None = None) -> Fetched:
    """Mirror the newest ``export.months`` periods (manifest + listed files) under ``cache``."""
    manifests = _manifests(s3, export)
    if not manifests:
        where = f"s3://{export.bucket}/{export.prefix}"
        raise CollectorError(
            f"{where}: no CUR manifest (…/metadata/BILLING_PERIOD=YYYY-MM/*-Manifest.json or "
            "…/yyyymmdd-yyyymmdd/*-Manifest.json) under this prefix; check [aws.export]"
        )
    chosen = sorted(manifests.items(), reverse=True)
    if export.months:
        chosen = chosen[: export.months]
    fetched = Fetched(cache / export.bucket / export.prefix.strip("/"))
    for period, (key, _etag) in sorted(chosen):
        if tell:
            tell(f"fetching the {period} CUR from s3://{export.bucket}/{key}")
        manifest = _download(s3, export.bucket, key, cache, fetched)
        listed = {
            _download(s3, export.bucket, data_key, cache, fetched)
            for data_key in _data_keys(manifest, export.bucket)
        }
        folder = _period_folder(manifest)
        _prune(folder, listed | {manifest})
        fetched.periods.append(period)
        fetched.sources.append(folder)
    return fetched


def _period_folder(manifest: Path) -> Path:
    """The local folder holding a period's data files (CUR 2.0: ``data/BILLING_PERIOD=…``)."""
    if manifest.parent.name.startswith("BILLING_PERIOD="):
        return manifest.parent.parent.parent / "data" / manifest.parent.name
    return manifest.parent


def _prune(folder: Path, keep: set[Path]) -> None:
    """Drop mirrored files of earlier deliveries, so the folder holds just the newest one."""
    for path in list(folder.rglob("*")):
        if path.is_file() and path not in keep and path.with_suffix("") not in keep:
            path.unlink()


def _manifests(s3: Any, export: AwsExport) -> dict[str, tuple[str, str]]:
    """Billing period -> (manifest key, ETag) of each period's newest manifest."""
    found: dict[str, tuple[str, str, Any]] = {}
    prefix = export.prefix.strip("/")
    try:
        pages = s3.get_paginator("list_objects_v2").paginate(
            Bucket=export.bucket, Prefix=f"{prefix}/" if prefix else ""
        )
        for page in pages:
            for obj in page.get("Contents", []):
                period = _period_of("/" + obj["Key"])
                if period is None:
                    continue
                seen = found.get(period)
                if seen is None or obj["LastModified"] > seen[2]:
                    found[period] = (obj["Key"], obj.get("ETag", ""), obj["LastModified"])
    except (ClientError, BotoCoreError) as exc:
        where = f"s3://{export.bucket}/{prefix}"
        raise CollectorError(f"{where}: cannot list the export: {exc}") from exc
    return {p: (k, e) for p, (k, e, _) in found.items()}


def _period_of(key: str) -> str | None:
    cur2 = CUR2_MANIFEST.search(key)
    if cur2:
        return cur2[1]
    legacy = LEGACY_MANIFEST.search(key)
    return f"{legacy[1][:4]}-{legacy[1][4:]}" if legacy else None


def _data_keys(manifest: Path, bucket: str) -> list[str]:
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise CollectorError(f"{manifest}: not a readable CUR manifest ({exc})") from exc
    keys = data.get("dataFiles") or data.get("reportKeys") or []
    return [str(k).removeprefix(f"s3://{bucket}/") for k in keys]


def _download(s3: Any, bucket: str, key: str, cache: Path, fetched: Fetched) -> Path:
    """Fetch one object unless the mirror has it already (same size and ETag)."""
    target = cache / bucket / key
    tag_file = target.with_name(target.name + ".etag")
    try:
        head = s3.head_object(Bucket=bucket, Key=key)
        etag = f"{head.get('ETag', '')}:{head['ContentLength']}"
        if target.is_file() and tag_file.is_file() and tag_file.read_text() == etag:
            fetched.reused += 1
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        s3.download_file(bucket, key, str(partial))
    except (ClientError, BotoCoreError) as exc:
        raise CollectorError(f"s3://{bucket}/{key}: cannot fetch it: {exc}") from exc
    partial.replace(target)
    tag_file.write_text(etag)
    fetched.downloaded += 1
    return target
