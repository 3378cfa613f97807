"""Running the salesdw command in a child process, and one demo company for every e2e test."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest


def salesdw(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    """Run ``salesdw ARGS --home HOME`` as a user would, without real-system settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOURCES__")}
    return subprocess.run(
        [sys.executable, "-m", "orchestration.cli.main", *args, "--home", str(home)],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        check=False,
    )


def count_rows(con: duckdb.DuckDBPyConnection, table: str, where: str = "true") -> int:
    return con.execute(f"select count(*) from {table} where {where}").fetchone()[0]


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small company run through ``salesdw demo``: generated, ingested, built."""
    home = tmp_path_factory.mktemp("demo")
    result = salesdw("demo", "--scale", "0.01", "--seed", "11", home=home)
    assert result.returncode == 0, result.stderr[-3000:]
    (home / "demo-stdout.txt").write_text(result.stdout)
    return home
