"""Read a badge-scan export (CSV in any of its encodings, or XLSX) into rows of text cells.

This layer knows bytes, encodings and spreadsheets; it finds the header row and
returns every row below it with its line number. Mapping headers to fields and
validating values is :mod:`ingestion.exhibition.parser`'s job.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import logging
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from ingestion.exhibition.csv_fast import read_body
from ingestion.exhibition.settings import HEADER_SEARCH_ROWS, MIN_HEADER_FIELDS, SYNONYM_INDEX
from ingestion.exhibition.settings import header_key as _header_key

log = logging.getLogger(__name__)

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (BIFF) and other OLE files
_DELIMITERS = (",", "\t", ";", "|")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # Unicode Cc but \t\n\r
_HEAD_CHARS = 1 << 16  # the header is looked for in the first 64 KiB


class UnreadableFileError(Exception):
    """The whole file cannot be read; the message is the one-sentence reason."""


@dataclass
class Sheet:
    """A file's table: header, rows below it, and how the file was read."""

    format: str  # csv or xlsx
    encoding: str | None  # utf-8, utf-8-sig, gb18030, utf-16 (csv only)
    header: list[str]
    header_row: int  # 1-based line (csv) or sheet row (xlsx) of the header
    rows: list[tuple[int, list[str]]]  # (1-based line or sheet row, cells)
    title_lines: list[str] = field(default_factory=list)
    sheet_name: str | None = None
    ends_mid_row: bool = False  # the last CSV row has no line terminator
    stopped_at: tuple[int, str] | None = None  # (line, error) where CSV parsing broke off
    # The fast CSV path leaves ``rows`` empty and gives the body as columns instead, and
    # its rows of another width as (line, cells).
    table: pa.Table | None = None
    lines: np.ndarray | None = None
    odd_rows: list[tuple[int, list[str]]] = field(default_factory=list)


def _cell_text(value: object) -> str:
    """One cell as text: Excel numbers and dates rendered the way a person reads them."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        rounded = (value + dt.timedelta(microseconds=500_000)).replace(microsecond=0)
        return rounded.isoformat(sep=" ")
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(value)


def header_score(cells: list[str]) -> int:
    """How many distinct known fields a candidate header row maps."""
    return len({SYNONYM_INDEX[k] for k in map(_header_key, cells) if k in SYNONYM_INDEX})


def _split_header(candidates: list[tuple[int, list[str]]], name: str) -> int:
    """Index (in ``candidates``) of the header: the best-scoring of the first rows."""
    best_index, best_score = -1, 0
    for index, (_, cells) in enumerate(candidates[:HEADER_SEARCH_ROWS]):
        score = header_score(cells)
        if score > best_score:
            best_index, best_score = index, score
    if best_score < MIN_HEADER_FIELDS:
        raise UnreadableFileError(
            f"{name} has no header row with at least {MIN_HEADER_FIELDS} known column names "
            f"in its first {HEADER_SEARCH_ROWS} rows"
        )
    return best_index


def _build_sheet(
    fmt: str,
    encoding: str | None,
    records: list[tuple[int, list[str]]],
    name: str,
    sheet_name: str | None = None,
) -> Sheet:
    index = _split_header(records, name)
    header_line, header = records[index]
    while header and not header[-1].strip():
        header = header[:-1]  # trailing empty header cells (Excel pads rows)
    titles = [" ".join(c.strip() for c in cells if c.strip()) for _, cells in records[:index]]
    return Sheet(
        format=fmt,
        encoding=encoding,
        header=[h.strip() for h in header],
        header_row=header_line,
        rows=records[index + 1 :],
        title_lines=[t for t in titles if t],
        sheet_name=sheet_name,
    )


# --------------------------------------------------------------------------- CSV
def _decode(data: bytes, name: str) -> tuple[str, str, bool]:
    """Text, encoding and whether the bytes stop inside a multi-byte character."""
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        if b"\x00" in data[:8192]:
            raise UnreadableFileError(f"{name} is binary, not a text or spreadsheet export")
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding, False
        except UnicodeDecodeError as error:
            # A download cut inside the last character: keep what came before it.
            cut = error.end == len(data) and error.start >= len(data) - 4
            if cut and error.reason in ("unexpected end of data", "incomplete multibyte sequence"):
                try:
                    return data[: error.start].decode(encoding), encoding, True
                except UnicodeDecodeError:
                    continue
    raise UnreadableFileError(f"{name} is neither UTF-8 nor GBK/GB18030 text")


def _looks_binary(text: str) -> bool:
    """More than 0.5% control characters (other than tab and line ends): not text."""
    sample = text[:20000]
    return len(_CONTROL_CHARS.findall(sample)) > max(3, len(sample) // 200)


def _delimiter(text: str) -> str:
    head = text[:20000]
    counts = {d: head.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_records(
    text: str, delimiter: str
) -> tuple[list[tuple[int, int, list[str]]], tuple[int, str] | None]:
    """Non-blank records as (first line, last line, cells), and where parsing broke off."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[tuple[int, int, list[str]]] = []
    line = 1
    try:
        for cells in reader:
            if any(cells) and any(cell.strip() for cell in cells):
                records.append((line, reader.line_num, cells))
            line = reader.line_num + 1
    except csv.Error as error:
        return records, (line, str(error))
    return records, None


def _head_text(data: bytes) -> tuple[str, str, bytes] | None:
    """Decoded head of the file, its encoding and the whole file as UTF-8 for Arrow.

    A UTF-8 file is not decoded past its head: Arrow validates the rest, and a file
    that is not UTF-8 after all fails there and goes the careful way.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16")
        return text[:_HEAD_CHARS], "utf-16", text.encode("utf-8")
    head = data if len(data) <= _HEAD_CHARS else data[: data.rfind(b"\n", 0, _HEAD_CHARS) + 1]
    encoding = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    try:
        return head.decode(encoding), encoding, data
    except UnicodeDecodeError:
        text = data.decode("gb18030")  # raises for a non-GB file: the careful path says so
        return text[:_HEAD_CHARS], "gb18030", text.encode("utf-8")


def _read_csv_fast(data: bytes, name: str) -> Sheet | None:
    """The header from the head of the file, the body through Arrow; None if not clean."""
    try:
        head, encoding, utf8 = _head_text(data)
    except UnicodeDecodeError:
        return None
    if (b"\x00" in data[:8192] and encoding != "utf-16") or _looks_binary(head):
        return None
    head = head[: head.rfind("\n") + 1] if len(head) >= _HEAD_CHARS else head
    delimiter = _delimiter(head)
    records, stopped_at = _csv_records(head, delimiter)
    if stopped_at or not records:
        return None
    try:
        index = _split_header([(first, cells) for first, _, cells in records], name)
    except UnreadableFileError:
        return None
    sheet = _build_sheet("csv", encoding, [(f, c) for f, _, c in records[: index + 1]], name)
    body = read_body(utf8, records[index][1], len(sheet.header), delimiter)
    if body is None:
        return None
    sheet.table, sheet.lines, odd = body
    sheet.odd_rows = [(line, next(csv.reader([text], delimiter=delimiter))) for line, text in odd]
    return sheet


def read_csv(data: bytes, name: str, *, fast: bool = True) -> Sheet:
    """Read a CSV (or tab-separated) export: UTF-8, UTF-8 with BOM, UTF-16 or GBK/GB18030.

    Args:
        data: The file's bytes.
        name: The file name, for messages.
        fast: Try the Arrow path for a clean body first (see ``csv_fast``).

    Returns:
        The sheet; ``ends_mid_row`` is set when the last row has no line terminator.

    Raises:
        UnreadableFileError: Binary content, an unknown encoding, or no header row.
    """
    if fast and (sheet := _read_csv_fast(data, name)):
        return sheet
    text, encoding, cut_in_char = _decode(data, name)
    if _looks_binary(text):
        raise UnreadableFileError(f"{name} is binary, not a text or spreadsheet export")
    delimiter = _delimiter(text)
    records, stopped_at = _csv_records(text, delimiter)
    if stopped_at:
        # Rows before a broken line are good; the parser rejects the rest with this reason.
        log.warning("%s: CSV error at line %d: %s", name, *stopped_at)
    sheet = _build_sheet("csv", encoding, [(first, cells) for first, _, cells in records], name)
    sheet.stopped_at = stopped_at
    sheet.ends_mid_row = cut_in_char or not text.endswith(("\n", "\r"))
    return sheet


# -------------------------------------------------------------------------- XLSX
def read_xlsx(data: bytes, name: str) -> Sheet:
    """Read the first worksheet that has a header row from an XLSX workbook (read-only mode).

    Raises:
        UnreadableFileError: Not a workbook, a corrupt one, or no sheet with a header row.
    """
    import openpyxl  # imported here: the CSV path should not pay for it

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise UnreadableFileError(f"{name} is not a readable XLSX workbook ({error})") from error
    try:
        problems = []
        for worksheet in workbook.worksheets:
            worksheet.reset_dimensions()  # some exporters write a wrong <dimension>
            records = []
            try:
                for row_number, values in enumerate(worksheet.iter_rows(values_only=True), 1):
                    cells = [_cell_text(v) for v in values]
                    if any(cell.strip() for cell in cells):
                        records.append((row_number, cells))
            except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as error:
                raise UnreadableFileError(f"{name} is a corrupt XLSX workbook ({error})") from error
            try:
                return _build_sheet("xlsx", None, records, name, worksheet.title)
            except UnreadableFileError as error:
                problems.append(str(error))
        raise UnreadableFileError(problems[0] if problems else f"{name} has no worksheet")
    finally:
        workbook.close()


def read_sheet(path: Path, data: bytes | None = None, *, fast: bool = True) -> Sheet:
    """Read a landed file by its content (not its extension).

    Raises:
        UnreadableFileError: With a one-sentence reason when the file cannot be read at all.
    """
    data = path.read_bytes() if data is None else data
    name = path.name
    if not data.strip():
        raise UnreadableFileError(f"{name} is empty")
    if data.startswith(ZIP_MAGIC):
        return read_xlsx(data, name)
    if data.startswith(OLE_MAGIC):
        raise UnreadableFileError(f"{name} is a legacy .xls workbook; re-save it as .xlsx or CSV")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise UnreadableFileError(f"{name} is not a readable XLSX workbook (no ZIP signature)")
    return read_csv(data, name, fast=fast)
