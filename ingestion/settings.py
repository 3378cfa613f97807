"""Where salesdw keeps its data: one place that resolves the data directory.

The data directory ("home") is ``--home`` when a command is given one, else
``SALESDW_HOME``, else ``./.salesdw``. Everything salesdw writes lives below it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

HOME_ENV_VAR = "SALESDW_HOME"
DEFAULT_HOME = ".salesdw"


@dataclass(frozen=True)
class Home:
    """The layout of a salesdw data directory."""

    root: Path

    @property
    def warehouse(self) -> Path:
        """The DuckDB warehouse file that dlt and dbt write."""
        return self.root / "warehouse.duckdb"

    @property
    def pipelines_dir(self) -> Path:
        """dlt's working folder: pipeline state, pending load packages."""
        return self.root / "dlt"

    @property
    def sandbox_dir(self) -> Path:
        """The generated sandbox company (world tables and ground truth)."""
        return self.root / "sandbox"

    @property
    def dagster_home(self) -> Path:
        """DAGSTER_HOME for runs started by salesdw."""
        return self.root / "dagster"

    def landing(self, source: str) -> Path:
        """The folder where files of one file-drop source arrive."""
        return self.root / "landing" / source


def resolve_home(home: str | os.PathLike[str] | None = None) -> Home:
    """Resolve the data directory from an explicit path, the environment or the default.

    Args:
        home: An explicit data directory, e.g. from ``--home``.

    Returns:
        The resolved, absolute layout (folders are not created).
    """
    chosen = home or os.environ.get(HOME_ENV_VAR) or DEFAULT_HOME
    return Home(Path(chosen).expanduser().resolve())
