"""Finding landed badge-scan files."""

from __future__ import annotations

import logging
from pathlib import Path

from ingestion.exhibition.settings import FILE_SUFFIXES

log = logging.getLogger(__name__)

# Lock files of an open workbook and downloads still in progress are not exports.
_SKIP_PREFIXES = (".", "~$")
_SKIP_SUFFIXES = (".part", ".tmp", ".crdownload", ".partial")


def landed_files(landing_dir: Path) -> list[Path]:
    """Every candidate file in the landing folder (recursively), in name order.

    Hidden files, Excel lock files (``~$…``) and partial downloads are skipped;
    everything else is returned, including files of an unsupported type, which
    the source then rejects with a reason rather than ignoring.

    Args:
        landing_dir: The folder organisers' files are dropped into.

    Returns:
        Paths sorted by their path relative to ``landing_dir`` (stable across runs).
    """
    if not landing_dir.exists():
        log.warning("landing folder %s does not exist: nothing to load", landing_dir)
        return []
    found = []
    for path in landing_dir.rglob("*"):
        name = path.name
        if not path.is_file() or name.startswith(_SKIP_PREFIXES):
            continue
        if name.lower().endswith(_SKIP_SUFFIXES):
            continue
        found.append(path)
    return sorted(found, key=lambda p: p.relative_to(landing_dir).as_posix())


def is_supported(path: Path) -> bool:
    """Whether the file has a suffix the parser reads (by content, after that)."""
    return path.suffix.lower() in FILE_SUFFIXES
