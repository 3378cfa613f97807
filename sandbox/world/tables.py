"""Reading and writing the sandbox world tables (Parquet, one file per table)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq


def world_dir(sandbox_dir: Path) -> Path:
    """Where the source systems' tables live."""
    return sandbox_dir / "world"


def truth_dir(sandbox_dir: Path) -> Path:
    """Where the ground truth lives."""
    return sandbox_dir / "truth"


def write_table(path: Path, table: pa.Table) -> None:
    """Write one table atomically (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".parquet.tmp")
    pq.write_table(table, tmp, compression="zstd")
    tmp.replace(path)


def read_system_table(sandbox_dir: Path, system: str, table: str) -> pa.Table:
    """Read one system table, e.g. ``read_system_table(d, "crm", "leads")``."""
    return pq.read_table(world_dir(sandbox_dir) / system / f"{table}.parquet")


def read_truth_table(sandbox_dir: Path, table: str) -> pa.Table:
    """Read one ground-truth table."""
    return pq.read_table(truth_dir(sandbox_dir) / f"{table}.parquet")
