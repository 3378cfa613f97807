"""One way to build and run a dlt pipeline into the warehouse, shared by every source."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

import dlt
from dlt.common.pipeline import LoadInfo

from ingestion.common.rejects import REJECTED_TABLE
from ingestion.settings import Home

log = logging.getLogger(__name__)


def dataset_name(source_name: str) -> str:
    """The raw dataset (DuckDB schema) a source loads into."""
    return f"raw_{source_name}"


def make_pipeline(source_name: str, home: Home, *, progress: str | None = None) -> dlt.Pipeline:
    """Create (or attach to) the dlt pipeline of one source.

    The pipeline keeps its state under ``<home>/dlt`` (never dlt's global default),
    writes to ``<home>/warehouse.duckdb`` and loads into ``raw_<source>``.
    """
    home.root.mkdir(parents=True, exist_ok=True)
    return dlt.pipeline(
        pipeline_name=f"salesdw_{source_name}",
        pipelines_dir=str(home.pipelines_dir),
        destination=dlt.destinations.duckdb(str(home.warehouse)),
        dataset_name=dataset_name(source_name),
        progress=progress,
    )


@dataclass
class LoadSummary:
    """What one source's run did: rows per table, rejected rows, time."""

    source: str
    rows_per_table: dict[str, int] = field(default_factory=dict)
    rejected_rows: int = 0
    seconds: float = 0.0
    load_ids: list[str] = field(default_factory=list)
    recovered_load_ids: list[str] = field(default_factory=list)  # finished for a crashed run

    @property
    def rows(self) -> int:
        """Good rows loaded (rejected rows excluded)."""
        return sum(self.rows_per_table.values())

    def describe(self) -> str:
        """One line for a person: rows per table, rejects, time and throughput."""
        tables = ", ".join(f"{t}={n}" for t, n in sorted(self.rows_per_table.items())) or "none"
        rate = self.rows / self.seconds if self.seconds else 0.0
        recovered = (
            f", finished {len(self.recovered_load_ids)} interrupted load(s)"
            if self.recovered_load_ids
            else ""
        )
        return (
            f"{self.source}: {self.rows} rows ({tables}), {self.rejected_rows} rejected, "
            f"{self.seconds:.1f}s ({rate:,.0f} rows/s){recovered}"
        )


def run_pipeline(
    pipeline: dlt.Pipeline, source: Any, *, source_name: str, **run_kwargs: Any
) -> LoadSummary:
    """Run a source through a pipeline with the Parquet loader and summarise the load.

    Load packages left by a crashed earlier run are finished first, then the source is
    extracted from the state they committed, so a re-run after a crash neither loses nor
    duplicates rows.
    """
    started = time.perf_counter()
    run_kwargs.setdefault("loader_file_format", "parquet")
    recovered: list[str] = []
    if pipeline.has_pending_data:
        # A crashed run left extracted packages (with their state): load them first, or
        # dlt's run() would only finish them and not extract what is new.
        log.info("%s: finishing the load packages of an interrupted run", source_name)
        pipeline.normalize()
        recovered = list(pipeline.load().loads_ids)
    info: LoadInfo = pipeline.run(source, **run_kwargs)
    summary = LoadSummary(source=source_name, seconds=time.perf_counter() - started)
    summary.recovered_load_ids = recovered
    summary.load_ids = list(info.loads_ids)
    row_counts = pipeline.last_trace.last_normalize_info.row_counts if pipeline.last_trace else {}
    for table, count in row_counts.items():
        if table.startswith("_dlt"):
            continue
        if table == REJECTED_TABLE:
            summary.rejected_rows += count
        else:
            summary.rows_per_table[table] = count
    log.info(
        "%s: %d rows, %d rejected in %.1fs",
        source_name,
        summary.rows,
        summary.rejected_rows,
        summary.seconds,
    )
    return summary
