"""The small world as DuckDB views, shared by the world's tests."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from sandbox.schema import ALL_SYSTEM_TABLES, TRUTH_TABLES
from sandbox.world.tables import truth_dir, world_dir


@pytest.fixture(scope="module")
def con(small_world: Path) -> duckdb.DuckDBPyConnection:
    """DuckDB views named <system>_<table> and truth_<table> over the small world."""
    connection = duckdb.connect()
    for system, tables in ALL_SYSTEM_TABLES.items():
        for name in tables:
            path = world_dir(small_world) / system / f"{name}.parquet"
            connection.execute(f"create view {system}_{name} as select * from '{path}'")
    for name in TRUTH_TABLES:
        path = truth_dir(small_world) / f"{name}.parquet"
        connection.execute(f"create view truth_{name} as select * from '{path}'")
    return connection
