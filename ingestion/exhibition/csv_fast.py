"""The fast path for clean CSV bodies: Arrow's multi-threaded CSV reader.

The Python ``csv`` module reads every file correctly but at a few hundred thousand
rows a second. Most exports are clean: no value holds a line break and the file ends
with one. For those, Arrow parses the body and NumPy finds each row's line number
from the line breaks. A row of the wrong width (a stray delimiter, a short row) is
handed back as text with its line, for the parser to judge as the careful path
would. Anything else (a line break inside a value, old Mac line ends, a cut file)
returns None and the caller takes the careful path, so both paths give the same rows.
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


def _record_lines(body: pa.Buffer, first_line: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Line number and start offset of every non-empty line of ``body`` (ending in
    ``\\n``), and its number of CRLFs."""
    buffer = np.frombuffer(body, dtype=np.uint8)
    ends = np.flatnonzero(buffer == 10)
    starts = np.concatenate(([0], ends[:-1] + 1))
    length = ends - starts
    carriage = (length > 0) & (buffer[np.maximum(ends - 1, 0)] == 13)
    filled = np.flatnonzero((length - carriage) != 0)
    return first_line + filled.astype(np.int64), starts[filled], int(carriage.sum())


def _bad_row_positions(body: bytes, starts: np.ndarray, texts: list[str]) -> np.ndarray | None:
    """Which of the non-empty lines (by index) hold the rows Arrow refused, or None.

    Arrow hands back a refused row's text but not its line; each text is found as a
    whole line of the body. A text found more or fewer times than Arrow refused it
    (it would then also be a good row, which cannot be) sends the file the careful way.
    """
    found: list[int] = []
    wanted: dict[str, int] = {}
    for text in texts:
        wanted[text] = wanted.get(text, 0) + 1
    for text, count in wanted.items():
        needle = text.encode("utf-8")
        hits = []
        position = body.find(needle)
        while position >= 0:
            after = position + len(needle)
            at_start = position == 0 or body[position - 1] == 10
            at_end = body[after : after + 1] == b"\n" or body[after : after + 2] == b"\r\n"
            if at_start and at_end:
                hits.append(position)
            position = body.find(needle, position + 1)
        if len(hits) != count:
            return None
        found.extend(hits)
    offsets = np.array(sorted(found), dtype=np.int64)
    index = np.searchsorted(starts, offsets)
    if (index >= len(starts)).any() or not np.array_equal(starts[index], offsets):
        return None
    return index


def read_body(
    data: bytes, lines_before: int, width: int, delimiter: str
) -> tuple[pa.Table, np.ndarray, list[tuple[int, str]]] | None:
    """Parse the rows below the header with Arrow, or None when the body is not clean.

    Args:
        data: The whole file as UTF-8 (a BOM is fine: it sits in the skipped lines).
        lines_before: Physical lines up to and including the header.
        width: Number of header columns.
        delimiter: The field separator.

    Returns:
        (table of ``width`` string columns, line number of each row, the rows of another
        width as (line, text)), blank rows removed; None when the careful path must
        read the file.
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
    refused: list[str] = []

    def refuse(row: pa_csv.InvalidRow) -> str:
        refused.append(row.text)
        return "skip"

    names = [f"c{i}" for i in range(width)]
    try:
        table = pa_csv.read_csv(
            pa.BufferReader(body),
            read_options=pa_csv.ReadOptions(column_names=names, block_size=_BLOCK_SIZE),
            parse_options=pa_csv.ParseOptions(
                delimiter=delimiter, newlines_in_values=quoted, invalid_row_handler=refuse
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid as error:
        log.debug("fast CSV path gave up: %s", error)
        return None
    # A record holding a line break spans two non-empty lines (its quotes sit on both), so
    # records and non-empty lines only pair up when no value holds one.
    lines, starts, crlf = _record_lines(body, lines_before + 1)
    if len(lines) != table.num_rows + len(refused) or data.count(b"\r", offset) != crlf:
        return None  # old Mac line ends (a lone \r) count as lines only for the careful path
    bad: list[tuple[int, str]] = []
    if any("\n" in text or "\r" in text for text in refused):
        return None  # a refused row that spans lines: only the careful path counts them
    if refused:
        positions = _bad_row_positions(data[offset:], starts, refused)
        if positions is None:
            return None
        keep = np.ones(len(lines), dtype=bool)
        keep[positions] = False
        for position in positions.tolist():
            begin = offset + int(starts[position])
            text = data[begin : data.index(b"\n", begin)].rstrip(b"\r").decode("utf-8")
            bad.append((int(lines[position]), text))
        lines = lines[keep]
    # Rows of empty cells (",,,,") are skipped like blank lines; only rows whose first
    # cell is blank can be such rows, so the full check runs on those alone.
    blank = pc.equal(pc.utf8_trim_whitespace(table.column(0)), "")
    if pc.any(blank).as_py():
        for column in table.columns[1:]:
            blank = pc.and_(blank, pc.equal(pc.utf8_trim_whitespace(column), ""))
    if pc.any(blank).as_py():
        keep = pc.invert(blank)
        table, lines = table.filter(keep), lines[keep.to_numpy(zero_copy_only=False)]
    return table, lines, bad
