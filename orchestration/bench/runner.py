"""Run the benchmark stages at each scale and print a table of figures."""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ingestion.settings import HOME_ENV_VAR, resolve_home
from ingestion.sources import SOURCE_NAMES
from orchestration.resources import ENDPOINTS_FILE


@dataclass
class Figure:
    """One measured stage."""

    scale: float
    stage: str
    rows: int
    seconds: float
    peak_mb: float
    cpu_seconds: float = 0.0  # user + system CPU of the stage's process (all its threads)

    @property
    def rows_per_second(self) -> float:
        """Throughput; 0 for a stage that moved no rows."""
        return self.rows / self.seconds if self.seconds else 0.0


def _run_child(stage: str, *args: str, env: dict[str, str]) -> dict:
    completed = subprocess.run(
        [sys.executable, "-m", "orchestration.bench.stages", stage, *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        tail = completed.stderr.strip().splitlines()[-3:]
        raise RuntimeError(f"bench stage {stage} failed: {' | '.join(tail)}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _figure(scale: float, label: str, result: dict, progress: bool) -> Figure:
    figure = Figure(
        scale,
        label,
        result["rows"],
        result["seconds"],
        result["peak_mb"],
        result.get("cpu_s", 0.0),
    )
    if progress:
        print(_format_row(figure), flush=True)
    return figure


def bench_scale(scale: float, seed: int, work_dir: Path, progress: bool = True) -> list[Figure]:
    """Measure every stage at one scale in a fresh data directory."""
    from sandbox.emulators.serve import EmulatorProcess

    home = resolve_home(work_dir / f"scale-{scale:g}")
    shutil.rmtree(home.root, ignore_errors=True)
    env = {**os.environ, HOME_ENV_VAR: str(home.root)}
    figures: list[Figure] = []

    def record(label: str, result: dict) -> None:
        figures.append(_figure(scale, label, result, progress))

    generated = _run_child("generate", str(home.root), str(scale), str(seed), env=env)
    record("sandbox generation", generated)
    record("file drops (write)", _run_child("drop_files", str(home.root), env=env))
    with EmulatorProcess(home.sandbox_dir, home.sandbox_dir / ENDPOINTS_FILE) as emulators:
        endpoints = json.loads(emulators.endpoints_file.read_text())
        env_with_endpoints = {**env, **endpoints}
        for source in SOURCE_NAMES:
            record(
                f"ingest {source} (dlt)",
                _run_child("ingest_source", str(home.root), source, env=env_with_endpoints),
            )
        # The whole ingest again, under Dagster, into a fresh warehouse.
        home.warehouse.unlink(missing_ok=True)
        shutil.rmtree(home.pipelines_dir, ignore_errors=True)
        record(
            "ingest all 5 under Dagster",
            _run_child("ingest_all_dagster", str(home.root), env=env_with_endpoints),
        )
    # rows: what dbt wrote into intermediate and mart tables (staging are views)
    record("dbt build (models and tests)", _run_child("dbt_build", str(home.root), env=env))
    return figures


def bench_large_drop(scale: float, work_dir: Path, progress: bool = True) -> list[Figure]:
    """The file sources on a large drop resampled from this scale's world, step by step.

    Runs after :func:`bench_scale` (it needs that scale's generated world).
    """
    home = resolve_home(work_dir / f"scale-{scale:g}")
    env = {**os.environ, HOME_ENV_VAR: str(home.root)}
    figures: list[Figure] = []

    def record(label: str, result: dict) -> None:
        figures.append(_figure(scale, label, result, progress))

    record("file drops large (write)", _run_child("large_drop", str(home.root), env=env))
    for source in ("exhibition", "bank"):
        ingested = _run_child("large_ingest", str(home.root), source, env=env)
        record(f"ingest {source} large (dlt)", ingested)
        own = _run_child("large_steps", str(home.root), source, env=env)
        parse, both = own["steps"]
        record("  · parse", parse)
        # Normalising is measured as parse + normalise minus parse (same files, same process).
        normalise = {
            **both,
            "seconds": max(both["seconds"] - parse["seconds"], 0.0),
            "cpu_s": max(both["cpu_s"] - parse["cpu_s"], 0.0),
        }
        record("  · normalise", normalise)
        for step in ingested["steps"]:
            record(f"  · {step['step']}", step)
    return figures


HEADER = (
    f"{'scale':>6}  {'stage':<30} {'rows':>12} {'wall s':>9} {'rows/s':>12} {'peak MB':>9} "
    f"{'cpu s':>8}"
)


def _format_row(figure: Figure) -> str:
    return (
        f"{figure.scale:>6g}  {figure.stage:<30} {figure.rows:>12,} {figure.seconds:>9.1f} "
        f"{figure.rows_per_second:>12,.0f} {figure.peak_mb:>9,.0f} {figure.cpu_seconds:>8.1f}"
    )


def machine_description() -> str:
    """The machine the figures came from."""
    cores = os.cpu_count()
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    python = platform.python_version()
    return f"{platform.machine()}, {cores} cores, {mem_gb:.0f} GB RAM, Python {python}"


def run_bench(
    scales: list[float], seed: int = 42, work_dir: Path | None = None, large_drop: bool = True
) -> list[Figure]:
    """Run the benchmark at each scale and print the figures as they come.

    With ``large_drop``, the file sources are also measured on a large drop resampled
    from the first scale's world (see :mod:`orchestration.bench.large`).
    """
    work = work_dir or Path(tempfile.mkdtemp(prefix="salesdw-bench-"))
    print(f"salesdw bench on {machine_description()}; data in {work}", flush=True)
    print(HEADER, flush=True)
    figures: list[Figure] = []
    for index, scale in enumerate(scales):
        figures.extend(bench_scale(scale, seed, work))
        if large_drop and index == 0:
            figures.extend(bench_large_drop(scale, work))
    return figures
