"""Fixtures for the WeChat Work emulator and connector: a sandbox world, a running emulator."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sandbox.emulators.base import Faults, RunningEmulator
from sandbox.emulators.wechat_work import create_app


@pytest.fixture(scope="session")
def wechat_sandbox(small_world: Path) -> Path:
    """The shared scale-0.01 sandbox (its wechat_work tables and truth/meta.json)."""
    return small_world


@pytest.fixture
def start_emulator(wechat_sandbox: Path) -> Iterator[Callable[..., RunningEmulator]]:
    """Start an emulator (optionally with faults); every one started is stopped at teardown."""
    started: list[RunningEmulator] = []

    def start(faults: Faults | None = None) -> RunningEmulator:
        emulator = RunningEmulator(create_app(wechat_sandbox, faults)).start()
        started.append(emulator)
        return emulator

    yield start
    for emulator in started:
        emulator.stop()


@pytest.fixture(scope="session")
def shared_emulator(wechat_sandbox: Path) -> Iterator[RunningEmulator]:
    """One fault-free emulator for the tests that do not change its state."""
    with RunningEmulator(create_app(wechat_sandbox)) as emulator:
        yield emulator
