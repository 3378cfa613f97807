"""Fixtures for the SEM emulator and connector: a sandbox world, a running emulator, a runner."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from ingestion.common.pipeline import LoadSummary, make_pipeline, run_pipeline
from ingestion.sem import sem_source
from ingestion.settings import Home
from sandbox.emulators.base import Faults, RunningEmulator
from sandbox.emulators.sem import (
    BAIDU_ACCESS_TOKEN,
    BAIDU_USER_NAME,
    OCEAN_ACCESS_TOKEN,
    SemEmulator,
)
from sandbox.emulators.sem.store import china_time_strings
from sandbox.world.tables import read_system_table

RAW_TABLES = ("baidu_keyword_daily", "baidu_leads", "douyin_promotion_daily", "douyin_clues")


@pytest.fixture(scope="session")
def sem_world(small_world: Path) -> Path:
    """The shared scale-0.01 sandbox world (tests/conftest.py)."""
    return small_world


def world(sandbox_dir: Path, table: str) -> pa.Table:
    """A world table of the ``sem`` system."""
    return read_system_table(sandbox_dir, "sem", table)


def advertiser_ids(sandbox_dir: Path) -> list[int]:
    """Every Ocean Engine advertiser of the world."""
    ids = set(world(sandbox_dir, "douyin_promotion_daily")["advertiser_id"].to_pylist())
    ids |= set(world(sandbox_dir, "douyin_clues")["advertiser_id"].to_pylist())
    return sorted(ids)


def last_day(app: SemEmulator) -> str:
    """The China date of the emulator clock (the last day a run should ask for)."""
    return china_time_strings(pa.array([app.now]))[0].as_py()[:10]


class Runner:
    """Runs the SEM source against one emulator into one temporary home."""

    def __init__(self, server: RunningEmulator, sandbox_dir: Path, home: Home) -> None:
        self.server = server
        self.app: SemEmulator = server.app  # type: ignore[assignment]
        self.sandbox_dir = sandbox_dir
        self.home = home
        self.pipeline = make_pipeline("sem", home)

    def settings(self, **overrides: Any) -> dict[str, Any]:
        """Source arguments pointing at the emulator (no sleeping between retries)."""
        url = self.server.url
        settings: dict[str, Any] = {
            "baidu_base_url": url,
            "baidu_user_name": BAIDU_USER_NAME,
            "baidu_access_token": BAIDU_ACCESS_TOKEN,
            "ocean_base_url": url,
            "ocean_access_token": OCEAN_ACCESS_TOKEN,
            "ocean_advertiser_ids": ",".join(map(str, advertiser_ids(self.sandbox_dir))),
            "start_date": "2025-01-01",
            "end_date": last_day(self.app),
            "backoff_seconds": 0.0,
        }
        settings.update(overrides)
        return settings

    def run(self, **overrides: Any) -> LoadSummary:
        """One pipeline run."""
        return run_pipeline(
            self.pipeline, sem_source(**self.settings(**overrides)), source_name="sem"
        )

    def query(self, sql: str) -> list[tuple]:
        """Rows of a query on the raw dataset."""
        with self.pipeline.sql_client() as client:
            return [tuple(row) for row in client.execute_sql(sql)]

    def table(self, name: str) -> pa.Table:
        """A raw table as Arrow (dlt columns dropped)."""
        with (
            self.pipeline.sql_client() as client,
            client.execute_query(f"select * from {name}") as cursor,
        ):
            data = cursor.arrow()
        return data.select([c for c in data.column_names if not c.startswith("_dlt")])

    def counts(self) -> dict[str, int]:
        """Rows per raw table, rejects included."""
        names = [*RAW_TABLES, "rejected_rows"]
        return {n: self.query(f"select count(*) from {n}")[0][0] for n in names}


@pytest.fixture(scope="module")
def loaded(sem_world: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runner]:
    """One clean first run shared by the read-only checks of a module."""
    server = RunningEmulator(SemEmulator(sem_world)).start()
    try:
        run = Runner(server, sem_world, Home(tmp_path_factory.mktemp("sem_home")))
        run.run()
        yield run
    finally:
        server.stop()


@pytest.fixture
def start_emulator(sem_world: Path) -> Iterator[Callable[..., RunningEmulator]]:
    """Start SEM emulators (fresh state each); all are stopped after the test."""
    started: list[RunningEmulator] = []

    def start(faults: Faults | None = None) -> RunningEmulator:
        server = RunningEmulator(SemEmulator(sem_world, faults)).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def runner(
    start_emulator: Callable[..., RunningEmulator], sem_world: Path, tmp_path: Path
) -> Callable[..., Runner]:
    """Make a Runner over a fresh emulator (optionally with faults) and a fresh home."""

    def make(faults: Faults | None = None) -> Runner:
        return Runner(start_emulator(faults), sem_world, Home(tmp_path / "home"))

    return make
