"""An in-process gRPC fake of Cloud Monitoring's ``ListTimeSeries`` (insecure, 127.0.0.1),
replaying recorded ``metrics/<project>/<metric type with / as _>.<ALIGNER>.json.gz`` answers.

The filter's ``metric.type`` and the aggregation's aligner pick the file (an unknown one is a
loud NOT_FOUND); points are cut to the request's interval (an aligned point belongs to it when
its end lies in (start, end]); ``page_series`` series per page with ``next_page_token``. Every page
served is checked against ``ListTimeSeriesResponse`` with unknown fields refused.
``fail(project, code, times)`` answers that project's next calls with an error.
"""

from __future__ import annotations

import gzip
import json
import re
import threading
from concurrent import futures
from pathlib import Path
from typing import Any

import grpc  # type: ignore[import-untyped]
from google.cloud import monitoring_v3
from google.protobuf import json_format  # type: ignore[import-untyped]

Json = dict[str, Any]
SERVICE = "google.monitoring.v3.MetricService"
_TYPE = re.compile(r'metric\.type\s*=\s*"([^"]+)"')


class FakeMonitoring:
    def __init__(self, folder: Path, page_series: int = 5) -> None:
        self.folder, self.page_series = folder, page_series
        self.requests: list[monitoring_v3.ListTimeSeriesRequest] = []
        self.faults: dict[str, list[tuple[Any, int]]] = {}
        self.lock = threading.Lock()
        self._files: dict[Path, Json] = {}
        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        handler = grpc.method_handlers_generic_handler(SERVICE, {
            "ListTimeSeries": grpc.unary_unary_rpc_method_handler(
                self.list_time_series,
                request_deserializer=monitoring_v3.ListTimeSeriesRequest.deserialize,
                response_serializer=lambda m: m.SerializeToString(),
            )})  # fmt: skip
        self.server.add_generic_rpc_handlers((handler,))
        self.port = self.server.add_insecure_port("127.0.0.1:0")

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.port}"

    def fail(self, project: str, code: Any, times: int = 1) -> None:
        with self.lock:
            self.faults.setdefault(project, []).append((code, times))

    def reset(self) -> None:
        with self.lock:
            self.requests.clear()
            self.faults.clear()

    def _load(self, path: Path) -> Json:
        with self.lock:
            if path not in self._files:
                self._files[path] = json.loads(gzip.decompress(path.read_bytes()))
            return self._files[path]

    def _fault(self, project: str) -> Any:
        with self.lock:
            waiting = self.faults.get(project, [])
            if waiting:
                code, times = waiting[0]
                waiting[0] = (code, times - 1)
                if times <= 1:
                    waiting.pop(0)
                return code
        return None

    def list_time_series(self, request: Any, context: Any) -> Any:
        with self.lock:
            self.requests.append(request)
        project = request.name.removeprefix("projects/")
        code = self._fault(project)
        if code is not None:
            context.abort(code, f"fake {code.name} for {project}")
        found = _TYPE.search(request.filter)
        aligner = monitoring_v3.Aggregation.Aligner(request.aggregation.per_series_aligner).name
        path = self.folder / project / f"{found.group(1).replace('/', '_') if found else '?'}" \
            f".{aligner}.json.gz"  # fmt: skip
        if not path.is_file():
            context.abort(grpc.StatusCode.NOT_FOUND, f"no recorded answer {path.name} for "
                          f"{project}")  # fmt: skip
        series = _cut(self._load(path)["timeSeries"], request.interval)
        start = int(request.page_token or 0)
        body: Json = {"timeSeries": series[start : start + self.page_series]}
        if start + self.page_series < len(series):
            body["nextPageToken"] = str(start + self.page_series)
        # the strict check runs on what is served (the whole file would take seconds)
        return json_format.ParseDict(body, monitoring_v3.ListTimeSeriesResponse.pb()(),
                                     ignore_unknown_fields=False)  # fmt: skip

    def __enter__(self) -> FakeMonitoring:
        self.server.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.stop(0).wait()


def _stamp(moment: Any) -> str:
    return str(moment.strftime("%Y-%m-%dT%H:%M:%SZ"))


def _cut(series: list[Json], interval: Any) -> list[Json]:
    start, end = _stamp(interval.start_time), _stamp(interval.end_time)
    out = []
    for item in series:
        points = [p for p in item.get("points") or []
                  if start < p["interval"]["endTime"] <= end]  # fmt: skip
        out.append({**item, "points": points})
    return out
