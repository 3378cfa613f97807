"""Parse one badge-scan export into typed, normalised rows and rejected rows.

``parse_file`` reads the file (:mod:`ingestion.exhibition.reader`), maps its
headers through ``FIELD_SYNONYMS``, keeps unknown columns in ``extra_json``,
makes text half-width, normalises phones/e-mails/company names and parses scan
times. A row is rejected (never dropped) when it has the wrong number of fields,
when the file ends in the middle of it, when its scan time cannot be parsed,
when it lies far from the exhibition's other scans (a wrong scanner clock), when
neither its phone nor its e-mail is usable, or when it repeats an earlier
row's scan (same exhibition, badge and time) in the same file.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingestion.common.rejects import rejected_row
from ingestion.exhibition.reader import Sheet, UnreadableFileError, read_sheet
from ingestion.exhibition.rows import days_from_median, extra_json, normalise
from ingestion.exhibition.settings import (
    BADGE_SCHEMA,
    BADGE_TABLE,
    SOURCE_SYSTEM,
    SYNONYM_INDEX,
    header_key,
)
from ingestion.exhibition.timestamps import CHINA_UTC_OFFSET_HOURS

EXTRA = "extra"


@dataclass
class ParsedFile:
    """One landed file after parsing: good rows as Arrow, rejects as records."""

    file_id: str
    name: str
    size_bytes: int
    format: str = "unknown"
    encoding: str | None = None
    sheet: str | None = None
    header_row: int | None = None
    title: str | None = None
    header_map: dict[str, str] = field(default_factory=dict)
    table: pa.Table = field(default_factory=BADGE_SCHEMA.empty_table)
    rejects: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    # Good rows left out of ``table`` because an earlier file of the run delivered them.
    delivered_before: int = 0

    @property
    def status(self) -> str:
        """``loaded``, ``partial`` (some rows rejected) or ``rejected`` (file unreadable)."""
        if self.error:
            return "rejected"
        return "partial" if self.rejects else "loaded"

    def file_record(self) -> dict[str, Any]:
        """The row of the ``files`` table describing this file."""
        return {
            "file_id": self.file_id,
            "name": self.name,
            "format": self.format,
            "encoding": self.encoding,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "title": self.title,
            "header_map_json": json.dumps(self.header_map, ensure_ascii=False)
            if self.header_map
            else None,
            "rows": self.table.num_rows + self.delivered_before,
            "rejected": len(self.rejects),
            "status": self.status,
            "error": self.error,
            "size_bytes": self.size_bytes,
        }


def content_id(data: bytes) -> str:
    """The file id: a hash of the content, so a renamed copy is the same file."""
    return hashlib.sha256(data).hexdigest()[:32]


def _map_headers(header: list[str]) -> tuple[dict[str, list[int]], list[int], dict[str, str]]:
    """Field -> column indexes (first wins, later ones fill blanks), extra indexes, the map."""
    by_field: dict[str, list[int]] = {}
    extras: list[int] = []
    described: dict[str, str] = {}
    for index, title in enumerate(header):
        target = SYNONYM_INDEX.get(header_key(title))
        label = title or f"column_{index + 1}"
        if target is None:
            extras.append(index)
            described[label] = EXTRA
        else:
            described[label] = target if target not in by_field else f"{target} (fallback)"
            by_field.setdefault(target, []).append(index)
    return by_field, extras, described


def _fit(cells: list[str], width: int, xlsx: bool) -> list[str] | None:
    """The row's cells at the header's width, or None when it has another width."""
    if len(cells) > width and not any(c.strip() for c in cells[width:]):
        cells = cells[:width]
    if len(cells) < width and xlsx:
        cells = cells + [""] * (width - len(cells))  # Excel omits trailing empty cells
    return cells if len(cells) == width else None


def _wrong_width(cells: list[str], width: int) -> str:
    return f"the row has {len(cells)} fields but the header has {width}"


def _check_shapes(
    sheet: Sheet, width: int, ref: Any, payload: Any, rejects: list[dict[str, Any]]
) -> tuple[list[int], list[list[str]]]:
    """Rows with the header's field count; the others become rejects."""
    lines: list[int] = []
    good: list[list[str]] = []
    last = len(sheet.rows) - 1
    for position, (line, cells) in enumerate(sheet.rows):
        fitted = _fit(cells, width, sheet.format == "xlsx")
        if fitted is not None:
            lines.append(line)
            good.append(fitted)
            continue
        if position == last and sheet.ends_mid_row and len(cells) < width:
            reason = (
                f"the file ends in the middle of this row (truncated file): it has "
                f"{len(cells)} of {width} fields"
            )
        else:
            reason = _wrong_width(cells, width)
        rejects.append(rejected_row(BADGE_TABLE, reason, payload(cells), ref(line)))
    if sheet.stopped_at:
        line, message = sheet.stopped_at
        rejects.append(
            rejected_row(
                BADGE_TABLE,
                f"CSV parsing stopped here ({message}); later lines were not read",
                {"error": message},
                ref(line),
            )
        )
    return lines, good


def parse_file(
    path: Path,
    *,
    data: bytes | None = None,
    utc_offset_hours: int = CHINA_UTC_OFFSET_HOURS,
    fast: bool = True,
) -> ParsedFile:
    """Parse one badge-scan export.

    Args:
        path: The landed file (CSV in UTF-8/UTF-8-BOM/GBK/GB18030/UTF-16, or XLSX).
        data: The file's bytes when the caller already read them.
        utc_offset_hours: Offset of the exhibition's local time (China: 8).
        fast: Let a clean CSV body go through Arrow's reader (same rows, faster).

    Returns:
        The parsed file: good rows (``BADGE_SCHEMA``), rejected rows, and the
        ``files`` record; an unreadable file has ``error`` set and no rows.
    """
    data = path.read_bytes() if data is None else data
    parsed = ParsedFile(file_id=content_id(data), name=path.name, size_bytes=len(data))

    def ref(line: int) -> str:
        return f"{path.name}:{line}"

    try:
        sheet = read_sheet(path, data, fast=fast)
    except UnreadableFileError as error:
        parsed.error = str(error)
        parsed.rejects.append(
            rejected_row(
                BADGE_TABLE,
                parsed.error,
                {"file_name": path.name, "size_bytes": len(data), "head_hex": data[:32].hex()},
                path.name,
            )
        )
        return parsed
    parsed.format, parsed.encoding, parsed.sheet = sheet.format, sheet.encoding, sheet.sheet_name
    parsed.header_row, parsed.title = sheet.header_row, " / ".join(sheet.title_lines) or None
    by_field, extras, parsed.header_map = _map_headers(sheet.header)
    missing = [f for f in ("scanned_at",) if f not in by_field]
    if missing or not ({"mobile", "email"} & by_field.keys()):
        parsed.error = (
            f"{path.name} has no scan-time column"
            if missing
            else f"{path.name} has neither a phone nor an e-mail column"
        )
        parsed.rejects.append(
            rejected_row(BADGE_TABLE, parsed.error, {"header": sheet.header}, ref(sheet.header_row))
        )
        return parsed

    labels = list(parsed.header_map)
    columns, lines = _columns(sheet, labels, ref, parsed.rejects)
    fields = normalise(columns, by_field, sheet, path, utc_offset_hours)
    keep = _check_rows(fields, columns, lines, by_field, labels, ref, parsed.rejects)
    rows = len(lines)
    table = pa.table(
        {
            **{name: fields[name] for name in BADGE_SCHEMA.names if name in fields},
            "extra_json": extra_json(
                [columns[j] for j in extras], [labels[j] for j in extras], rows
            ),
            "file_id": pa.array([parsed.file_id] * rows, pa.string()),
            "file_name": pa.array([path.name] * rows, pa.string()),
            "row_number": pa.array(lines, pa.int64()),
            "_source_system": pa.array([SOURCE_SYSTEM] * rows, pa.string()),
        }
    )
    parsed.table = table.select(BADGE_SCHEMA.names).filter(keep).cast(BADGE_SCHEMA)
    return parsed


def _columns(
    sheet: Sheet, labels: list[str], ref: Any, rejects: list[dict[str, Any]]
) -> tuple[list[pa.Array], np.ndarray]:
    """The sheet's body as one string array per header column, and each row's line."""
    width = len(labels)

    def payload(cells: list[str]) -> Any:
        return dict(zip(labels, cells, strict=True)) if len(cells) == width else cells

    if sheet.table is not None and sheet.lines is not None:
        columns = [sheet.table.column(i).combine_chunks() for i in range(width)]
        return _with_odd_rows(sheet, columns, width, ref, payload, rejects)
    lines, good = _check_shapes(sheet, width, ref, payload, rejects)
    if not good:
        return [pa.array([], pa.string()) for _ in range(width)], np.array([], np.int64)
    columns = [pa.array(column, pa.string()) for column in zip(*good, strict=True)]
    return columns, np.asarray(lines, dtype=np.int64)


def _with_odd_rows(
    sheet: Sheet,
    columns: list[pa.Array],
    width: int,
    ref: Any,
    payload: Any,
    rejects: list[dict[str, Any]],
) -> tuple[list[pa.Array], np.ndarray]:
    """The fast path's rows of another width, judged as the careful path judges them."""
    assert sheet.lines is not None
    lines, kept_lines, kept = sheet.lines, [], []
    for line, cells in sheet.odd_rows:
        if not any(cell.strip() for cell in cells):
            continue  # blank: the careful path never sees it as a row
        fitted = _fit(cells, width, xlsx=False)
        if fitted is None:
            rejects.append(
                rejected_row(BADGE_TABLE, _wrong_width(cells, width), payload(cells), ref(line))
            )
        else:
            kept_lines.append(line)
            kept.append(fitted)
    if kept:
        extra = [pa.array(column, pa.string()) for column in zip(*kept, strict=True)]
        lines = np.concatenate([lines, np.asarray(kept_lines, dtype=np.int64)])
        order = pa.array(np.argsort(lines, kind="stable"))
        columns = [
            pa.concat_arrays([c, e]).take(order) for c, e in zip(columns, extra, strict=True)
        ]
        lines = np.sort(lines, kind="stable")
    return columns, lines


def _check_rows(
    fields: dict[str, pa.Array],
    columns: list[pa.Array],
    lines: np.ndarray,
    by_field: dict[str, list[int]],
    labels: list[str],
    ref: Any,
    rejects: list[dict[str, Any]],
) -> pa.Array:
    """Reject rows without a usable time or contact, and repeats; the mask of rows kept."""
    scanned_at = fields["scanned_at"]
    no_time = pc.is_null(scanned_at).to_numpy(zero_copy_only=False)
    outlier_days = days_from_median(fields["exhibition_name"], scanned_at)
    no_contact = pc.and_(
        pc.is_null(fields["mobile_e164"]), pc.is_null(fields["email_normalized"])
    ).to_numpy(zero_copy_only=False)
    bad = no_time | (outlier_days >= 0) | no_contact
    # Among the rows that pass, a key seen before is the same scan exported twice.
    key_index = fields["scan_key"].dictionary_encode().indices.to_numpy(zero_copy_only=False)
    valid = np.flatnonzero(~bad)
    _, first = np.unique(key_index[valid], return_index=True)
    repeat = np.ones(len(lines), dtype=bool)
    repeat[valid[first]] = False
    repeat &= ~bad
    first_line = dict(
        zip(key_index[valid[first]].tolist(), lines[valid[first]].tolist(), strict=True)
    )
    raw_time = fields["scanned_at_raw"]
    for i in np.flatnonzero(bad | repeat).tolist():
        shown_time = raw_time[i].as_py() or ""
        if no_time[i]:
            reason = f"the scan time {shown_time!r} cannot be parsed"
        elif outlier_days[i] >= 0:
            reason = (
                f"the scan time {shown_time!r} is {outlier_days[i]} days away from the "
                f"other scans of this exhibition (a scanner clock was wrong)"
            )
        elif no_contact[i]:
            reason = (
                f"neither the phone {fields['mobile'][i].as_py() or ''!r} nor the e-mail "
                f"{fields['email'][i].as_py() or ''!r} is usable"
            )
        else:
            reason = (
                f"duplicate of line {first_line[key_index[i]]}: same exhibition, badge "
                f"and scan time"
            )
        cells = dict(zip(labels, (column[i].as_py() for column in columns), strict=True))
        rejects.append(rejected_row(BADGE_TABLE, reason, cells, ref(int(lines[i]))))
    return pa.array(~(bad | repeat), pa.bool_())
