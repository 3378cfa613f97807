"""Row-level work on a parsed sheet: raw and normalised columns of badge_scans.

Every function takes and returns Arrow arrays, so a file of a million rows is
normalised in a few vectorised passes (see ``ingestion.common.normalize.arrays``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingestion.common.arrow_json import json_object_array
from ingestion.common.normalize import (
    clean_text_array,
    company_key_arrays,
    hash_identifier_array,
    normalize_email_array,
    normalize_phone_array,
    to_halfwidth,
)
from ingestion.exhibition.reader import Sheet
from ingestion.exhibition.settings import MAX_DAYS_FROM_MEDIAN, TEXT_FIELDS
from ingestion.exhibition.timestamps import parse_scan_times

_TITLE_EXHIBITION = re.compile(
    r"(?:展会名称|展会|活动名称|活动|exhibition|event)\s*[:：]\s*(.+?)\s*$", re.IGNORECASE
)


def _blank_to_null(values: pa.Array) -> pa.Array:
    blank = pc.equal(pc.utf8_trim_whitespace(values), "")
    return pc.if_else(blank, pa.scalar(None, pa.string()), values)


def _column(columns: list[pa.Array], indexes: list[int] | None, rows: int) -> pa.Array:
    if not indexes:
        return pa.nulls(rows, pa.string())
    values = _blank_to_null(columns[indexes[0]])
    for index in indexes[1:]:
        values = pc.coalesce(values, _blank_to_null(columns[index]))
    return values


def _exhibition_hint(sheet: Sheet, path: Path) -> str:
    for line in sheet.title_lines:
        if found := _TITLE_EXHIBITION.search(to_halfwidth(line) or ""):
            return found.group(1)
    return path.stem


def days_from_median(exhibition: pa.Array, scanned_at: pa.Array) -> np.ndarray:
    """Days between each scan and its exhibition's median scan where beyond the limit, else -1.

    A show lasts days: a scan months or years away from the other scans of the same
    exhibition (a scanner whose clock reset to 2000-01-01, or a wrong year) is wrong.
    """
    out = np.full(len(scanned_at), -1, dtype=np.int64)
    valid = ~pc.is_null(scanned_at).to_numpy(zero_copy_only=False)
    if not valid.any():
        return out
    micros = pc.cast(pc.fill_null(scanned_at, 0), pa.int64()).to_numpy(zero_copy_only=False)
    encoded = exhibition.dictionary_encode()
    groups = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
    day = 86_400_000_000
    for group in np.unique(groups[valid]).tolist():
        rows = np.flatnonzero(valid & (groups == group))
        distance = np.abs(micros[rows] - np.median(micros[rows]))
        far = distance > MAX_DAYS_FROM_MEDIAN * day
        out[rows[far]] = distance[far] // day
    return out


def _scan_keys(
    exhibition: pa.Array, badge: pa.Array, phone: pa.Array, email: pa.Array, scanned_at: pa.Array
) -> pa.Array:
    """sha256(exhibition | identity | UTC epoch second): stable across re-exports of a scan."""
    # A file names one or a few exhibitions: work on the distinct names.
    names = exhibition.dictionary_encode()
    event = pc.utf8_lower(pc.replace_substring_regex(names.dictionary, r"\s+", ""))
    event = event.take(names.indices)
    identity = pc.coalesce(
        pc.binary_join_element_wise("badge:", badge, ""),
        pc.binary_join_element_wise("phone:", phone, ""),
        pc.binary_join_element_wise("email:", email, ""),
        pa.scalar("none:", pa.string()),
    )
    seconds = pc.divide(pc.cast(scanned_at, pa.int64()), 1_000_000)  # whole seconds already
    moment = pc.fill_null(pc.cast(seconds, pa.string()), "")
    text = pc.binary_join_element_wise(event, identity, moment, "|")
    return hash_identifier_array(text, chars=32)


def normalise(
    columns: list[pa.Array],
    by_field: dict[str, list[int]],
    sheet: Sheet,
    path: Path,
    utc_offset_hours: int,
) -> dict[str, pa.Array]:
    """Every raw and normalised column of badge_scans (except file bookkeeping)."""
    rows = len(columns[0]) if columns else 0
    out = {
        name: _column(columns, by_field.get(name), rows)
        for name in ("mobile", "email", "scanned_at")
    }
    out["scanned_at_raw"] = out.pop("scanned_at")
    for name in TEXT_FIELDS:
        indexes = by_field.get(name)
        # One column: cleaning makes blanks null itself (the same as blanking first).
        source = columns[indexes[0]] if indexes and len(indexes) == 1 else None
        out[name] = clean_text_array(
            source if source is not None else _column(columns, indexes, rows)
        )
    out["exhibition_name"] = pc.fill_null(out.pop("exhibition"), _exhibition_hint(sheet, path))
    out["mobile_e164"] = normalize_phone_array(out["mobile"])
    out["email_normalized"] = normalize_email_array(out["email"])
    out["scanned_at"] = parse_scan_times(out["scanned_at_raw"], utc_offset_hours)
    out["company_match_key"], out["company_core_key"] = company_key_arrays(out["company"])
    out["phone_hash"] = hash_identifier_array(out["mobile_e164"])
    out["email_hash"] = hash_identifier_array(out["email_normalized"])
    out["scan_key"] = _scan_keys(
        out["exhibition_name"],
        out["badge_id"],
        out["mobile_e164"],
        out["email_normalized"],
        out["scanned_at"],
    )
    return out


# Python's str.strip() also removes the separators \x1c-\x1f; Unicode's White_Space does not.
_SEPARATOR_CHARS = "[\x1c-\x1f]"


def _blank(values: pa.Array) -> pa.Array:
    """Whether each cell is empty or only whitespace (as ``not cell.strip()`` says)."""
    blank = pc.equal(pc.utf8_trim_whitespace(values), "")
    odd = pc.fill_null(pc.match_substring_regex(values, _SEPARATOR_CHARS), False)
    if pc.any(odd).as_py():
        judged = [not v.strip() for v in values.filter(odd).to_pylist()]
        blank = pc.replace_with_mask(blank, odd, pa.array(judged, pa.bool_()))
    return pc.fill_null(blank, True)


def extra_json(columns: list[pa.Array], labels: list[str], rows: int) -> pa.Array:
    """Unknown columns of each row as a JSON object of its non-blank cells (or null)."""
    if not columns:
        return pa.nulls(rows, pa.string())
    if len(set(labels)) == len(labels):
        members = [
            (label, pc.if_else(_blank(column), pa.scalar(None, pa.string()), column))
            for label, column in zip(labels, columns, strict=True)
        ]
        return json_object_array(members, empty=None)
    out: list[str | None] = []  # two unknown columns of one name: the later value wins
    for cells in zip(*(column.to_pylist() for column in columns), strict=True):
        kept = {
            label: cell for label, cell in zip(labels, cells, strict=True) if cell and cell.strip()
        }
        out.append(json.dumps(kept, ensure_ascii=False) if kept else None)
    return pa.array(out, pa.string())
