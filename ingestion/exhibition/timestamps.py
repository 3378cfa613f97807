"""Scan times as organisers export them, to UTC.

Accepted (full-width characters are made half-width first):

- ``2025-05-12 14:03:11``, ``2025-05-12 14:03``, ``2025-05-12`` (midnight),
  with ``/``, ``.`` or ``年 月 日`` between the date parts and one- or two-digit
  month, day, hour (``2025/5/12 9:03``), ``T`` or spaces before the time;
- fractions of a second (dropped) and an explicit offset (``+08:00``, ``Z``), which
  is honoured;
- ``上午``/``下午`` or ``AM``/``PM`` before or after the time (12-hour clock);
- Excel serial dates (``45789.585``, days since 1899-12-30), as XLSX number
  cells or text, rounded to the second.

Times without an offset are local to the exhibition: China Standard Time (UTC+8,
no daylight saving) unless the caller says otherwise. Invalid calendar values
(Feb 30, 25:00), years outside 2000–2099 and day-first or month-first forms
(``12/05/2025``, ambiguous) give None.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingestion.common.normalize import to_halfwidth

CHINA_UTC_OFFSET_HOURS = 8
UTC_TIMESTAMP = pa.timestamp("us", tz="UTC")
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # Excel's day 0, in local wall-clock time
_SERIAL = r"^\d{5}(?:\.\d+)?$"
_SERIAL_MIN, _SERIAL_MAX = 36526.0, 73051.0  # 2000-01-01 .. 2100-01-01
_YEARS = range(2000, 2100)
# The common shape both paths read: date, optional 24-hour time, no offset.
_PLAIN = (
    r"^\s*(?P<y>\d{4})[-/.年](?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})日?"
    r"(?:(?:\s+|T)(?P<H>\d{1,2}):(?P<M>\d{1,2})(?::(?P<S>\d{1,2}))?)?\s*$"
)
_GENERAL = re.compile(
    r"^(?P<y>\d{4})[-/.年](?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})日?"
    r"(?:(?:\s*|T)(?P<ampm1>上午|下午|am|pm)?\s*(?P<H>\d{1,2})[:时](?P<M>\d{1,2})(?:[:分](?P<S>\d{1,2})秒?)?"
    r"(?:\.\d+)?\s*(?P<ampm2>上午|下午|am|pm)?)?"
    r"\s*(?P<tz>z|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)


def _from_serial(text: str) -> dt.datetime | None:
    """A naive local datetime from an Excel serial date."""
    days = float(text)
    if not _SERIAL_MIN <= days < _SERIAL_MAX:
        return None
    return _EXCEL_EPOCH + dt.timedelta(seconds=round(days * 86400))


def parse_scan_time(
    value: object, utc_offset_hours: int = CHINA_UTC_OFFSET_HOURS
) -> dt.datetime | None:
    """Parse one scan time to an aware UTC datetime (see the module docstring).

    Args:
        value: The cell: a string, a datetime (naive = local), or an Excel serial number.
        utc_offset_hours: Offset of naive local times from UTC.

    Returns:
        The UTC datetime, whole seconds, or None when the value is not a usable time.
    """
    local = dt.timezone(dt.timedelta(hours=utc_offset_hours))
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=local)
        moment = moment.astimezone(dt.UTC)
        moment = (moment + dt.timedelta(microseconds=500_000)).replace(microsecond=0)
        return moment if moment.year in _YEARS else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = repr(float(value))
    if not isinstance(value, str):
        return None
    text = (to_halfwidth(value) or "").strip()
    if re.match(_SERIAL, text):
        serial = _from_serial(text)
        return None if serial is None else serial.replace(tzinfo=local).astimezone(dt.UTC)
    found = _GENERAL.match(text)
    if found is None:
        return None
    parts = found.groupdict()
    hour = int(parts["H"] or 0)
    marker = (parts["ampm1"] or parts["ampm2"] or "").lower()
    if marker:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if marker in ("下午", "pm") else 0)
    tz = local
    if parts["tz"]:
        offset = parts["tz"].replace(":", "")
        if offset.lower() != "z":
            sign = -1 if offset[0] == "-" else 1
            minutes = sign * (int(offset[1:3]) * 60 + int(offset[3:5]))
        else:
            minutes = 0
        tz = dt.timezone(dt.timedelta(minutes=minutes))
    try:
        moment = dt.datetime(
            int(parts["y"]),
            int(parts["m"]),
            int(parts["d"]),
            hour,
            int(parts["M"] or 0),
            int(parts["S"] or 0),
            tzinfo=tz,
        )
    except ValueError:
        return None
    return moment.astimezone(dt.UTC) if moment.year in _YEARS else None


# The shape most exports write, exactly: read straight from the bytes with NumPy.
_CANONICAL = r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$"
# An Excel serial in ASCII digits, as exports write it: the scalar path reads it the same.
_PLAIN_SERIAL = r"^[ \t]*(?P<serial>\d{5}(?:\.\d+)?)[ \t]*$"
_EXCEL_EPOCH_S = int((_EXCEL_EPOCH - dt.datetime(1970, 1, 1)).total_seconds())


def _canonical_seconds(values: pa.Array, offset_s: int) -> tuple[np.ndarray, np.ndarray]:
    """UTC epoch seconds of ``YYYY-MM-DD hh:mm:ss`` values, and which are valid times."""
    offsets = np.frombuffer(values.buffers()[1], dtype=np.int32)[values.offset :]
    data = np.frombuffer(values.buffers()[2], dtype=np.uint8)
    digits = data[offsets[0] : offsets[0] + 19 * len(values)].reshape(-1, 19).astype(np.int64) - 48

    def number(first: int, last: int) -> np.ndarray:
        out = np.zeros(len(values), dtype=np.int64)
        for column in range(first, last):
            out = out * 10 + digits[:, column]
        return out

    year, month, day = number(0, 4), number(5, 7), number(8, 10)
    hour, minute, second = number(11, 13), number(14, 16), number(17, 19)
    month_ok = (month >= 1) & (month <= 12)
    first_of_month = (year - 1970).astype("datetime64[Y]").astype("datetime64[M]") + np.where(
        month_ok, month - 1, 0
    )
    days_in_month = (first_of_month + 1).astype("datetime64[D]") - first_of_month.astype(
        "datetime64[D]"
    )
    valid = month_ok & (day >= 1) & (day <= days_in_month.astype(np.int64))
    valid &= (hour <= 23) & (minute <= 59) & (second <= 59)
    valid &= (year >= _YEARS[0]) & (year <= _YEARS[-1])  # the local year, as the scalar path
    epoch_day = first_of_month.astype("datetime64[D]").astype(np.int64) + day - 1
    seconds = epoch_day * 86400 + hour * 3600 + minute * 60 + second - offset_s
    return seconds, valid


def _with_serials(
    values: pa.Array, fast: pa.Array, fast_us: pa.Array, shift: pa.Scalar
) -> tuple[pa.Array, pa.Array]:
    """Add Excel serial dates to the vectorised rows (float, then whole seconds, as the
    scalar path rounds them: half to even)."""
    pending = pc.invert(fast)
    found = pc.struct_field(pc.extract_regex(values, _PLAIN_SERIAL), "serial")
    serial = pc.fill_null(pc.and_(pending, pc.is_valid(found)), False)
    if not pc.any(serial).as_py():
        return fast, fast_us
    days = pc.cast(pc.if_else(serial, found, "0"), pa.float64()).to_numpy(zero_copy_only=False)
    inside = (days >= _SERIAL_MIN) & (days < _SERIAL_MAX)
    seconds = np.round(days * 86400).astype(np.int64) + _EXCEL_EPOCH_S
    local_us = pa.array(seconds * 1_000_000, pa.int64())
    serial = pc.and_(serial, pa.array(inside))
    return pc.or_(fast, serial), pc.if_else(serial, pc.subtract(local_us, shift), fast_us)


def _general(values: pa.Array, shift: pa.Scalar) -> tuple[pa.Array, pa.Array]:
    """Date, optional time, one- or two-digit parts, ``-``, ``/``, ``.`` or 年月日."""
    parts = pc.extract_regex(values, _PLAIN)
    fields = {name: pc.struct_field(parts, name) for name in ("y", "m", "d", "H", "M", "S")}
    numbers = {
        name: pc.cast(pc.if_else(pc.equal(field, ""), "0", field), pa.int64())
        for name, field in fields.items()
    }
    padded = [pc.utf8_lpad(fields[name], 2, "0") for name in ("m", "d", "H", "M", "S")]
    canonical = pc.binary_join_element_wise(
        fields["y"], "-", padded[0], "-", padded[1], " ", padded[2], ":", padded[3], ":",
        padded[4], "",
    )  # fmt: skip
    parsed = pc.strptime(canonical, format="%Y-%m-%d %H:%M:%S", unit="s", error_is_null=True)
    # Arrow rolls Feb 30 over into March and 14:03:61 into 14:04:01: a value is only
    # valid if its parts come back unchanged.
    fast = pc.and_(
        pc.greater_equal(numbers["y"], _YEARS[0]), pc.less_equal(numbers["y"], _YEARS[-1])
    )
    for name, extract in (
        ("y", pc.year), ("m", pc.month), ("d", pc.day),
        ("H", pc.hour), ("M", pc.minute), ("S", pc.second),
    ):  # fmt: skip
        fast = pc.and_(fast, pc.equal(extract(parsed), numbers[name]))
    local_us = pc.multiply(pc.cast(parsed, pa.int64()), 1_000_000)
    return pc.fill_null(fast, False), pc.subtract(local_us, shift)


def parse_scan_times(values: pa.Array, utc_offset_hours: int = CHINA_UTC_OFFSET_HOURS) -> pa.Array:
    """:func:`parse_scan_time` over a string column, vectorised for the common shapes.

    Args:
        values: Scan-time strings (nulls allowed).
        utc_offset_hours: Offset of naive local times from UTC.

    Returns:
        A ``timestamp[us, tz=UTC]`` array, null where the time is unusable.
    """
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if not pa.types.is_string(values.type):
        values = values.cast(pa.string())  # the byte-level path reads 32-bit offsets
    shift = pa.scalar(utc_offset_hours * 3_600_000_000, pa.int64())
    result = np.zeros(len(values), dtype=np.int64)
    done = np.zeros(len(values), dtype=bool)
    canonical = pc.fill_null(pc.match_substring_regex(values, _CANONICAL), False)
    if pc.any(canonical).as_py():
        where = np.flatnonzero(canonical.to_numpy(zero_copy_only=False))
        seconds, valid = _canonical_seconds(values.filter(canonical), utc_offset_hours * 3600)
        result[where[valid]] = seconds[valid] * 1_000_000
        done[where[valid]] = True
    if not done.all():
        rest = np.flatnonzero(~done)
        subset = values.take(pa.array(rest))
        fast, fast_us = _general(subset, shift)
        fast, fast_us = _with_serials(subset, fast, fast_us, shift)
        picked = fast.to_numpy(zero_copy_only=False)
        result[rest[picked]] = pc.fill_null(fast_us, 0).to_numpy(zero_copy_only=False)[picked]
        done[rest[picked]] = True
    slow_idx = np.flatnonzero(~done).tolist()
    slow_inputs = values.take(pa.array(slow_idx, pa.int64())).to_pylist()
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    for position, value in zip(slow_idx, slow_inputs, strict=True):
        moment = parse_scan_time(value, utc_offset_hours)
        if moment is not None:
            result[position] = (moment - epoch) // dt.timedelta(microseconds=1)
            done[position] = True
    return pa.array(result, pa.int64(), mask=~done).cast(UTC_TIMESTAMP)
