"""Fixtures for the CRM emulator and connector: a sandbox world, running emulators, loads."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from crm_harness import CrmLoader

from ingestion.settings import Home
from sandbox.emulators.base import Faults, RunningEmulator
from sandbox.emulators.crm import create_app


@pytest.fixture(scope="session")
def crm_sandbox(small_world: Path) -> Path:
    """The shared scale-0.01 sandbox world (its ``world/crm`` tables are the ground truth)."""
    return small_world


@pytest.fixture
def start_crm(crm_sandbox: Path) -> Iterator[Callable[..., RunningEmulator]]:
    """Start a CRM emulator over the world (fresh state per test); all stop at teardown."""
    started: list[RunningEmulator] = []

    def start(**faults: int) -> RunningEmulator:
        emulator = RunningEmulator(create_app(crm_sandbox, Faults(**faults))).start()
        started.append(emulator)
        return emulator

    yield start
    for emulator in started:
        emulator.stop()


@pytest.fixture
def crm_loader(
    start_crm: Callable[..., RunningEmulator], tmp_path: Path
) -> Callable[..., CrmLoader]:
    """Make a loader over a fresh emulator with the given faults and a fresh home."""

    def make(**faults: int) -> CrmLoader:
        return CrmLoader(start_crm(**faults), Home(tmp_path / "home"))

    return make
