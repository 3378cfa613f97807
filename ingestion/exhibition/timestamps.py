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
    shift = pa.scalar(utc_offset_hours * 3_600_000_000, pa.int64())
    parts = pc.extract_regex(values, _PLAIN)

    fields = {name: pc.struct_field(parts, name) for name in ("y", "m", "d", "H", "M", "S")}
    numbers = {
        name: pc.cast(pc.if_else(pc.equal(field, ""), "0", field), pa.int64())
        for name, field in fields.items()
    }
    padded = [pc.utf8_lpad(fields[name], 2, "0") for name in ("m", "d", "H", "M", "S")]
    canonical = pc.binary_join_element_wise(
        fields["y"],
        "-",
        padded[0],
        "-",
        padded[1],
        " ",
        padded[2],
        ":",
        padded[3],
        ":",
        padded[4],
        "",
    )
    parsed = pc.strptime(canonical, format="%Y-%m-%d %H:%M:%S", unit="s", error_is_null=True)
    # Arrow rolls Feb 30 over into March and 14:03:61 into 14:04:01: a value is only
    # valid if its parts come back unchanged.
    fast = pc.and_(pc.greater_equal(numbers["y"], 2000), pc.less(numbers["y"], 2100))
    for name, extract in (
        ("y", pc.year),
        ("m", pc.month),
        ("d", pc.day),
        ("H", pc.hour),
        ("M", pc.minute),
        ("S", pc.second),
    ):
        fast = pc.and_(fast, pc.equal(extract(parsed), numbers[name]))
    fast = pc.fill_null(fast, False)
    local_us = pc.multiply(pc.cast(parsed, pa.int64()), 1_000_000)
    fast_us = pc.subtract(local_us, shift)

    slow_idx = pc.indices_nonzero(pc.invert(fast)).to_pylist()
    slow_inputs = values.take(pa.array(slow_idx, pa.int64())).to_pylist()
    slow_us: list[int | None] = [None] * len(values)
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    for position, value in zip(slow_idx, slow_inputs, strict=True):
        moment = parse_scan_time(value, utc_offset_hours)
        if moment is not None:
            slow_us[position] = (moment - epoch) // dt.timedelta(microseconds=1)
    combined = pc.if_else(fast, fast_us, pa.array(slow_us, pa.int64()))
    return combined.cast(UTC_TIMESTAMP)
