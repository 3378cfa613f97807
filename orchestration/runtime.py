"""Running salesdw's Dagster assets from the command line, in this process."""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingestion.settings import HOME_ENV_VAR, Home

DAGSTER_YAML = Path(__file__).with_name("dagster.yaml")


def prepare_environment(home: Home) -> None:
    """Create the data directory and point Dagster and salesdw at it."""
    home.root.mkdir(parents=True, exist_ok=True)
    home.dagster_home.mkdir(parents=True, exist_ok=True)
    instance_yaml = home.dagster_home / "dagster.yaml"
    if not instance_yaml.exists():
        shutil.copyfile(DAGSTER_YAML, instance_yaml)
    os.environ[HOME_ENV_VAR] = str(home.root)
    os.environ["DAGSTER_HOME"] = str(home.dagster_home)


@dataclass
class StepTiming:
    """How long one Dagster step took."""

    step: str
    seconds: float
    succeeded: bool


def _root_cause(error: Any) -> str:
    """The innermost error of a Dagster step failure, as one line."""
    while getattr(error, "cause", None) is not None:
        error = error.cause
    lines = [line for line in (error.message or "").strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else "unknown error"


def materialize_groups(home: Home, groups: Sequence[str]) -> list[StepTiming]:
    """Materialise every asset of the given groups in one in-process Dagster run."""
    from dagster import AssetSelection

    return materialize_selection(home, AssetSelection.groups(*groups))


def materialize_selection(home: Home, selection: Any) -> list[StepTiming]:
    """Materialise the selected assets (an ``AssetSelection``) in one in-process run.

    In-process execution runs one step at a time, so the warehouse has a single
    writer; the run is recorded in the instance under ``<home>/dagster``.

    Raises:
        RuntimeError: when a step fails, naming the step and its error.
    """
    prepare_environment(home)
    # Imported here: loading the definitions builds sources and reads the environment.
    from dagster import DagsterEventType, DagsterInstance, materialize

    from orchestration.definitions import defs

    assets = [*(defs.assets or []), *(defs.asset_checks or [])]
    with DagsterInstance.get() as instance:
        result = materialize(
            assets,
            selection=selection,
            resources=dict(defs.resources or {}),
            instance=instance,
            raise_on_error=False,
            # The CLI prints its own progress; Dagster's console log is kept for failures.
            run_config={"loggers": {"console": {"config": {"log_level": "ERROR"}}}},
        )
        step_events = instance.all_logs(
            result.run_id,
            of_type={
                DagsterEventType.STEP_START,
                DagsterEventType.STEP_SUCCESS,
                DagsterEventType.STEP_FAILURE,
            },
        )
    timings: dict[str, StepTiming] = {}
    starts: dict[str, float] = {}
    for entry in step_events:
        key = entry.step_key or ""
        event_type = entry.dagster_event_type
        if event_type == DagsterEventType.STEP_START:
            starts[key] = entry.timestamp
        else:
            ok = event_type == DagsterEventType.STEP_SUCCESS
            timings[key] = StepTiming(key, entry.timestamp - starts.get(key, entry.timestamp), ok)
    if not result.success:
        failures = [
            f"{event.step_key}: {_root_cause(event.event_specific_data.error)}"
            for event in result.all_events
            if event.event_type == DagsterEventType.STEP_FAILURE
        ]
        raise RuntimeError("; ".join(failures) or "the Dagster run failed")
    return list(timings.values())
