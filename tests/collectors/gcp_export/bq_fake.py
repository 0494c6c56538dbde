"""A fake BigQuery REST API (v2) in a thread: jobs.insert, jobs.get and jobs.getQueryResults
with paging, answering in BigQuery's own wire format.

It understands exactly one query shape, the one the billing fetch sends (``SELECT *`` with an
invoice-month and a ``_PARTITIONTIME`` filter), evaluates it over seeded rows, each with the
partition day the export wrote it to, and counts as "bytes processed" the JSON size of every row
in the partitions the filter keeps. Like a table with ``require_partition_filter``, it rejects a
query without a partition filter. Missing tables answer 404 and tables listed in ``denied`` 403,
as BigQuery does. Every request is recorded.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from tests.collectors.gcp_export.bq_schema import SCHEMA, Field, encode_row
from tests.collectors.gcp_export.json_http import JsonServer, Reply, Request

FILTER = re.compile(
    r"FROM `(?P<table>[^`]+)`\s+WHERE DATE\(_PARTITIONTIME\) BETWEEN @first AND @last"
    r"\s+AND invoice\.month = @month\s*$"
)
JOBS = re.compile(r"^/bigquery/v2/projects/(?P<project>[^/]+)/jobs$")
JOB = re.compile(r"^/bigquery/v2/projects/(?P<project>[^/]+)/(?P<kind>jobs|queries)/(?P<id>[^/]+)$")


class Seeded(NamedTuple):
    """A table row, the day the export wrote it (its partition) and its wire form."""

    partition: dt.date
    row: dict[str, Any]
    wire: dict[str, Any]
    size: int  # bytes a scan of it counts


def seed(row: dict[str, Any], partition: dt.date, schema: list[Field] = SCHEMA) -> Seeded:
    wire = encode_row(row, schema)
    return Seeded(partition, row, wire, len(json.dumps(wire)))


@dataclass
class FakeTable:
    rows: list[Seeded]
    schema: list[Field] = field(default_factory=lambda: SCHEMA)


@dataclass
class Job:
    resource: dict[str, Any]
    rows: list[Seeded]
    schema: list[Field]


class FakeBigQuery:
    """``with FakeBigQuery() as bq: bq.url`` — seed with ``bq.tables[table_id] = FakeTable(…)``."""

    def __init__(self) -> None:
        self.tables: dict[str, FakeTable] = {}
        self.denied: set[str] = set()
        self.jobs: dict[str, Job] = {}
        self.requests: list[dict[str, Any]] = []
        self.server = JsonServer(self.route)

    @property
    def url(self) -> str:
        return self.server.url

    def queries(self) -> list[dict[str, Any]]:
        """The query job configurations inserted so far."""
        return [r["body"]["configuration"] for r in self.requests if JOBS.match(r["path"])]

    def __enter__(self) -> FakeBigQuery:
        self.server.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.stop()

    def route(self, request: Request) -> Reply:
        """Answer one request (the HTTP server calls this for each)."""
        self.requests.append(request)
        method, path = request["method"], request["path"]
        inserted = JOBS.match(path)
        if inserted and method == "POST":
            return self.insert(inserted["project"], request["body"])
        known = JOB.match(path)
        if known and method == "GET" and known["kind"] == "queries":
            return self.results(known["id"], request["query"])
        if known and method == "GET" and known["id"] in self.jobs:
            return 200, self.jobs[known["id"]].resource
        return error(404, "notFound", f"no fake route for {method} {path}")

    def insert(self, project: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        config = body["configuration"]
        sql = config["query"]["query"]
        found = FILTER.search(sql)
        table = found["table"] if found else (re.findall(r"`([^`]+)`", sql) or ["?"])[0]
        if table in self.denied:
            why = "User does not have permission to query table, or perhaps it does not exist."
            return error(403, "accessDenied", f"Access Denied: Table {table}: {why}")
        if table not in self.tables:
            return error(404, "notFound", f"Not found: Table {table} was not found in location US")
        if "_PARTITIONTIME" not in sql:
            return error(400, "invalidQuery", f"Cannot query over table '{table}' without a "
                          "filter over column(s) '_PARTITIONTIME' that can be used for partition "
                          "elimination")  # fmt: skip
        if not found:
            return error(400, "invalidQuery", f"the fake does not understand: {sql}")
        params = {
            p["name"]: p["parameterValue"]["value"] for p in config["query"]["queryParameters"]
        }
        return 200, self._run(project, body, self.tables[table], params)

    def _run(self, project: str, body: dict[str, Any], table: FakeTable, params: dict[str, str]
             ) -> dict[str, Any]:  # fmt: skip
        first, last = dt.date.fromisoformat(params["first"]), dt.date.fromisoformat(params["last"])
        scanned = [s for s in table.rows if first <= s.partition <= last]
        month = params["month"]
        rows = [s for s in scanned if (s.row.get("invoice") or {}).get("month") == month]
        processed = str(sum(s.size for s in scanned))
        ref = {**body["jobReference"], "projectId": project, "location": "US"}
        resource = {
            "kind": "bigquery#job",
            "id": f"{project}:US.{ref['jobId']}",
            "jobReference": ref,
            "configuration": body["configuration"],
            "status": {"state": "DONE"},
            "statistics": {
                "creationTime": "1790000000000", "startTime": "1790000000100",
                "endTime": "1790000000200", "totalBytesProcessed": processed,
                "query": {"totalBytesProcessed": processed, "totalBytesBilled": processed,
                          "statementType": "SELECT", "cacheHit": False},
            },
        }  # fmt: skip
        self.jobs[ref["jobId"]] = Job(resource, rows, table.schema)
        return resource

    def results(self, job_id: str, query: dict[str, list[str]]) -> tuple[int, dict[str, Any]]:
        job = self.jobs.get(job_id)
        if job is None:
            return error(404, "notFound", f"Not found: Job {job_id}")
        start = int((query.get("pageToken") or query.get("startIndex") or ["0"])[0])
        size = int(query.get("maxResults", ["1000"])[0])
        page = job.rows[start : start + size]
        body: dict[str, Any] = {
            "kind": "bigquery#getQueryResultsResponse",
            "jobReference": job.resource["jobReference"],
            "jobComplete": True,
            "schema": {"fields": job.schema},
            "totalRows": str(len(job.rows)),
            "totalBytesProcessed": job.resource["statistics"]["totalBytesProcessed"],
            "cacheHit": False,
        }
        if size:
            body["rows"] = [s.wire for s in page]
        if size and start + size < len(job.rows):
            body["pageToken"] = str(start + size)
        return 200, body


def error(status: int, reason: str, message: str) -> tuple[int, dict[str, Any]]:
    errors = [{"reason": reason, "message": message, "domain": "global"}]
    return status, {"error": {"code": status, "message": message, "errors": errors}}
