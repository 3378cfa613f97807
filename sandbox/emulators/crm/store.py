"""One CRM object held in memory: sorted by (updated_at, id), rendered as JSON once.

The emulator keeps each object as an Arrow table sorted by ``(updated_at, id)``
with one pre-rendered JSON text per row (DuckDB renders a whole table in about a
second per million rows), so a page is a slice of that column joined by commas.
An upsert moves the record to the end with a fresh ``updated_at``: paging by the
last ``(updated_at, id)`` therefore stays stable while records change.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import decimal
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

TS_MS = pa.timestamp("ms", tz="UTC")
TS_US = pa.timestamp("us", tz="UTC")
SERVER_FIELDS = frozenset({"id", "created_at", "updated_at"})
_COMBINE_AFTER_CHUNKS = 32


class RecordError(ValueError):
    """A posted record that the API refuses (unknown field, wrong type)."""


@dataclass(frozen=True)
class Page:
    """One page of an object: rendered records and where to go on."""

    records: list[str]
    next_position: tuple[int, str] | None  # (updated_at in µs, id) of the last record


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _as_api_text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Timestamps, dates and decimals as the API writes them (Arrow casts, no Python)."""
    dtype = column.type
    if pa.types.is_timestamp(dtype):
        # The values are UTC: drop the zone, print "2025-01-02 03:04:05.678", make it ISO.
        wall = column.cast(pa.timestamp("ms", tz=dtype.tz), safe=False).cast(pa.timestamp("ms"))
        text = pc.replace_substring(wall.cast(pa.string()), " ", "T")
        return pc.binary_join_element_wise(text, "Z", "")
    if pa.types.is_date(dtype) or pa.types.is_decimal(dtype):
        return column.cast(pa.string())  # "2025-01-02", "12345.67"
    return column


def connect() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB for rendering (connecting costs ~30 ms: share one)."""
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")  # it would print to our stdout
    return con


@contextlib.contextmanager
def _connection(con: duckdb.DuckDBPyConnection | None) -> Iterator[duckdb.DuckDBPyConnection]:
    if con is not None:
        yield con
        return
    own = connect()
    try:
        yield own
    finally:
        own.close()


def render_json(
    table: pa.Table, *, omit_nulls: bool, con: duckdb.DuckDBPyConnection | None = None
) -> pa.ChunkedArray:
    """Render every row of ``table`` as the API's JSON object text, in row order.

    Timestamps become ISO 8601 UTC with milliseconds and a ``Z``, dates
    ``YYYY-MM-DD``, decimals strings. With ``omit_nulls`` null fields are left
    out of the object (as some CRMs do); otherwise they are sent as ``null``.
    """
    api_text = pa.table(
        [_as_api_text(table[name]) for name in table.schema.names], names=table.schema.names
    )
    members = ", ".join(f"{_quote(name)} := {_quote(name)}" for name in api_text.schema.names)
    with _connection(con) as db:
        db.register("records", api_text)
        # A plain projection keeps DuckDB's insertion order, i.e. the table's row order.
        rendered = db.sql(f"SELECT to_json(struct_pack({members})) AS j FROM records")
        column = rendered.to_arrow_table().column("j").cast(pa.string())
        db.unregister("records")
    if omit_nulls:
        # A JSON string cannot hold an unescaped quote, so this only meets real members.
        column = pc.replace_substring_regex(column, r',"[^"\\]*":null', "")
    return column


def sort_by_cursor(table: pa.Table, con: duckdb.DuckDBPyConnection | None = None) -> pa.Table:
    """The table ordered by ``(updated_at, id)``, as the API pages it."""
    keys = pa.table(
        {
            "row": np.arange(table.num_rows, dtype=np.int64),
            "updated_at": table["updated_at"],
            "id": table["id"],
        }
    )
    with _connection(con) as db:
        db.register("keys", keys)
        order = db.sql("SELECT row FROM keys ORDER BY updated_at, id, row").to_arrow_table()
        db.unregister("keys")
    return table.take(order.column("row"))


def _truncate_to_ms(table: pa.Table) -> pa.Table:
    """The CRM stores milliseconds (like Salesforce): drop finer precision once."""
    for index, field in enumerate(table.schema):
        if pa.types.is_timestamp(field.type):
            tz = field.type.tz or "UTC"
            ms = table[field.name].cast(pa.timestamp("ms", tz=tz), safe=False)
            table = table.set_column(index, field.name, ms.cast(pa.timestamp("us", tz=tz)))
    return table


def _coerce(value: Any, dtype: pa.DataType, name: str) -> Any:
    """A posted JSON value as the Python value of an Arrow column type."""
    if value is None:
        return None
    try:
        if pa.types.is_string(dtype) or pa.types.is_large_string(dtype):
            if not isinstance(value, str):
                raise TypeError
            return value
        if pa.types.is_boolean(dtype):
            if not isinstance(value, bool):
                raise TypeError
            return value
        if pa.types.is_integer(dtype):
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError
            return value
        if pa.types.is_floating(dtype):
            return float(value)
        if pa.types.is_decimal(dtype):
            amount = decimal.Decimal(str(value))
            if not amount.is_finite():
                raise TypeError
            return amount.quantize(decimal.Decimal(1).scaleb(-dtype.scale))
        if pa.types.is_timestamp(dtype):
            moment = dt.datetime.fromisoformat(value)
            if moment.tzinfo is None:
                raise TypeError
            return moment.astimezone(dt.UTC)
        if pa.types.is_date(dtype):
            return dt.date.fromisoformat(value)
    except (TypeError, ValueError, decimal.InvalidOperation) as exc:
        raise RecordError(f"field {name!r}: {value!r} is not a valid {dtype}") from exc
    raise RecordError(f"field {name!r} cannot be written through the API")


class ObjectStore:
    """The records of one CRM object, sorted and rendered, safe to read while upserting."""

    def __init__(
        self,
        name: str,
        table: pa.Table,
        *,
        omit_nulls: bool,
        con: duckdb.DuckDBPyConnection | None = None,
    ) -> None:
        self.name = name
        self.omit_nulls = omit_nulls
        self._lock = threading.Lock()  # upserts; also guards this store's DuckDB cursor
        self._db = con.cursor() if con is not None else connect()
        table = sort_by_cursor(_truncate_to_ms(table), self._db)
        self.schema = table.schema
        self._install(table, render_json(table, omit_nulls=omit_nulls, con=self._db))

    def _install(self, table: pa.Table, rendered: pa.ChunkedArray) -> None:
        if table["id"].num_chunks > _COMBINE_AFTER_CHUNKS:
            table = table.combine_chunks()
            rendered = pa.chunked_array([rendered.combine_chunks()])
        updated = table["updated_at"].cast(pa.int64()).fill_null(0)
        # Swapped in one assignment each so a concurrent reader sees a consistent state.
        self._state = (table, np.asarray(updated.to_numpy(), dtype=np.int64), rendered)

    @property
    def size(self) -> int:
        """Number of records (soft-deleted ones included)."""
        return self._state[0].num_rows

    def fields(self) -> list[dict[str, str]]:
        """Field names and API types, for ``GET /api/v1/objects``."""
        return [{"name": f.name, "type": api_type(f.type)} for f in self.schema]

    def page(self, since_us: int | None, after: tuple[int, str] | None, limit: int) -> Page:
        """Records with ``updated_at >= since`` and ``(updated_at, id) > after``, in order.

        Args:
            since_us: Inclusive lower bound on updated_at, epoch microseconds.
            after: The (updated_at µs, id) of the last record already served.
            limit: Page size.

        Returns:
            The page; ``next_position`` is None when no record follows it.
        """
        table, updated, rendered = self._state
        start = 0 if since_us is None else int(np.searchsorted(updated, since_us, "left"))
        if after is not None:
            after_us, after_id = after
            low = int(np.searchsorted(updated, after_us, "left"))
            high = int(np.searchsorted(updated, after_us, "right"))
            tied_ids = table["id"].slice(low, high - low).to_pylist()
            start = max(start, low + bisect.bisect_right(tied_ids, after_id))
        end = min(start + limit, len(updated))
        records = rendered.slice(start, max(end - start, 0)).to_pylist()
        if end >= len(updated) or end <= start:
            return Page(records, None)
        return Page(records, (int(updated[end - 1]), table["id"][end - 1].as_py()))

    def upsert(self, body: dict[str, Any]) -> tuple[str, bool]:
        """Update the record with ``body["id"]`` or create one; stamp ``updated_at``.

        Fields not in the body keep their value on update. ``updated_at`` is now,
        or 1 ms after the newest record if the world's clock is ahead of ours, so
        a changed record always sorts last and an incremental reader sees it.

        Returns:
            The record's rendered JSON and whether it was created.

        Raises:
            RecordError: For an unknown field or a value of the wrong type.
        """
        names = set(self.schema.names)
        unknown = sorted(set(body) - names)
        if unknown:
            raise RecordError(f"unknown field(s) for {self.name}: {', '.join(unknown)}")
        values = {
            name: _coerce(value, self.schema.field(name).type, name)
            for name, value in body.items()
            if name not in SERVER_FIELDS
        }
        with self._lock:
            table, updated, rendered = self._state
            now_us = int(dt.datetime.now(dt.UTC).timestamp() * 1000) * 1000
            if len(updated):
                now_us = max(now_us, int(updated[-1]) + 1000)
            stamp = dt.datetime.fromtimestamp(now_us / 1e6, dt.UTC)
            position = self._position(table, body.get("id"))
            if position is None:
                row = {name: None for name in self.schema.names}
                row.update(
                    id=f"{self.name}-{uuid.uuid4().hex[:16]}", created_at=stamp, is_deleted=False
                )
            else:
                row = table.slice(position, 1).to_pylist()[0]
            row.update(values)
            row["updated_at"] = stamp
            new_row = pa.Table.from_pylist([row], schema=self.schema)
            new_json = render_json(new_row, omit_nulls=self.omit_nulls, con=self._db)
            if position is not None:
                table = pa.concat_tables([table.slice(0, position), table.slice(position + 1)])
                rendered = pa.chunked_array(
                    rendered.slice(0, position).chunks + rendered.slice(position + 1).chunks,
                    pa.string(),
                )
            table = pa.concat_tables([table, new_row])
            rendered = pa.chunked_array(rendered.chunks + new_json.chunks, pa.string())
            self._install(table, rendered)
        return new_json[0].as_py(), position is None

    @staticmethod
    def _position(table: pa.Table, record_id: Any) -> int | None:
        if not isinstance(record_id, str) or not record_id:
            return None
        found = pc.index(table["id"], record_id).as_py()
        return None if found < 0 else found


def api_type(dtype: pa.DataType) -> str:
    """The type name ``GET /api/v1/objects`` reports for a column."""
    if pa.types.is_timestamp(dtype):
        return "datetime"
    if pa.types.is_date(dtype):
        return "date"
    if pa.types.is_decimal(dtype):
        return "decimal"
    if pa.types.is_boolean(dtype):
        return "boolean"
    if pa.types.is_integer(dtype):
        return "integer"
    if pa.types.is_floating(dtype):
        return "number"
    return "string"
