"""Benchmark stages for the file sources on a large drop, step by step.

At scale 1 the file sources move a few thousand rows, so their figures are fixed
costs. These stages write a large drop (``sandbox.files.large_drop``) and ingest it
into a fresh warehouse with the real dlt source, in separate child processes:

* ``large_drop HOME``: write the drop under ``HOME/large/landing``.
* ``large_steps HOME SOURCE``: the source's own work without dlt, in two steps —
  ``parse`` (bytes to raw cells or statements) and ``normalise`` (everything else the
  source does before it yields Arrow tables).
* ``large_ingest HOME SOURCE``: the real pipeline into a fresh DuckDB, with dlt's
  ``extract`` (which includes parse and normalise), ``normalize`` and ``load`` steps.

Rows are the lines the files hold (badge-scan rows, bank lines, including the
repeats of overlapping exports and the rejected ones): what the source had to read.
Each step's peak memory comes from sampling the process's resident set.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ingestion.settings import Home, resolve_home

LARGE_BADGE_ROWS = 1_000_000
LARGE_BANK_LINES = 500_000
_PAGE = 4096


def large_root(home_dir: str) -> Path:
    """Where a bench home keeps its large drop."""
    return resolve_home(home_dir).root / "large"


class RssSampler:
    """Resident memory sampled every few milliseconds, so each step gets its own peak."""

    def __init__(self, interval: float = 0.01) -> None:
        self.samples: list[tuple[float, int, float]] = []  # (wall time, rss bytes, cpu seconds)
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def rss_bytes() -> int:
        """The process's resident set now."""
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append((time.time(), self.rss_bytes(), time.process_time()))
            self._stop.wait(self._interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def peak_mb(self, start: float, end: float) -> float:
        """Highest sample between two wall-clock times (time.time())."""
        inside = [rss for at, rss, _ in self.samples if start <= at <= end]
        return max(inside, default=self.rss_bytes()) / 2**20

    def cpu_seconds(self, start: float, end: float) -> float:
        """CPU time the process used between two wall-clock times (all threads)."""
        inside = [cpu for at, _, cpu in self.samples if start <= at <= end]
        return inside[-1] - inside[0] if len(inside) > 1 else 0.0


def _step(name: str, rows: int, started: float, ended: float, sampler: RssSampler) -> dict:
    return {
        "step": name,
        "rows": rows,
        "seconds": ended - started,
        "cpu_s": sampler.cpu_seconds(started, ended),
        "peak_mb": sampler.peak_mb(started, ended),
    }


@contextmanager
def _timed(steps: list[dict], name: str, sampler: RssSampler) -> Iterator[dict]:
    box = {"rows": 0}
    started = time.time()
    yield box
    steps.append(_step(name, box["rows"], started, time.time(), sampler))


def write_large(home_dir: str) -> int:
    """Write the large drop from the home's generated world; returns the rows written."""
    from sandbox.files.large_drop import write_large_drop

    home = resolve_home(home_dir)
    drop = write_large_drop(
        home.sandbox_dir,
        large_root(home_dir) / "landing",
        badge_rows=LARGE_BADGE_ROWS,
        bank_lines=LARGE_BANK_LINES,
    )
    return drop.badge_rows + drop.bank_lines


def _exhibition_steps(landing: Path, steps: list[dict], sampler: RssSampler) -> int:
    from ingestion.exhibition.helpers import is_supported, landed_files
    from ingestion.exhibition.parser import parse_file
    from ingestion.exhibition.reader import UnreadableFileError, read_sheet

    paths = [p for p in landed_files(landing) if is_supported(p)]
    contents = [p.read_bytes() for p in paths]
    with _timed(steps, "parse", sampler) as parse:
        for path, data in zip(paths, contents, strict=True):
            try:
                sheet = read_sheet(path, data)
            except UnreadableFileError:
                continue
            parse["rows"] += sheet.table.num_rows if sheet.table is not None else len(sheet.rows)
    with _timed(steps, "parse + normalise", sampler) as both:
        for path, data in zip(paths, contents, strict=True):
            parsed = parse_file(path, data=data)
            both["rows"] += parsed.table.num_rows + len(parsed.rejects)
    return both["rows"]


def _bank_steps(landing: Path, steps: list[dict], sampler: RssSampler) -> int:
    from ingestion.bank.helpers import landing_files, read_new_files
    from ingestion.bank.rows import RowBuffer

    contents = {p: p.read_bytes() for p in landing_files(landing)}
    lines = 0
    with _timed(steps, "parse", sampler) as parse:
        lines = _bank_parse_only(contents)
        parse["rows"] = lines
    with _timed(steps, "parse + normalise", sampler) as both:
        buffer = RowBuffer()
        for _ in read_new_files(landing, lambda _: False, buffer):
            pass
        buffer.take_tables()
        both["rows"] = lines
    return lines


def _bank_parse_only(contents: dict[Path, bytes]) -> int:
    from ingestion.bank.parsers import UnreadableFileError, parse_bytes

    lines = 0
    for data in contents.values():
        try:
            parsed = parse_bytes(data)
        except UnreadableFileError:
            continue
        lines += sum(len(s.entries) for s in parsed.statements)
    return lines


_STEPS: dict[str, Callable[[Path, list[dict], RssSampler], int]] = {
    "exhibition": _exhibition_steps,
    "bank": _bank_steps,
}


def source_steps(home_dir: str, source: str) -> dict[str, Any]:
    """Time the source's parse and normalise steps without dlt (files read beforehand)."""
    steps: list[dict] = []
    with RssSampler() as sampler:
        rows = _STEPS[source](large_root(home_dir) / "landing" / source, steps, sampler)
    return {"rows": rows, "steps": steps}


def _lines_read(home: Home, source: str) -> int:
    import duckdb

    sql = {
        "exhibition": "select sum(rows + rejected) from raw_exhibition.files",
        "bank": "select sum(entry_count) from raw_bank.files",
    }[source]
    with duckdb.connect(str(home.warehouse), read_only=True) as con:
        return int(con.execute(sql).fetchone()[0] or 0)


def ingest_large(home_dir: str, source: str) -> dict[str, Any]:
    """Ingest the large drop of one source into a fresh warehouse with the real pipeline."""
    import shutil

    from ingestion.common.pipeline import make_pipeline, run_pipeline
    from ingestion.sources import build_source

    home = Home(large_root(home_dir) / f"home-{source}")
    shutil.rmtree(home.root, ignore_errors=True)
    landing = large_root(home_dir) / "landing" / source
    with RssSampler() as sampler:
        pipeline = make_pipeline(source, home)
        summary = run_pipeline(
            pipeline, build_source(source, home, landing_dir=str(landing)), source_name=source
        )
    written = summary.rows + summary.rejected_rows
    steps = []
    for step in pipeline.last_trace.steps if pipeline.last_trace else []:
        if step.step in ("extract", "normalize", "load"):
            started, ended = step.started_at.timestamp(), step.finished_at.timestamp()
            steps.append(_step(f"dlt {step.step}", written, started, ended, sampler))
    return {"rows": _lines_read(home, source), "rows_written": written, "steps": steps}
