"""The fast path for clean CSV bodies: Arrow's multi-threaded CSV reader.

The Python ``csv`` module reads every file correctly but at a few hundred thousand
rows a second. Most exports are clean: every row has the header's width, no value
holds a line break, the file ends with one. For those, Arrow parses the body and
NumPy finds each row's line number from the line breaks. Anything else (a short
or long row, a line break inside a value, old Mac line ends, a cut file) returns
None and the caller takes the careful path, so both paths give the same rows.
"""

from __future__ import annotations

import logging

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

log = logging.getLogger(__name__)

_BLOCK_SIZE = 4 << 20


def body_offset(data: bytes, lines_before: int) -> int | None:
    """Byte offset where line ``lines_before + 1`` starts (lines end with ``\\n``)."""
    position = 0
    for _ in range(lines_before):
        found = data.find(b"\n", position)
        if found < 0:
            return None
        position = found + 1
    return position


def _record_lines(body: pa.Buffer, first_line: int) -> tuple[np.ndarray, int]:
    """Line number of every non-empty line of ``body`` (ending in ``\\n``), and its CRLFs."""
    buffer = np.frombuffer(body, dtype=np.uint8)
    ends = np.flatnonzero(buffer == 10)
    starts = np.concatenate(([0], ends[:-1] + 1))
    length = ends - starts
    carriage = (length > 0) & (buffer[np.maximum(ends - 1, 0)] == 13)
    empty = (length - carriage) == 0
    return first_line + np.flatnonzero(~empty).astype(np.int64), int(carriage.sum())


def read_body(
    data: bytes, lines_before: int, width: int, delimiter: str
) -> tuple[pa.Table, np.ndarray] | None:
    """Parse the rows below the header with Arrow, or None when the body is not clean.

    Args:
        data: The whole file as UTF-8 (a BOM is fine: it sits in the skipped lines).
        lines_before: Physical lines up to and including the header.
        width: Number of header columns.
        delimiter: The field separator.

    Returns:
        (table of ``width`` string columns, line number of each row), blank rows
        removed; None when the careful path must read the file.
    """
    if not data.endswith(b"\n"):
        return None  # maybe cut: the careful path looks at the last row
    offset = body_offset(data, lines_before)
    if offset is None or data.count(b"\r", 0, offset) != data.count(b"\r\n", 0, offset):
        return None
    if offset >= len(data):
        return None
    body = pa.py_buffer(data).slice(offset)  # zero-copy view of the rows below the header
    quoted = data.find(b'"', offset) >= 0

    names = [f"c{i}" for i in range(width)]
    try:
        table = pa_csv.read_csv(
            pa.BufferReader(body),
            read_options=pa_csv.ReadOptions(column_names=names, block_size=_BLOCK_SIZE),
            # A row of the wrong width raises: the careful path then rejects it by line.
            parse_options=pa_csv.ParseOptions(delimiter=delimiter, newlines_in_values=quoted),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid as error:
        log.debug("fast CSV path gave up: %s", error)
        return None
    # A line break inside a value needs quotes; without any, line numbers are exact.
    if quoted:
        for column in table.columns:
            if pc.any(pc.match_substring_regex(column, r"[\r\n]")).as_py():
                return None  # a line break inside a value: the careful path counts lines
    lines, crlf = _record_lines(body, lines_before + 1)
    if len(lines) != table.num_rows or data.count(b"\r", offset) != crlf:
        return None  # old Mac line ends (a lone \r) count as lines only for the careful path
    # Rows of empty cells (",,,,") are skipped like blank lines; only rows whose first
    # cell is blank can be such rows, so the full check runs on those alone.
    blank = pc.equal(pc.utf8_trim_whitespace(table.column(0)), "")
    if pc.any(blank).as_py():
        for column in table.columns[1:]:
            blank = pc.and_(blank, pc.equal(pc.utf8_trim_whitespace(column), ""))
    if pc.any(blank).as_py():
        keep = pc.invert(blank)
        table, lines = table.filter(keep), lines[keep.to_numpy(zero_copy_only=False)]
    return table, lines
