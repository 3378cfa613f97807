"""Typed Arrow columns from JSON records, with a reason for every value that does not parse.

Each page is converted column by column: a fast vectorised path for clean pages and
a per-value path only when a value does not fit, so a corrupted record costs one
slow page, not a slow load. Rows with any problem leave the page as rejects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ingestion.common.rejects import rejected_row

MONEY = pa.decimal128(18, 2)
TS_UTC = pa.timestamp("us", tz="UTC")
CHINA = dt.timezone(dt.timedelta(hours=8))
_CENT = Decimal("0.01")
Values = list[Any] | pa.Array
_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M")


def _to_int(value: Any) -> int | None:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip()
    return int(text)


def _to_money(value: Any) -> Decimal:
    amount = Decimal(str(value).strip().replace(",", ""))
    if not amount.is_finite():
        raise ValueError
    return amount.quantize(_CENT)


def _to_date(value: Any) -> dt.date:
    text = str(value).strip()
    if len(text) == 8 and text.isdigit():
        return dt.datetime.strptime(text, "%Y%m%d").date()
    return (
        dt.date.fromisoformat(text[:10]) if len(text) in (10, 19) else dt.date.fromisoformat(text)
    )


def china_time_to_utc(value: Any) -> dt.datetime:
    """A China-time string (or epoch seconds/milliseconds, or ISO with offset) as UTC."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = value / 1000 if value > 1e11 else value
        return dt.datetime.fromtimestamp(seconds, dt.UTC)
    text = str(value).strip()
    if text.isdigit():
        return china_time_to_utc(int(text))
    for form in _TIME_FORMATS:
        try:
            return dt.datetime.strptime(text, form).replace(tzinfo=CHINA).astimezone(dt.UTC)
        except ValueError:
            continue
    moment = dt.datetime.fromisoformat(text)  # raises ValueError when nothing fits
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=CHINA)
    return moment.astimezone(dt.UTC)


class PageColumns:
    """Build one page's typed columns and collect per-row problems.

    Args:
        records: The page's JSON records.
        table_name: The raw table (for rejects).
        source_ref: ``<endpoint> <cursor>`` of the page (for rejects).
        key: The record's natural key as (raw column, API field) pairs. A reject whose
            key is intact is referenced by it (``<endpoint> clueId=88``), so pulling it
            again in a later, shifted window keeps one reject; otherwise by its place
            in the page.
    """

    def __init__(
        self,
        records: list[dict[str, Any]],
        table_name: str,
        source_ref: str,
        key: tuple[tuple[str, str], ...] = (),
        fields: dict[str, pa.DataType] | None = None,
    ) -> None:
        self.records = records
        self.table_name = table_name
        self.source_ref = source_ref
        self.key = key
        self.columns: dict[str, pa.Array] = {}
        self.problems: dict[int, list[str]] = {}
        self.bad_columns: dict[int, set[str]] = {}
        # What a reject keeps as its payload (the records as received, if they were reshaped).
        self.payloads: list[Any] = records
        self._fast: dict[str, pa.Array] = {}
        if fields and records:
            # One C++ conversion of the whole page when every value has its usual type;
            # any surprise (a number as text, "--" as a cost) takes the per-field path.
            try:
                struct = pa.array(records, type=pa.struct(fields))
            except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
                pass
            else:
                self._fast = {name: struct.field(name) for name in fields}

    def values(self, *keys: str) -> Values:
        """A field of every record, trying ``keys`` in order (API field names vary)."""
        if self._fast and all(k in self._fast for k in keys):
            arrays = [self._fast[k] for k in keys]
            return arrays[0] if len(arrays) == 1 else pc.coalesce(*arrays)
        first = keys[0]
        out = [r.get(first) for r in self.records]
        for key in keys[1:]:
            if None not in out:
                break
            out = [r.get(key) if v is None else v for r, v in zip(self.records, out, strict=True)]
        return out

    def flag(self, position: int, reason: str, column: str = "") -> None:
        """Mark a row as rejected, with one reason (and the raw column at fault)."""
        self.problems.setdefault(position, []).append(reason)
        self.bad_columns.setdefault(position, set()).add(column)

    def _slow(
        self,
        name: str,
        values: Values,
        convert: Callable[[Any], Any],
        dtype: pa.DataType,
        label: str,
    ) -> pa.Array:
        out: list[Any] = []
        for position, value in enumerate(_as_list(values)):
            if value is None or value == "":
                out.append(None)
                continue
            try:
                out.append(convert(value))
            except (ValueError, TypeError, InvalidOperation, OverflowError):
                out.append(None)
                self.flag(position, f"unparseable {label} {value!r}", name)
        array = pa.array(out, dtype)
        self.columns[name] = array
        return array

    def _typed(
        self, name: str, values: Values, dtype: pa.DataType, slow: Callable[[], pa.Array]
    ) -> pa.Array:
        """``values`` as ``dtype`` (a strict Arrow conversion), else the per-value ``slow``."""
        try:
            array = _arrow(values, dtype)
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, OverflowError):
            return slow()
        self.columns[name] = array
        return array

    def text(self, name: str, values: Values) -> pa.Array:
        """A text column; numbers (ids sent as numbers) become their decimal text."""
        if isinstance(values, pa.Array) and pa.types.is_string(values.type):
            array = values
        else:
            listed = _as_list(values)
            try:
                array = pa.array(listed, pa.string())
            except (pa.ArrowInvalid, pa.ArrowTypeError):
                array = pa.array([None if v is None else _as_text(v) for v in listed], pa.string())
        self.columns[name] = array
        return array

    def int64(self, name: str, values: Values, label: str | None = None) -> pa.Array:
        """An integer column (numbers or digit strings)."""
        return self._typed(
            name,
            values,
            pa.int64(),
            lambda: self._slow(name, values, _to_int, pa.int64(), label or name),
        )

    def money(self, name: str, values: Values, label: str | None = None) -> pa.Array:
        """A decimal(18, 2) column from numbers or numeric strings, exact to the cent."""

        def convert() -> pa.Array:
            raw = values if isinstance(values, pa.Array) else pa.array(values)
            if pa.types.is_floating(raw.type):
                return pc.round(raw, 2).cast(MONEY)
            return raw.cast(MONEY)  # integers and numeric strings; anything else raises

        try:
            array = convert()
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
            return self._slow(name, values, _to_money, MONEY, label or name)
        self.columns[name] = array
        return array

    def date(self, name: str, values: Values, label: str | None = None) -> pa.Array:
        """A date column from ``YYYY-MM-DD`` strings (impossible dates are problems)."""
        # Arrow's cast is strict (2025-02-30 fails): only odd pages take the slow path.
        return self._typed(
            name,
            _strings(values),
            pa.date32(),
            lambda: self._slow(name, values, _to_date, pa.date32(), label or name),
        )

    def china_time(self, name: str, values: Values, label: str | None = None) -> pa.Array:
        """A UTC timestamp column from China-time ``YYYY-MM-DD HH:MM:SS`` strings."""
        try:
            local = _strings(values).cast(pa.timestamp("s"))
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            return self._slow(name, values, china_time_to_utc, TS_UTC, label or name)
        # China has kept UTC+8 without daylight saving since 1991.
        shifted = pc.subtract(local.cast(pa.int64()), 8 * 3600)
        array = shifted.cast(pa.timestamp("s", tz="UTC")).cast(TS_UTC)
        self.columns[name] = array
        return array

    def require(self, name: str, label: str) -> None:
        """Rows where column ``name`` is null or blank are problems ("missing <label>")."""
        array = self.columns[name]
        missing = pc.is_null(array)
        if pa.types.is_string(array.type):
            missing = pc.or_(missing, pc.equal(pc.utf8_trim_whitespace(array), ""))
        for position in pc.indices_nonzero(pc.fill_null(missing, True)).to_pylist():
            if name not in self.bad_columns.get(position, set()):
                self.flag(position, f"missing {label}", name)

    def constant(self, name: str, value: str) -> None:
        """A column holding one value on every row."""
        self.columns[name] = pa.array([value] * len(self.records), pa.string())

    def reference(self, position: int) -> str:
        """Where a rejected record came from: its endpoint and key, else its page and place."""
        record = self.records[position]
        columns = {raw for raw, _ in self.key}
        intact = all(record.get(api) not in (None, "") for _, api in self.key)
        if self.key and intact and not columns & self.bad_columns.get(position, set()):
            endpoint = self.source_ref.split(" ", 1)[0]
            return endpoint + "".join(f" {api}={record[api]}" for _, api in self.key)
        return f"{self.source_ref} row {position}"

    def finish(self, schema: pa.Schema) -> tuple[pa.Table | None, list[dict[str, Any]]]:
        """The good rows as a table of ``schema`` and the rejects."""
        table = pa.table({name: self.columns[name] for name in schema.names})
        rejects = [
            rejected_row(
                self.table_name,
                "; ".join(reasons),
                self.payloads[position],
                self.reference(position),
            )
            for position, reasons in sorted(self.problems.items())
        ]
        if self.problems:
            keep = pa.array([p not in self.problems for p in range(table.num_rows)])
            table = table.filter(keep)
        if not table.num_rows:
            return None, rejects
        return table.cast(schema), rejects


def _as_list(values: Values) -> list[Any]:
    return values.to_pylist() if isinstance(values, pa.Array) else values


def _arrow(values: Values, dtype: pa.DataType) -> pa.Array:
    if isinstance(values, pa.Array):
        return values if values.type == dtype else values.cast(dtype)
    return pa.array(values, dtype)


def _strings(values: Values) -> pa.Array:
    """Text as an Arrow string array (raises ArrowTypeError on non-text values)."""
    return (
        _arrow(values, pa.string())
        if isinstance(values, pa.Array)
        else pa.array(values, pa.string())
    )


def _as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
