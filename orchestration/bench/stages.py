"""Benchmark stages, each run in a fresh child process that reports on itself.

``python -m orchestration.bench.stages STAGE HOME [ARGS...]`` runs one stage and
prints one JSON line: rows, seconds and the child's own peak resident memory, so
a stage's memory is never mixed with another's.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from typing import Any

from ingestion.settings import resolve_home
from orchestration.bench import large


def _generate(home_dir: str, scale: str, seed: str) -> int:
    from sandbox.world.generate import generate_world

    counts = generate_world(resolve_home(home_dir).sandbox_dir, scale=float(scale), seed=int(seed))
    return sum(counts.values())


def _drop_files(home_dir: str) -> int:
    import pyarrow.parquet as pq

    from sandbox.files.drops import write_file_drops
    from sandbox.world.tables import world_dir

    home = resolve_home(home_dir)
    write_file_drops(home.sandbox_dir, home.root / "landing")
    world = world_dir(home.sandbox_dir)
    return sum(
        pq.ParquetFile(world / system / f"{table}.parquet").metadata.num_rows
        for system, table in (("bank", "bank_lines"), ("exhibition", "badge_scans"))
    )


def _ingest_source(home_dir: str, source_name: str) -> int:
    from ingestion.common.pipeline import make_pipeline, run_pipeline
    from ingestion.sources import build_source

    home = resolve_home(home_dir)
    summary = run_pipeline(
        make_pipeline(source_name, home), build_source(source_name, home), source_name=source_name
    )
    return summary.rows + summary.rejected_rows


def _ingest_all_dagster(home_dir: str) -> int:
    from ingestion.sources import SOURCE_NAMES
    from orchestration.cli.summary import count_raw_tables
    from orchestration.runtime import materialize_groups

    home = resolve_home(home_dir)
    materialize_groups(home, [f"raw_{name}" for name in SOURCE_NAMES])
    counts = count_raw_tables(home)
    return sum(sum(t.values()) for t in counts.rows.values()) + sum(counts.rejected.values())


def _dbt_build(home_dir: str) -> int:
    """``dbt build`` of every model and test on the loaded warehouse; rows it wrote."""
    import subprocess
    import tempfile

    import duckdb

    from orchestration.lib.dbt_project import dbt_command

    home = resolve_home(home_dir)
    with tempfile.TemporaryDirectory() as target:
        subprocess.run(
            dbt_command("build", "--quiet", target_path=target),
            env={**os.environ, "SALESDW_HOME": str(home.root)},
            check=True,
        )
    with duckdb.connect(str(home.warehouse), read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' and table_schema not like 'raw%'"
        ).fetchall()
        return sum(
            con.execute(f'select count(*) from "{schema}"."{name}"').fetchone()[0]
            for schema, name in tables
        )


STAGES = {
    "generate": _generate,
    "drop_files": _drop_files,
    "ingest_source": _ingest_source,
    "ingest_all_dagster": _ingest_all_dagster,
    "dbt_build": _dbt_build,
    "large_drop": large.write_large,
    "large_steps": large.source_steps,
    "large_ingest": large.ingest_large,
}


def run_stage(stage: str, args: list[str]) -> dict[str, Any]:
    """Run one stage in this process and measure it."""
    started = time.perf_counter()
    result = STAGES[stage](*args)
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    # A stage that runs a tool (dbt) as a subprocess is measured with it.
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_mb = max(usage.ru_maxrss, children.ru_maxrss) / 1024
    cpu_s = usage.ru_utime + usage.ru_stime + children.ru_utime + children.ru_stime
    # A stage returns its row count, or a dict with "rows" and more (e.g. its steps).
    extra = result if isinstance(result, dict) else {"rows": result}
    return {
        "stage": stage,
        "args": args,
        "seconds": seconds,
        "cpu_s": cpu_s,
        "peak_mb": peak_mb,
        **extra,
    }


if __name__ == "__main__":
    os.environ.setdefault("RUNTIME__LOG_LEVEL", "WARNING")
    print(json.dumps(run_stage(sys.argv[1], sys.argv[2:])), file=sys.stdout, flush=True)
