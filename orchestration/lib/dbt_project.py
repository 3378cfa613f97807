"""The dbt project as Dagster sees it, and the manifest its assets are read from.

``@dbt_assets`` reads ``manifest.json`` when the definitions load, so the manifest
must exist and match the SQL first. :func:`ensure_manifest` runs ``dbt parse`` (a few
seconds) only when the manifest is missing or older than a file of the project, the
way ``DbtProject.prepare_if_dev`` does under ``dagster dev``, but for every entry
point: the CLI, the tests and ``make ui``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from dagster_dbt import DbtProject

DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"
# Everything dbt reads to build the manifest: a change to any of it makes it stale.
_PROJECT_INPUTS = ("models", "macros", "seeds", "snapshots", "tests", "dbt_project.yml")

DBT_PROJECT = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def dbt_executable() -> str:
    """The ``dbt`` installed beside this Python: the venv's, whatever PATH says."""
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def dbt_command(command: str, *args: str, target_path: str | Path) -> list[str]:
    """The venv's ``dbt COMMAND`` on this project, its profile and a target path of its own."""
    return [
        dbt_executable(),
        command,
        *args,
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(target_path),
    ]


def _newest_input_mtime() -> float:
    newest = 0.0
    for name in _PROJECT_INPUTS:
        path = DBT_PROJECT_DIR / name
        paths = path.rglob("*") if path.is_dir() else [path]
        for item in paths:
            if item.is_file():
                newest = max(newest, item.stat().st_mtime)
    return newest


def manifest_is_stale() -> bool:
    """True when the manifest is missing or older than a file of the project."""
    manifest = DBT_PROJECT.manifest_path
    return not manifest.exists() or manifest.stat().st_mtime < _newest_input_mtime()


def ensure_manifest() -> Path:
    """Parse the dbt project when its manifest is missing or stale.

    Returns:
        The path of ``manifest.json``.

    Raises:
        RuntimeError: when ``dbt parse`` fails, with dbt's own last lines.
    """
    if manifest_is_stale():
        env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
        # Parsing opens no connection, but profiles.yml reads SALESDW_HOME.
        env.setdefault("SALESDW_HOME", ".salesdw")
        completed = subprocess.run(
            dbt_command("parse", "--quiet", target_path=DBT_PROJECT.target_path),
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        if completed.returncode != 0:
            tail = (completed.stdout + completed.stderr).strip().splitlines()[-5:]
            raise RuntimeError("dbt parse failed: " + " | ".join(tail))
    return DBT_PROJECT.manifest_path
