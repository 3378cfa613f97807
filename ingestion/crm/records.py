"""CRM records (parsed JSON) to typed Arrow tables, with the contract's rejects marked.

A page of records becomes one Arrow table whose columns follow the object's
:class:`~ingestion.crm.settings.CrmField` list. Each column takes a vectorised
fast path (one Arrow conversion or cast for the whole page) and falls back to a
value-by-value parse only when that fails, so a corrupted value costs one slow
page, not a slow load. A record that breaks the contract keeps its row with
nulls where values were unusable and a reason in ``_reject_reason``; the
resource splits those rows off into ``rejected_rows`` after dlt's incremental
step (see ``ingestion.crm.split_rejects``).
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import re
from collections.abc import Callable
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ingestion.common.normalize import normalize_phone_array, to_halfwidth
from ingestion.crm.schema import E164_SUFFIX, SOURCE_COLUMN, arrow_type
from ingestion.crm.settings import SOURCE_SYSTEM, CrmField, CrmObject

REJECT_REASON = "_reject_reason"
REJECT_PAYLOAD = "_reject_payload"
REJECT_REF = "_reject_ref"
REJECT_COLUMNS = (REJECT_REASON, REJECT_PAYLOAD, REJECT_REF)

Bad = dict[int, str]  # row index -> reason


# ----------------------------------------------------------------------- scalars
def _as_text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _int_value(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return int(value.strip())
    raise ValueError


_TRUE = frozenset({"true", "1", "yes", "y", "t"})
_FALSE = frozenset({"false", "0", "no", "n", "f"})


def _bool_value(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ValueError


def _timestamp_value(value: Any) -> dt.datetime:
    if not isinstance(value, str):
        raise ValueError
    moment = dt.datetime.fromisoformat(value.strip())
    if moment.tzinfo is None:
        raise ValueError  # a wall time without a zone is ambiguous: not a UTC instant
    return moment.astimezone(dt.UTC)


def _epoch_ms_value(value: Any) -> dt.datetime:
    return dt.datetime.fromtimestamp(_int_value(value) / 1000, dt.UTC)


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date_value(value: Any) -> dt.date:
    if not isinstance(value, str) or not _DATE.fullmatch(value.strip()):
        raise ValueError
    return dt.date.fromisoformat(value.strip())


def _decimal_parser(field: CrmField) -> Callable[[Any], decimal.Decimal]:
    quantum = decimal.Decimal(1).scaleb(-field.scale)
    limit = decimal.Decimal(10) ** (field.precision - field.scale)

    def parse(value: Any) -> decimal.Decimal:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ValueError
        try:
            amount = decimal.Decimal(str(value).strip())
        except decimal.InvalidOperation as exc:
            raise ValueError from exc
        if not amount.is_finite() or abs(amount) >= limit or amount != amount.quantize(quantum):
            raise ValueError
        return amount.quantize(quantum)

    return parse


_SLOW_PARSERS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "int32": ("integer", _int_value),
    "int64": ("integer", _int_value),
    "bool": ("boolean", _bool_value),
    "timestamp": ("timestamp", _timestamp_value),
    "epoch_ms": ("timestamp", _epoch_ms_value),
    "date": ("date", _date_value),
}


# ----------------------------------------------------------------------- columns
def _slow_column(raw: list[Any], field: CrmField) -> tuple[pa.Array, Bad]:
    """Value by value: the unparseable ones become null and a reason."""
    if field.kind == "decimal":
        what, parse = "amount", _decimal_parser(field)
    else:
        what, parse = _SLOW_PARSERS[field.kind]
    values: list[Any] = []
    bad: Bad = {}
    for index, value in enumerate(raw):
        if value is None or (isinstance(value, str) and not value.strip()):
            values.append(None)
            continue
        try:
            values.append(parse(value))
        except (ValueError, TypeError, OverflowError):
            values.append(None)
            bad[index] = f"unparseable {what} in {field.api_name}: {value!r}"
    dtype = arrow_type(field)
    try:
        return pa.array(values, dtype), bad
    except (pa.ArrowInvalid, OverflowError):  # an integer outside int32
        for index, value in enumerate(values):
            if value is not None and not -(2**31) <= value < 2**31:
                values[index] = None
                bad[index] = f"unparseable integer in {field.api_name}: {raw[index]!r}"
        return pa.array(values, dtype), bad


def _text_column(raw: list[Any] | pa.Array) -> pa.Array:
    if isinstance(raw, pa.Array):
        return raw.cast(pa.string())
    try:
        return pa.array(raw, pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.array([_as_text(v) for v in raw], pa.string())


def _fast_column(raw: list[Any] | pa.Array, field: CrmField) -> pa.Array:
    """One conversion for the whole page; raises when any value needs the slow path."""
    dtype = arrow_type(field)
    if field.kind == "epoch_ms":
        millis = raw if isinstance(raw, pa.Array) else pa.array(raw, pa.int64())
        return millis.cast(pa.timestamp("ms", tz="UTC")).cast(dtype)
    if isinstance(raw, pa.Array):
        return raw.cast(dtype)  # ints and booleans arrive typed, the rest as strings
    if field.kind in ("int32", "int64", "bool"):
        return pa.array(raw, dtype)
    return pa.array(raw, pa.string()).cast(dtype)


def parse_column(raw: list[Any] | pa.Array, field: CrmField) -> tuple[pa.Array, Bad]:
    """Parse one field's values of a page into its typed Arrow column.

    Args:
        raw: The values as decoded from JSON (None where absent), as a list or as the
            Arrow array of :func:`~ingestion.crm.schema.wire_type` read by Arrow.
        field: The field's mapping.

    Returns:
        The typed column (null where absent or unparseable) and the unparseable rows.
    """
    if field.kind in ("text", "phone"):
        return _text_column(raw), {}
    try:
        return _fast_column(raw, field), {}
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, OverflowError):
        return _slow_column(raw.to_pylist() if isinstance(raw, pa.Array) else raw, field)


def _is_placeholder_phone(value: str) -> bool:
    """True for no-phone fillers such as 13800000000: treated as empty, not as unparseable."""
    text = to_halfwidth(value) or ""
    if not re.fullmatch(r"[\d\s+\-.()]+", text):
        return False
    digits = re.sub(r"\D", "", text)[-11:]
    return len(digits) >= 7 and (len(set(digits)) == 1 or len(set(digits[-8:])) == 1)


def phone_column(raw: pa.Array, field: CrmField) -> tuple[pa.Array, Bad]:
    """E.164 forms of a phone column and the rows whose non-empty phone does not parse."""
    e164 = normalize_phone_array(raw)
    unusable = pc.and_(
        pc.and_(pc.is_valid(raw), pc.not_equal(pc.utf8_trim_whitespace(raw), "")),
        pc.is_null(e164),
    )
    bad: Bad = {}
    for index in pc.indices_nonzero(pc.fill_null(unusable, False)).to_pylist():
        value = raw[index].as_py()
        if not _is_placeholder_phone(value):
            bad[index] = f"unparseable phone in {field.api_name}: {value!r}"
    return e164, bad


# ----------------------------------------------------------------------- pages
def _note(reasons: dict[int, list[str]], bad: Bad) -> None:
    for index, why in bad.items():
        reasons.setdefault(index, []).append(why)


# The keys a page's records carry, and the values of one key over the page.
ColumnGetter = tuple[list[str], Callable[[str], "list[Any] | pa.Array"]]


def _columns_of_dicts(records: list[Any], reasons: dict[int, list[str]]) -> ColumnGetter:
    dicts: list[dict[str, Any]] = []
    for index, record in enumerate(records):
        if isinstance(record, dict):
            dicts.append(record)
        else:
            dicts.append({})
            reasons[index] = ["record is not a JSON object"]
    keys = sorted(set().union(*(record.keys() for record in dicts)))
    return keys, lambda key: [record.get(key) for record in dicts]


def _columns_of_struct(records: pa.StructArray, reasons: dict[int, list[str]]) -> ColumnGetter:
    for index in pc.indices_nonzero(records.is_null()).to_pylist():
        reasons[index] = ["record is not a JSON object"]
    keys = [records.type.field(i).name for i in range(records.type.num_fields)]
    flat = dict(zip(keys, records.flatten(), strict=True))
    size = len(records)
    return keys, lambda key: flat[key] if key in flat else pa.nulls(size, pa.string())


def parse_records(
    records: list[Any] | pa.StructArray,
    obj: CrmObject,
    source_ref: str,
    raw_records: Callable[[], list[Any]] | None = None,
) -> pa.Table:
    """Turn one page of API records into a typed table with reject markers.

    Args:
        records: The page's records as decoded from JSON (dicts), or read by Arrow's
            JSON reader into a struct array of the object's wire types.
        obj: The object's mapping.
        source_ref: Where the page came from (method, path and query).
        raw_records: Gives the page's records as dicts, for the payload of rejected
            rows when ``records`` is an Arrow array (called only if a row is rejected).

    Returns:
        The object's columns (see :func:`~ingestion.crm.schema.arrow_schema`), any
        field the mapping does not know passed through as text, ``_source_system``,
        and the three reject columns (null for good rows).
    """
    reasons: dict[int, list[str]] = {}
    if isinstance(records, pa.StructArray):
        keys, values_of = _columns_of_struct(records, reasons)
    else:
        keys, values_of = _columns_of_dicts(records, reasons)
        raw_records = None
    size = len(records)
    names: list[str] = []
    columns: list[pa.Array] = []
    for field in obj.fields:
        key = field.api_name
        column, bad = parse_column(values_of(key), field)
        _note(reasons, bad)
        if field.required:
            empty = pc.is_null(column)
            if field.kind in ("text", "phone"):
                empty = pc.or_(empty, pc.equal(pc.utf8_trim_whitespace(column), ""))
            missing = {
                i: f"missing {key}"
                for i in pc.indices_nonzero(pc.fill_null(empty, True)).to_pylist()
                if i not in bad
            }
            _note(reasons, missing)
        names.append(field.name)
        columns.append(column)
        if field.kind == "phone":
            e164, bad = phone_column(column, field)
            _note(reasons, bad)
            names.append(field.name + E164_SUFFIX)
            columns.append(e164)
    known = {field.api_name for field in obj.fields} | set(names)
    for key in (k for k in keys if k not in known):
        names.append(key)
        columns.append(_text_column(values_of(key)))
    names.append(SOURCE_COLUMN)
    columns.append(pa.array([SOURCE_SYSTEM] * size, pa.string()))
    reason_col, payload_col, ref_col = [None] * size, [None] * size, [None] * size
    if reasons:
        payloads = raw_records() if raw_records else records
    for index, why in reasons.items():
        reason_col[index] = "; ".join(why)
        payload_col[index] = json.dumps(
            payloads[index], ensure_ascii=False, sort_keys=True, default=str
        )
        ref_col[index] = f"{source_ref} record {index}"
    for name, values in zip(REJECT_COLUMNS, (reason_col, payload_col, ref_col), strict=True):
        names.append(name)
        columns.append(pa.array(values, pa.string()))
    return pa.Table.from_arrays(columns, names=names)
