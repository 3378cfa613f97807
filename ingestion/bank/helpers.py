"""The landing folder: which files are statements to read, and their content hashes."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator
from pathlib import Path

from ingestion.bank.parsers import UnreadableFileError, parse_bytes
from ingestion.bank.rows import RowBuffer
from ingestion.bank.settings import IGNORED_SUFFIXES

log = logging.getLogger(__name__)


def landing_files(landing_dir: Path) -> list[Path]:
    """Every candidate file below the landing folder, in name order.

    Hidden files and files still being written (``.tmp``, ``.part`` …) are left
    for a later run.
    """
    if not landing_dir.is_dir():
        log.warning("bank landing folder %s does not exist: nothing to load", landing_dir)
        return []
    found = []
    for path in landing_dir.rglob("*"):
        relative = path.relative_to(landing_dir)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.is_file() and not path.name.lower().endswith(IGNORED_SUFFIXES):
            found.append(path)
    return sorted(found, key=lambda p: p.relative_to(landing_dir).as_posix())


def content_id(data: bytes) -> str:
    """A file's id: the sha256 of its bytes (the same content under two names is one file)."""
    return hashlib.sha256(data).hexdigest()


def read_new_files(
    landing_dir: Path, is_known: Callable[[str], bool], buffer: RowBuffer
) -> Iterator[tuple[str, str]]:
    """Parse every file whose content is not known yet into ``buffer``.

    Args:
        landing_dir: The landing folder.
        is_known: Whether a file id (content hash) was loaded before or earlier in this run.
        buffer: Receives the rows of each new file.

    Yields:
        (file_id, file name) after each new file has been added to the buffer.
    """
    for path in landing_files(landing_dir):
        name = path.relative_to(landing_dir).as_posix()
        try:
            data = path.read_bytes()
        except OSError as exc:
            log.warning("cannot read %s: %s", path, exc)
            continue
        file_id = content_id(data)
        if is_known(file_id):
            continue
        try:
            parsed = parse_bytes(data)
        except UnreadableFileError as exc:
            buffer.add_unreadable(file_id, name, data, str(exc))
        else:
            buffer.add_parsed(file_id, name, len(data), parsed)
        yield file_id, name
