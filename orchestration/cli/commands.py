"""What each ``salesdw`` sub-command does; printing belongs here, logic elsewhere."""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from ingestion.settings import Home
from ingestion.sources import SOURCE_NAMES
from orchestration.cli.summary import count_raw_tables, count_warehouse_tables, format_summary
from orchestration.resources import ENDPOINTS_FILE
from orchestration.runtime import materialize_groups, materialize_selection

if TYPE_CHECKING:
    from ml.attribution import PathTable
    from sandbox.emulators.serve import EmulatorProcess


class CommandError(Exception):
    """A failure a person can act on: one sentence saying what, then what to do."""


@contextmanager
def _stage(label: str, timings: dict[str, float]) -> Iterator[None]:
    print(f"• {label} …", flush=True)
    started = time.perf_counter()
    yield
    timings[label] = time.perf_counter() - started
    print(f"  done in {timings[label]:.1f} s", flush=True)


def _generate(home: Home, scale: float, seed: int, timings: dict[str, float]) -> None:
    from sandbox.files.drops import write_file_drops
    from sandbox.world.generate import generate_world

    with _stage(f"Generating the sandbox company (scale {scale:g}, seed {seed})", timings):
        counts = generate_world(home.sandbox_dir, scale=scale, seed=seed)
        print(f"  {sum(counts.values()):,} rows over {len(counts)} tables", flush=True)
    with _stage("Dropping badge-scan and bank-statement files", timings):
        files = write_file_drops(home.sandbox_dir, home.root / "landing")
        for source, paths in files.items():
            print(f"  {len(paths)} files in {home.landing(source)}", flush=True)


def _require_world(home: Home) -> None:
    if not (home.sandbox_dir / "world").exists():
        raise CommandError(
            f"there is no sandbox company in {home.root}; "
            "run `salesdw sandbox generate` (or `salesdw demo`) first"
        )


def _start_emulator_process(home: Home, faults: str | None = None) -> EmulatorProcess:
    """Serve the sandbox APIs from a child process (a core of their own)."""
    from sandbox.emulators.serve import EmulatorProcess, parse_faults

    _require_world(home)
    try:
        parse_faults(faults)
    except ValueError as error:  # json.JSONDecodeError is a ValueError too
        raise CommandError(f"bad --faults: {error}") from error
    emulators = EmulatorProcess(home.sandbox_dir, home.sandbox_dir / ENDPOINTS_FILE, faults=faults)
    try:
        emulators.start()
    except RuntimeError as error:
        raise CommandError(f"{error}; run with -v for details") from error
    return emulators


def _prepare_dbt_project() -> None:
    """Parse the dbt project now if it changed: the Dagster definitions read its manifest."""
    from orchestration.lib.dbt_project import ensure_manifest

    try:
        ensure_manifest()
    except RuntimeError as error:
        raise CommandError(
            f"the dbt project in dbt_project/ does not parse ({error}); fix the file it names"
        ) from error


def _ingest(
    home: Home, sources: list[str], timings: dict[str, float], steps: dict[str, float]
) -> None:
    _prepare_dbt_project()
    # One Dagster run per source: progress shows as each finishes, and a failure names it.
    with _stage(f"Ingesting {', '.join(sources)} with dlt under Dagster", timings):
        for source in sources:
            try:
                step_timings = materialize_groups(home, [f"raw_{source}"])
            except RuntimeError as error:
                raise CommandError(
                    f"ingesting {source} failed ({error}); check its settings "
                    f"(ingestion/{source}/README.md) or that the sandbox is being served"
                ) from error
            steps.update({step.step: step.seconds for step in step_timings})
            loaded = sum(step.seconds for step in step_timings)
            print(f"  {source:<12} loaded and checked in {loaded:.1f} s", flush=True)


def _build_warehouse(home: Home, timings: dict[str, float], steps: dict[str, float]) -> None:
    from dagster import AssetSelection

    _prepare_dbt_project()
    from orchestration.defs.warehouse import warehouse_models

    # dagster-dbt echoes dbt's whole log to stdout; a person reads it only on failure.
    log_path = home.root / "logs" / "dbt_build.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with _stage("Building the warehouse with dbt under Dagster (models and tests)", timings):
        try:
            with log_path.open("w", encoding="utf-8") as log, contextlib.redirect_stdout(log):
                # every node of the dbt project: seeds and snapshots as well as models
                step_timings = materialize_selection(home, AssetSelection.assets(warehouse_models))
        except RuntimeError as error:
            raise CommandError(
                f"building the warehouse failed ({error}); dbt's log is {log_path}"
            ) from error
        steps.update({step.step: step.seconds for step in step_timings})
        print(f"  dbt's log: {log_path}", flush=True)


def demo(home: Home, *, scale: float, seed: int) -> int:
    """Generate, serve, ingest and summarise a sandbox company."""
    timings: dict[str, float] = {}
    steps: dict[str, float] = {}
    print(f"salesdw demo → {home.root}", flush=True)
    _generate(home, scale, seed, timings)
    with _stage("Starting the emulated CRM, WeChat Work and SEM APIs", timings):
        emulators = _start_emulator_process(home)
    try:
        _ingest(home, list(SOURCE_NAMES), timings, steps)
    finally:
        emulators.stop()
    _build_warehouse(home, timings, steps)
    print(
        format_summary(home, count_raw_tables(home), timings, steps, count_warehouse_tables(home))
    )
    return 0


def build(home: Home) -> int:
    """Build every dbt model of the warehouse from what is loaded, and summarise."""
    if not home.warehouse.exists():
        raise CommandError(
            f"there is no warehouse in {home.root}; run `salesdw ingest` (or `salesdw demo`) first"
        )
    timings: dict[str, float] = {}
    steps: dict[str, float] = {}
    _build_warehouse(home, timings, steps)
    print(format_summary(home, None, timings, steps, count_warehouse_tables(home)))
    return 0


def sandbox_generate(home: Home, *, scale: float, seed: int) -> int:
    """Generate the sandbox company and drop its files."""
    timings: dict[str, float] = {}
    _generate(home, scale, seed, timings)
    print(f"Sandbox company in {home.sandbox_dir}; serve it with `salesdw sandbox serve`.")
    return 0


def sandbox_serve(home: Home, *, host: str, faults: str | None = None) -> int:
    """Serve the sandbox APIs until interrupted; sources find them via endpoints.json."""
    from sandbox.emulators.serve import parse_faults, start_emulators

    _require_world(home)
    try:
        fault_knobs = parse_faults(faults)
    except ValueError as error:
        raise CommandError(f"bad --faults: {error}") from error
    servers = start_emulators(home.sandbox_dir, faults=fault_knobs, host=host)
    endpoints = home.sandbox_dir / ENDPOINTS_FILE
    servers.write_endpoints(endpoints)
    for system, server in servers.servers.items():
        print(f"{system:<12} {server.url}")
    print(f"Settings for sources written to {endpoints}. Ctrl-C stops.", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        servers.stop()
        endpoints.unlink(missing_ok=True)
    return 0


def ingest(home: Home, sources: list[str], with_sandbox: bool, faults: str | None = None) -> int:
    """Load the chosen sources into the warehouse and summarise."""
    timings: dict[str, float] = {}
    steps: dict[str, float] = {}
    emulators = _start_emulator_process(home, faults) if with_sandbox else None
    try:
        _ingest(home, sources, timings, steps)
    finally:
        if emulators:
            emulators.stop()
    print(format_summary(home, count_raw_tables(home), timings, steps))
    return 0


def inspect(file: str) -> int:
    """Print what salesdw reads from one bank statement file, one JSON line per statement."""
    path = Path(file)
    if not path.is_file():
        raise CommandError(f"{file} is not a file; give the path of a bank statement file")
    from ingestion.bank.inspect import UnreadableFileError, render_jsonl

    try:
        for line in render_jsonl(path):
            print(line)
    except UnreadableFileError as error:
        raise CommandError(
            f"cannot read {path.name}: {error}; check that it is an MT940, camt.053 or "
            "Chinese bank CSV export"
        ) from error
    return 0


def attribution(file: str, models: list[str], markov_order: int, output: str | None) -> int:
    """Print (or write) each model's credit per channel as CSV, then a one-line summary."""
    from ml.attribution import MODELS, PathFileError, attribute, read_paths_csv, to_csv

    chosen = [model.strip() for model in models if model.strip()]
    unknown = [model for model in chosen if model not in MODELS]
    if unknown or not chosen:
        raise CommandError(
            f"unknown model {', '.join(unknown) or '(none given)'}; "
            f"give --models as a comma-separated list of {', '.join(MODELS)}"
        )
    if markov_order < 1:
        raise CommandError(f"--markov-order is {markov_order}; give 1 or more")
    path = Path(file)
    if not path.is_file():
        raise CommandError(f"{file} is not a file; give the path of a CSV of conversion paths")
    try:
        table = read_paths_csv(path)
    except PathFileError as error:
        raise CommandError(f"{path.name} {error}") from error
    try:
        text = to_csv(attribute(table, chosen, markov_order))
    except ValueError as error:  # a Markov chain too large for the chosen order
        raise CommandError(str(error)) from error
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    # The CSV owns stdout when there is no --output, so the summary goes to stderr.
    print(_attribution_summary(table, chosen, output), file=sys.stdout if output else sys.stderr)
    return 0


def _attribution_summary(table: PathTable, models: list[str], output: str | None) -> str:
    decimals = 0 if table.total_conversions.is_integer() else 2
    notes = []
    if not table.has_value:
        notes.append("no total_conversion_value column, value left empty")
    if not table.has_nulls and "markov" in models:
        notes.append("no total_null column, so Markov sees every path convert")
    return (
        f"{len(table.rows)} paths, {table.total_conversions:,.{decimals}f} conversions, "
        f"{len(table.channels)} channels, {len(set(models))} models"
        + (f" → {output}" if output else "")
        + "".join(f"; {note}" for note in notes)
    )


def bench(scales: list[float], seed: int, work_dir: str | None) -> int:
    """Run the benchmark at each scale; figures are printed as they come."""
    from orchestration.bench.runner import run_bench

    try:
        run_bench(scales, seed, Path(work_dir) if work_dir else None)
    except RuntimeError as error:
        raise CommandError(f"{error}; rerun that stage with -v to see why") from error
    return 0
