"""Fixtures for the bank source: a sandbox with bank tables, its statement files, a loader."""

from __future__ import annotations

import importlib.util
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest
from bank_tiny_world import build_tiny_bank_world

from ingestion.bank import bank_source
from ingestion.common.pipeline import LoadSummary, make_pipeline, run_pipeline
from ingestion.settings import Home
from sandbox.files.bank import FAULTS_TABLE, BankFileFaults, write_bank_files
from sandbox.world.tables import read_system_table, read_truth_table, world_dir

log = logging.getLogger(__name__)

FAULTS = BankFileFaults(truncate_files=3, unbalanced_statements=3, malformed_rows=3,
                        unreadable_files=3)  # fmt: skip


def _has_bank_tables(sandbox_dir: Path) -> bool:
    try:
        return read_system_table(sandbox_dir, "bank", "bank_lines").num_rows > 0
    except (FileNotFoundError, OSError):
        return False


@pytest.fixture(scope="session")
def bank_sandbox(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bank tables of the session's small_world (a private copy: the file writer records
    its faults under truth/), or a tiny bank world when the generator writes none."""
    private = tmp_path_factory.mktemp("bank_sandbox")
    if importlib.util.find_spec("sandbox.world.generate") is not None:
        try:
            world = request.getfixturevalue("small_world")
        except Exception as exc:  # the generator may be mid-change: fall back, and say why
            log.warning("small_world unavailable (%s): using the tiny bank world", exc)
        else:
            if _has_bank_tables(world):
                shutil.copytree(world_dir(world) / "bank", world_dir(private) / "bank")
                return private
    return build_tiny_bank_world(private)


@dataclass
class BankDrop:
    """Statement files written from the world, with the faults the writer injected."""

    landing: Path
    files: list[Path]
    faults: list[dict[str, Any]]
    world_lines: pa.Table


@pytest.fixture(scope="session")
def bank_drop(bank_sandbox: Path, tmp_path_factory: pytest.TempPathFactory) -> BankDrop:
    """All statement files of the world plus fault files, in one landing folder."""
    landing = tmp_path_factory.mktemp("bank_landing")
    files = write_bank_files(bank_sandbox, landing, faults=FAULTS)
    faults = read_truth_table(bank_sandbox, FAULTS_TABLE).to_pylist()
    lines = read_system_table(bank_sandbox, "bank", "bank_lines")
    return BankDrop(landing, files, faults, lines)


def load_bank(home: Home, landing: Path) -> LoadSummary:
    """One run of the bank source into ``home``'s warehouse."""
    pipeline = make_pipeline("bank", home)
    return run_pipeline(pipeline, bank_source(landing_dir=str(landing)), source_name="bank")


def query(home: Home, sql: str) -> list[tuple[Any, ...]]:
    """Rows of a query against the warehouse (opened read-only, then closed)."""
    with duckdb.connect(str(home.warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


@dataclass
class LoadedBank:
    """A warehouse holding every file of ``bank_drop``, loaded twice."""

    home: Home
    first: LoadSummary
    second: LoadSummary


@pytest.fixture(scope="module")
def loaded_bank(bank_drop: BankDrop, tmp_path_factory: pytest.TempPathFactory) -> LoadedBank:
    """Load every file, then run again with nothing new."""
    home = Home(tmp_path_factory.mktemp("bank_home"))
    first = load_bank(home, bank_drop.landing)
    second = load_bank(home, bank_drop.landing)
    return LoadedBank(home, first, second)
