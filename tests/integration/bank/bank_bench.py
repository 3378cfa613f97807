"""Benchmark: bank lines per second through write -> parse -> dlt (arrow, parquet) -> DuckDB.

Not a test (no timed assertions). Run: ``.venv/bin/python tests/integration/bank/bank_bench.py
[busy] [days]``; it prints rows/s for parsing alone and for the whole load.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from bank_tiny_world import START, build_tiny_bank_world

from ingestion.bank import bank_source
from ingestion.bank.helpers import landing_files
from ingestion.bank.parsers import parse_bytes
from ingestion.bank.rows import RowBuffer
from ingestion.common.pipeline import make_pipeline, run_pipeline
from ingestion.settings import Home
from sandbox.files.bank import write_bank_files
from sandbox.world.tables import read_system_table


def main() -> None:
    """Build a big tiny-world, write its files, time parsing and loading."""
    busy = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    days = int(sys.argv[2]) if len(sys.argv) > 2 else 365
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        build_tiny_bank_world(root, end=START + dt.timedelta(days=days), busy=busy)
        lines = read_system_table(root, "bank", "bank_lines").num_rows
        print(f"world: {lines:,} bank lines in {time.perf_counter() - started:.1f}s")
        started = time.perf_counter()
        files = write_bank_files(root, root / "landing")
        size = sum(p.stat().st_size for p in files)
        print(
            f"write: {len(files):,} files, {size / 1e6:.1f} MB in "
            f"{time.perf_counter() - started:.1f}s"
        )
        started = time.perf_counter()
        entries = 0
        for path in landing_files(root / "landing"):
            parsed = parse_bytes(path.read_bytes())
            entries += sum(len(s.entries) for s in parsed.statements)
        parse_s = time.perf_counter() - started
        print(f"parse only: {entries:,} entries in {parse_s:.2f}s = {entries / parse_s:,.0f}/s")
        started = time.perf_counter()
        buffer = RowBuffer()
        for path in landing_files(root / "landing"):
            data = path.read_bytes()
            buffer.add_parsed(path.name, path.name, len(data), parse_bytes(data))
        buffer.take_tables()
        rows_s = time.perf_counter() - started
        print(
            f"parse + arrow rows: {entries:,} entries in {rows_s:.2f}s = {entries / rows_s:,.0f}/s"
        )
        home = Home(root / "home")
        started = time.perf_counter()
        summary = run_pipeline(
            make_pipeline("bank", home),
            bank_source(landing_dir=str(root / "landing")),
            source_name="bank",
        )
        load_s = time.perf_counter() - started
        loaded = summary.rows_per_table.get("transactions", 0)
        print(
            f"parse + load: {loaded:,} distinct lines ({entries:,} entries) in {load_s:.2f}s "
            f"= {entries / load_s:,.0f} entries/s, {loaded / load_s:,.0f} lines/s"
        )


if __name__ == "__main__":
    main()
