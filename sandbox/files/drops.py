"""Drop the sandbox company's files (badge scans, bank statements) into landing folders."""

from __future__ import annotations

from pathlib import Path

from sandbox.files.bank import write_bank_files
from sandbox.files.exhibition import write_exhibition_files


def write_file_drops(sandbox_dir: Path, landing_root: Path) -> dict[str, list[Path]]:
    """Write every file-drop source's files under ``<landing_root>/<source>/``."""
    return {
        "exhibition": write_exhibition_files(sandbox_dir, landing_root / "exhibition"),
        "bank": write_bank_files(sandbox_dir, landing_root / "bank"),
    }
