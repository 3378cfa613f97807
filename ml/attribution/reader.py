"""Read the aggregated-path CSV that attribution tools and analysts exchange.

Columns ``path`` (channels joined by ``>``) and ``total_conversions``, optionally
``total_conversion_value`` and ``total_null``; others are ignored. The delimiter
(comma, semicolon, tab or pipe) is the one that splits the header into those
columns. Every problem raises :class:`PathFileError`: one line naming the line
number and what to change.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from ml.attribution.paths import (
    CONVERSIONS_COLUMN,
    NULLS_COLUMN,
    PATH_COLUMN,
    VALUE_COLUMN,
    PathRecord,
    PathTable,
    split_path,
    table_from_records,
)

DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
_REQUIRED = (PATH_COLUMN, CONVERSIONS_COLUMN)
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_PLAIN_NUMBER = re.compile(r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
# Spaces, no-break spaces and narrow no-break spaces all serve as thousands separators.
_NUMBER_SPACES = re.compile(r"[ \u00a0\u202f]")


class PathFileError(ValueError):
    """A paths file that cannot be read; the message is one line saying where and what to do."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(f"line {line}: {problem}")
        self.line = line


def _decode(data: bytes) -> str:
    # Excel's "Unicode text" export is UTF-16 with a BOM; everything else is UTF-8.
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise PathFileError(line, "the file is not UTF-8; save it as UTF-8 CSV") from error


def _header_fields(line: str, delimiter: str) -> list[str]:
    fields = next(csv.reader([line], delimiter=delimiter, skipinitialspace=True), [])
    return [field.strip().lower() for field in fields]


def detect_delimiter(header: str, line: int = 1) -> tuple[str, list[str]]:
    """Pick the delimiter that splits the header into the required columns.

    Args:
        header: The header line.
        line: Its line number, for the error message.

    Returns:
        The delimiter and the header's column names (stripped, lower-cased).

    Raises:
        PathFileError: No delimiter yields both ``path`` and ``total_conversions``.
    """
    candidates = [(d, _header_fields(header, d)) for d in DELIMITERS]
    matching = [(d, names) for d, names in candidates if set(_REQUIRED) <= set(names)]
    if matching:
        return max(matching, key=lambda candidate: len(candidate[1]))
    _, widest = max(candidates, key=lambda candidate: len(candidate[1]))
    missing = [name for name in _REQUIRED if name not in widest]
    raise PathFileError(
        line,
        f"the header has no column {' or '.join(missing)} (found: {', '.join(widest)}); "
        "name the columns path and total_conversions (optionally total_conversion_value "
        "and total_null), separated by commas, semicolons, tabs or pipes",
    )


def parse_number(text: str, column: str, line: int, *, required: bool) -> float | None:
    """Read a count or amount written like ``12``, ``12.0``, ``1,234`` or ``1 234.5``.

    Args:
        text: The cell.
        column: Its column name, for the error message.
        line: Its line number, for the error message.
        required: Whether an empty cell is an error (else it gives None).

    Returns:
        The number, or None for an empty optional cell.

    Raises:
        PathFileError: The cell is empty but required, not a number, or negative.
    """
    cell = _NUMBER_SPACES.sub("", text)
    if not cell:
        if required:
            raise PathFileError(line, f"{column} is empty; write 0 if the path never converted")
        return None
    if cell.startswith("-"):
        raise PathFileError(line, f"{column} is {text.strip()!r}, negative; counts must be ≥ 0")
    if _THOUSANDS.fullmatch(cell):
        cell = cell.replace(",", "")
    if not _PLAIN_NUMBER.fullmatch(cell):
        raise PathFileError(
            line,
            f"{column} is {text.strip()!r}, not a number; write it like 12, 12.0 or 1,234 "
            "(a dot for decimals)",
        )
    return float(cell)


def _record(fields: list[str], columns: dict[str, int], line: int) -> PathRecord:
    try:
        path = split_path(fields[columns[PATH_COLUMN]])
    except ValueError as error:
        raise PathFileError(line, f"{error}; write channels joined by ' > '") from error
    numbers = [
        parse_number(fields[columns[name]], name, line, required=name == CONVERSIONS_COLUMN)
        if name in columns
        else None
        for name in (CONVERSIONS_COLUMN, VALUE_COLUMN, NULLS_COLUMN)
    ]
    return (path, *numbers)


def parse_paths_csv(text: str) -> PathTable:
    """Parse the text of a paths CSV.

    Args:
        text: The decoded file, a leading BOM allowed.

    Returns:
        The distinct paths, summed; ``has_value`` and ``has_nulls`` say whether the
        optional columns were present.

    Raises:
        PathFileError: The header, a row or a cell is unusable.
    """
    lines = text.removeprefix("\ufeff").splitlines()
    header_index = next((i for i, line in enumerate(lines) if line.strip()), None)
    if header_index is None:
        raise PathFileError(1, "the file is empty; it needs a header and one row per path")
    delimiter, names = detect_delimiter(lines[header_index], header_index + 1)
    columns: dict[str, int] = {}
    for position, name in enumerate(names):
        columns.setdefault(name, position)
    body = io.StringIO("\n".join(lines[header_index + 1 :]))
    # skipinitialspace lets `; "1,234"` be read as a quoted cell, as people write it.
    reader = csv.reader(body, delimiter=delimiter, skipinitialspace=True)
    records = []
    for fields in reader:
        line = header_index + 1 + reader.line_num
        if not any(field.strip() for field in fields):
            continue
        if len(fields) < len(names) or any(f.strip() for f in fields[len(names) :]):
            raise PathFileError(
                line,
                f"{len(fields)} fields where the header has {len(names)}; check the "
                f"{_DELIMITER_NAMES[delimiter]} delimiters and quote cells that contain one",
            )
        records.append(_record(fields, columns, line))
    if not records:
        raise PathFileError(header_index + 2, "no paths below the header; add one row per path")
    return table_from_records(
        records, has_value=VALUE_COLUMN in columns, has_nulls=NULLS_COLUMN in columns
    )


def read_paths_csv(path: str | Path) -> PathTable:
    """Read a paths CSV file (UTF-8 with or without BOM, or UTF-16 with BOM).

    Args:
        path: The file.

    Returns:
        The distinct paths, summed (see :func:`parse_paths_csv`).

    Raises:
        PathFileError: The file cannot be decoded or parsed.
        OSError: The file cannot be read.
    """
    return parse_paths_csv(_decode(Path(path).read_bytes()))
