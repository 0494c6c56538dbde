"""Finding billing files and reading their headers with DuckDB."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import duckdb

from collectors.base import CollectorError

DATA_SUFFIXES = (".csv", ".csv.gz", ".parquet", ".snappy.parquet", ".gz.parquet")
# JSON lines (the Google Cloud billing export as ``bq extract`` writes it); a JSON file no format
# recognizes (an export's manifest or totals) is left out, not an error
JSON_SUFFIXES = (".json", ".json.gz", ".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
AVRO_SUFFIXES = (".avro",)
NULL_STRINGS = ("NULL", "")


def is_data_file(path: Path) -> bool:
    """True for the file kinds billing exports come in (an export's JSON manifest is not)."""
    name = path.name.lower()
    if name.startswith(".") or (name.endswith(".json") and "manifest" in name):
        return False
    return name.endswith(DATA_SUFFIXES + JSON_SUFFIXES + AVRO_SUFFIXES)


def is_json(path: Path) -> bool:
    """A JSON (lines) file by name."""
    return path.name.lower().endswith(JSON_SUFFIXES)


def is_avro(path: Path) -> bool:
    """An Avro container file by name."""
    return path.name.lower().endswith(AVRO_SUFFIXES)


def list_data_files(path: Path) -> list[Path]:
    """The data files at ``path``: the file itself, or every data file below a folder, sorted."""
    if not path.exists():
        raise CollectorError(f"{path}: no such file or folder")
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*") if p.is_file() and is_data_file(p))


def is_parquet(path: Path) -> bool:
    """Parquet by name or by its magic bytes."""
    if path.name.lower().endswith(".parquet"):
        return True
    with path.open("rb") as handle:
        return handle.read(4) == b"PAR1"


def sql_str(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def scan_sql(path: Path, rejects: str | None = None, names: list[str] | None = None) -> str:
    """The DuckDB table function that reads ``path`` with every CSV value as text.

    ``rejects`` names a table to collect malformed CSV lines in; without it they are skipped
    (every scan of a file skips the same lines, and the one scan that keeps them quarantines them).
    """
    if is_parquet(path):
        return f"read_parquet({sql_str(str(path))})"
    nulls = ", ".join(sql_str(s) for s in NULL_STRINGS)
    opts = f"header = true, all_varchar = true, nullstr = [{nulls}], encoding = 'utf-8'"
    if names is not None:
        opts += ", names = [" + ", ".join(sql_str(n) for n in names) + "]"
    if rejects:
        opts += (
            f", store_rejects = true, rejects_table = '{rejects}', rejects_scan = '{rejects}_scan'"
        )
    else:
        opts += ", ignore_errors = true"
    return f"read_csv({sql_str(str(path))}, {opts})"


def csv_header(path: Path) -> list[str]:
    """A CSV's header exactly as written (DuckDB renames names that differ only in case)."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
            return next(csv.reader(handle), [])
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise CollectorError(f"{path}: cannot read the header row: {exc}") from exc


# (path, size, mtime) -> header: every registered format's detector asks for the same header,
# and the loader again; DuckDB sniffs a CSV once.
_HEADERS: dict[tuple[str, int, int], dict[str, str]] = {}


def read_header(con: duckdb.DuckDBPyConnection, path: Path) -> dict[str, str]:
    """Column name -> DuckDB type of the file (CSV columns are all VARCHAR; none for JSON)."""
    if is_json(path) or is_avro(path):
        return {}  # no CSV-style header; the formats that read these look at their fields
    stat = path.stat()
    if stat.st_size == 0:
        raise CollectorError(f"{path}: the file is empty (not even a header row)")
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _HEADERS:
        if len(_HEADERS) > 1024:
            _HEADERS.clear()
        _HEADERS[key] = _describe(con, path)
    return dict(_HEADERS[key])


def _describe(con: duckdb.DuckDBPyConnection, path: Path) -> dict[str, str]:
    try:
        rows = con.execute(f"DESCRIBE SELECT * FROM {scan_sql(path)}").fetchall()
    except duckdb.Error as exc:
        if "sniffing" in str(exc):
            raise CollectorError(
                f"{path}: cannot tell how the CSV is delimited and quoted: the header and the "
                "rows do not agree (a wrong or mixed delimiter?)"
            ) from exc
        if is_parquet(path):
            raise CollectorError(
                f"{path}: not a readable Parquet file (corrupt, or cut short in transfer?): "
                f"{_first_line(exc)}"
            ) from exc
        raise CollectorError(f"{path}: cannot read the file: {_first_line(exc)}") from exc
    return {str(r[0]): str(r[1]) for r in rows}


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
