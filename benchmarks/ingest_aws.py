"""Benchmark: a CUR of N rows in the demo company's shape, then the whole `cloudspend ingest` of it
(mapping, load into a new warehouse, reconciliation), optionally against focus-converter 1.0.0.

    python benchmarks/ingest_aws.py --rows N [--flavour legacy-csv|legacy-csv-gz|cur2-parquet|all]
        [--converter] [--workdir DIR] [--memory-limit 1GB] [--keep]

The template is the demo company's October 2026 bill (legacy CUR CSV.gz and CUR 2.0 Parquet under
fixtures/demo/aws/). DuckDB replicates it set-based (cross join with range(k)); every replica gets
its own line item ids, resource ids, commitment ARNs and usage accounts (250 groups), and keeps
its costs, so the bill's total is the template's times N / 899. One payer, one billing period.
Each tool runs in a child process; peak RSS is the larger of the child's own maximum (wait4) and
the sampled sum over its process tree.
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb

import fixtures

if not __package__:  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.measure import measure, measure_ingest

FLAVOURS = ("legacy-csv", "legacy-csv-gz", "cur2-parquet")
DEMO = Path(fixtures.__file__).resolve().parent / "demo" / "aws"
TEMPLATES = {
    "legacy": (DEMO / "cur" / "example-cur" / "20261001-20261101", "*/example-cur-*.csv.gz"),
    "cur2": (DEMO / "cur2" / "example-cur2" / "data" / "BILLING_PERIOD=2026-10", "*.parquet"),
}
# (line item id, resource id, usage account, payer, account name, commitment ARNs) per flavour
NAMES = {
    "legacy": ("identity/LineItemId", "lineItem/ResourceId", "lineItem/UsageAccountId",
               "bill/PayerAccountId", None,
               ("reservation/ReservationARN", "savingsPlan/SavingsPlanARN")),
    "cur2": ("identity_line_item_id", "line_item_resource_id", "line_item_usage_account_id",
             "bill_payer_account_id", "line_item_usage_account_name",
             ("reservation_reservation_a_r_n", "savings_plan_savings_plan_a_r_n")),
}  # fmt: skip
ACCOUNT_GROUPS = 250
CONVERTER_VENV = Path.home() / ".cache" / "cloudspend" / "focus-converter-1.0.0"
CONVERTER_PINS = ("focus-converter==1.0.0", "multimethod<1.11", "click<8.2")


def template_file(kind: str) -> Path:
    """The committed demo file the ``kind`` (legacy | cur2) flavours replicate."""
    folder, pattern = TEMPLATES[kind]
    found = sorted(folder.glob(pattern))
    if len(found) != 1:
        raise SystemExit(f"expected one template file {folder}/{pattern}, found {len(found)}")
    return found[0]


def q(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _varied(kind: str, columns: list[str]) -> dict[str, str]:
    """Expressions making replica ``__r`` (0: the template itself) a business unit of its own."""
    line_id, resource, account, payer, account_name, arns = NAMES[kind]
    exprs = {
        line_id: f"CASE WHEN __r = 0 THEN {q(line_id)}"
        f" ELSE left({q(line_id)}, 40) || printf('%012x', __r) END",
        account: f"CASE WHEN __r = 0 OR {q(account)} = {q(payer)} THEN {q(account)} ELSE"
        f" printf('%012d', {q(account)}::BIGINT + (__r % {ACCOUNT_GROUPS}) * 1000) END",
    }
    for col in (resource, *arns):
        exprs[col] = f"CASE WHEN __r = 0 THEN {q(col)} ELSE {q(col)} || '-' || __r END"
    if account_name:
        exprs[account_name] = (
            f"CASE WHEN __r = 0 OR {q(account)} = {q(payer)} THEN {q(account_name)}"
            f" ELSE {q(account_name)} || '-' || (__r % {ACCOUNT_GROUPS}) END"
        )
    return {c: e for c, e in exprs.items() if c in columns}


def _replica_select(
    con: duckdb.DuckDBPyConnection, kind: str, rows: int, aliases: list[str] | None = None
) -> str:
    """SELECT of exactly ``rows`` rows: the template table ``tpl`` replicated and varied."""
    columns = [r[0] for r in con.execute("DESCRIBE tpl").fetchall() if r[0] != "__i"]
    (size,) = con.execute("SELECT count(*) FROM tpl").fetchall()[0]
    varied = _varied(kind, columns)
    select = ", ".join(
        f"{varied.get(c, q(c))} AS {q(a)}" for c, a in zip(columns, aliases or columns, strict=True)
    )
    copies = -(-rows // size)
    return (
        f"SELECT {select} FROM range({copies}) r(__r) CROSS JOIN tpl"
        f" WHERE __r * {size} + __i < {rows}"
    )


def _placeholders(header: list[str]) -> list[str]:
    """Column aliases DuckDB keeps as written: names equal to an earlier one but for case get a
    stand-in of the same length (DuckDB would rename them), patched back in the written file."""
    seen: set[str] = set()
    out = []
    for name in header:
        alias = name
        for filler in "0123456789":
            if alias.lower() not in seen:
                break
            alias = name[:-1] + filler
        seen.add(alias.lower())
        out.append(alias)
    return out


def generate(flavour: str, rows: int, workdir: Path) -> Path:
    """Write a CUR of ``rows`` rows in ``flavour`` (legacy-csv | legacy-csv-gz | cur2-parquet)."""
    kind = "cur2" if flavour.startswith("cur2") else "legacy"
    suffix = {"legacy-csv": ".csv", "legacy-csv-gz": ".csv.gz", "cur2-parquet": ".snappy.parquet"}
    path = workdir / f"aws-{kind}-{rows}{suffix[flavour]}"
    src = template_file(kind)
    scan = (
        f"read_parquet('{src}', hive_partitioning = false)"
        if kind == "cur2"
        else f"read_csv('{src}', header = true, all_varchar = true)"
    )
    con = duckdb.connect()
    try:
        con.execute("SET preserve_insertion_order = false; SET TimeZone = 'UTC'")
        con.execute(
            f"CREATE TEMP TABLE tpl AS SELECT *, row_number() OVER () - 1 AS __i FROM {scan}"
        )
        if kind == "cur2":
            select = _replica_select(con, kind, rows)
            con.execute(f"COPY ({select}) TO '{path}' (FORMAT parquet, COMPRESSION snappy)")
        else:
            _write_csv(con, rows, src, path)
    finally:
        con.close()
    return path


def _write_csv(con: duckdb.DuckDBPyConnection, rows: int, template: Path, path: Path) -> None:
    """CSV with the template's exact header line (plain: patched in place; gzip: its own member)."""
    with gzip.open(template, "rt", encoding="utf-8", newline="") as handle:
        header = handle.readline().rstrip("\r\n")
    aliases = _placeholders(header.split(","))
    select = _replica_select(con, "legacy", rows, aliases)
    if path.name.endswith(".gz"):
        body = path.with_name(path.name + ".body")
        con.execute(f"COPY ({select}) TO '{body}' (HEADER false, COMPRESSION gzip)")
        with path.open("wb") as out, body.open("rb") as rest:
            out.write(gzip.compress((header + "\n").encode()))
            shutil.copyfileobj(rest, out, 16 << 20)
        body.unlink()
        return
    con.execute(f"COPY ({select}) TO '{path}' (HEADER true)")
    with path.open("r+b") as handle:
        written = handle.read(len(header) + 1).decode()
        if written != ",".join(aliases) + "\n":
            raise SystemExit(f"{path}: unexpected header {written[:80]!r}")
        handle.seek(0)
        handle.write(header.encode())


def run_ingest(path: Path, flavour: str, workdir: Path, memory_limit: str) -> dict[str, Any]:
    """`cloudspend ingest` of ``path`` into a new warehouse, measured."""
    run = measure_ingest([path], workdir, memory_limit, f"ingest-{flavour}.log")
    return {"tool": "cloudspend", "flavour": flavour, **run}


def ensure_converter() -> Path:
    """focus-converter 1.0.0 in its own venv (created once; focus.md §9.2 has the pins)."""
    exe = CONVERTER_VENV / "bin" / "focus-converter"
    ready = exe.exists() and subprocess.run([exe, "list-providers"], capture_output=True)
    if ready and ready.returncode == 0:
        return exe
    python = shutil.which("python3.11")
    if python is None:
        raise SystemExit("focus-converter needs python3.11 on PATH")
    shutil.rmtree(CONVERTER_VENV, ignore_errors=True)
    subprocess.run([python, "-m", "venv", str(CONVERTER_VENV)], check=True)
    pip = CONVERTER_VENV / "bin" / "pip"
    subprocess.run([pip, "install", "-q", *CONVERTER_PINS], check=True)
    return exe


def run_converter(csv: Path, workdir: Path) -> dict[str, Any]:
    """focus-converter on the plain legacy CSV to FOCUS Parquet, measured."""
    exe = ensure_converter()
    out = workdir / "converter-out"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    cmd = [str(exe), "convert", "--provider", "aws-cur", "--data-format", "csv",
           "--data-path", str(csv), "--export-path", f"{out}/", "--export-format", "parquet",
           "--no-export-include-source-columns"]  # fmt: skip
    run = measure(cmd, workdir / "converter.log")
    if run["ok"] and any(out.rglob("*.parquet")):  # it can fail in a child yet exit 0
        glob = str(out / "**" / "*.parquet")
        with duckdb.connect() as con:
            (count,) = con.execute(f"SELECT count(*) FROM read_parquet('{glob}')").fetchall()[0]
        run["note"] = f"{count:,} rows written"
    else:
        run.update(ok=False, note=run["note"] or "no output written")
    return {"tool": "focus-converter", "flavour": "legacy-csv", **run}


def bench(args: argparse.Namespace, workdir: Path) -> list[dict[str, Any]]:
    """Generate each flavour, ingest it, run the converter on the plain CSV; the results."""
    flavours = FLAVOURS if args.flavour == "all" else (args.flavour,)
    if args.converter and "legacy-csv" not in flavours:
        flavours = ("legacy-csv", *flavours)
    results: list[dict[str, Any]] = []
    for flavour in flavours:
        t0 = time.perf_counter()
        path = generate(flavour, args.rows, workdir)
        gen = {"rows": args.rows, "generate_s": round(time.perf_counter() - t0, 2),
               "file_mb": round(path.stat().st_size / 1e6, 1)}  # fmt: skip
        runs = [run_ingest(path, flavour, workdir, args.memory_limit)]
        if args.converter and flavour == "legacy-csv":
            runs.append(run_converter(path, workdir))
        results.extend({**run, **gen} for run in runs)
        if not args.keep:
            path.unlink()
    return results


def report(results: list[dict[str, Any]]) -> str:
    """The results as a small table, and ours against focus-converter where both ran."""
    head = f"{'tool':<16}{'flavour':<15}{'rows':>11}{'file MB':>9}{'gen s':>7}{'wall s':>8}"
    lines = [head + f"{'rows/s':>10}{'peak MB':>9}  note"]
    for r in results:
        rate = f"{r['rows'] / r['wall_s']:,.0f}" if r["ok"] else "-"
        lines.append(
            f"{r['tool']:<16}{r['flavour']:<15}{r['rows']:>11,}{r['file_mb']:>9,.1f}"
            f"{r['generate_s']:>7.1f}{r['wall_s']:>8.1f}{rate:>10}{r['peak_rss_mb']:>9,.0f}"
            f"  {r['note'] if r['ok'] else 'FAILED: ' + r['note']}"
        )
    ours = [r for r in results if r["tool"] == "cloudspend" and r["flavour"] == "legacy-csv"]
    theirs = [r for r in results if r["tool"] == "focus-converter"]
    if ours and theirs and ours[0]["ok"] and theirs[0]["ok"]:
        speed = theirs[0]["wall_s"] / ours[0]["wall_s"]
        memory = ours[0]["peak_rss_mb"] / theirs[0]["peak_rss_mb"]
        lines.append(f"ours vs focus-converter: {speed:.2f}x as fast, {memory:.3f} of its peak RSS")
    return "\n".join(lines)


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description="Measure AWS CUR ingestion speed and memory.")
    parser.add_argument("--rows", type=int, required=True, help="rows to generate")
    parser.add_argument("--flavour", choices=[*FLAVOURS, "all"], default="legacy-csv")
    parser.add_argument("--converter", action="store_true", help="also run focus-converter 1.0.0")
    parser.add_argument("--memory-limit", default="1GB", help="DuckDB memory limit of the ingest")
    parser.add_argument("--workdir", type=Path, help="where to write files (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cloudspend-bench-aws-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        results = bench(args, workdir)
    print(report(results))


if __name__ == "__main__":
    main()
