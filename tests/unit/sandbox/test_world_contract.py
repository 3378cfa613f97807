"""The generated world matches the schema contract, is deterministic and documents itself."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from sandbox.schema import ALL_SYSTEM_TABLES, TRUTH_TABLES
from sandbox.world.generate import generate_world
from sandbox.world.tables import read_system_table, read_truth_table, truth_dir, world_dir


def _all_files(sandbox_dir: Path) -> dict[str, Path]:
    files = {}
    for system, tables in ALL_SYSTEM_TABLES.items():
        for name in tables:
            files[f"{system}.{name}"] = world_dir(sandbox_dir) / system / f"{name}.parquet"
    for name in TRUTH_TABLES:
        files[f"truth.{name}"] = truth_dir(sandbox_dir) / f"{name}.parquet"
    return files


@pytest.mark.parametrize(
    ("system", "name"),
    [(s, t) for s, tables in ALL_SYSTEM_TABLES.items() for t in tables],
)
def test_system_table_schema_equals_contract(small_world: Path, system: str, name: str) -> None:
    table = read_system_table(small_world, system, name)
    assert table.schema.equals(ALL_SYSTEM_TABLES[system][name]), (system, name)


@pytest.mark.parametrize("name", list(TRUTH_TABLES))
def test_truth_table_schema_equals_contract(small_world: Path, name: str) -> None:
    assert read_truth_table(small_world, name).schema.equals(TRUTH_TABLES[name])


def test_every_table_has_rows(small_world: Path) -> None:
    empty = [
        key
        for key, path in _all_files(small_world).items()
        if pq.ParquetFile(path).metadata.num_rows == 0
    ]
    assert empty == []


def test_meta_json_records_parameters_and_counts(small_world: Path) -> None:
    meta = json.loads((truth_dir(small_world) / "meta.json").read_text(encoding="utf-8"))
    assert meta["scale"] == 0.01
    assert meta["seed"] == 7
    assert meta["as_of"] == "2026-10-31"
    for key, path in _all_files(small_world).items():
        assert meta["counts"][key] == pq.ParquetFile(path).metadata.num_rows, key


def test_same_seed_gives_identical_bytes_and_other_seed_differs(tmp_path: Path) -> None:
    first = generate_world(tmp_path / "a", scale=0.01, seed=11)
    second = generate_world(tmp_path / "b", scale=0.01, seed=11)
    generate_world(tmp_path / "c", scale=0.01, seed=12)
    assert first == second
    for key, path_a in _all_files(tmp_path / "a").items():
        path_b = _all_files(tmp_path / "b")[key]
        assert path_a.read_bytes() == path_b.read_bytes(), key
    leads_a = (world_dir(tmp_path / "a") / "crm" / "leads.parquet").read_bytes()
    leads_c = (world_dir(tmp_path / "c") / "crm" / "leads.parquet").read_bytes()
    assert leads_a != leads_c


def test_small_scale_has_about_500_leads(small_world: Path) -> None:
    leads = read_system_table(small_world, "crm", "leads")
    events = read_system_table(small_world, "crm", "marketing_events")
    assert 350 <= leads.num_rows <= 650
    assert 12 <= events.num_rows / leads.num_rows <= 30
