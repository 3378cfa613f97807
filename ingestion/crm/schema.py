"""Arrow types, wire types and dlt column hints of the CRM's raw tables."""

from __future__ import annotations

import pyarrow as pa
from dlt.common.schema.typing import TColumnSchema, TTableSchemaColumns

from ingestion.crm.settings import CrmField, CrmObject

TS = pa.timestamp("us", tz="UTC")
SOURCE_COLUMN = "_source_system"
E164_SUFFIX = "_e164"


def arrow_type(field: CrmField) -> pa.DataType:
    """The Arrow type of a field's raw column."""
    return {
        "int32": pa.int32(),
        "int64": pa.int64(),
        "bool": pa.bool_(),
        "timestamp": TS,
        "epoch_ms": TS,
        "date": pa.date32(),
        "decimal": pa.decimal128(field.precision, field.scale),
    }.get(field.kind, pa.string())


def _column_hint(field: CrmField, obj: CrmObject) -> TColumnSchema:
    hint: TColumnSchema = {
        "text": {"data_type": "text"},
        "phone": {"data_type": "text"},
        "int32": {"data_type": "bigint", "precision": 32},
        "int64": {"data_type": "bigint"},
        "bool": {"data_type": "bool"},
        "timestamp": {"data_type": "timestamp", "timezone": True},
        "epoch_ms": {"data_type": "timestamp", "timezone": True},
        "date": {"data_type": "date"},
        "decimal": {"data_type": "decimal", "precision": field.precision, "scale": field.scale},
    }[field.kind]
    hint = {"name": field.name, **hint, "nullable": not field.required}
    if field.name == obj.primary_key:
        hint["primary_key"] = True
    if field.name == obj.cursor_field:
        # A record changed while a load pages through its object is served twice in that
        # load (paging is by (updated_at, id)): the merge must keep the later version.
        hint["dedup_sort"] = "desc"
    return hint


def column_hints(obj: CrmObject) -> TTableSchemaColumns:
    """dlt column hints of an object's raw table (types, nullability, primary key)."""
    hints: TTableSchemaColumns = {}
    for field in obj.fields:
        hints[field.name] = _column_hint(field, obj)
        if field.kind == "phone":
            name = field.name + E164_SUFFIX
            hints[name] = {"name": name, "data_type": "text", "nullable": True}
    hints[SOURCE_COLUMN] = {"name": SOURCE_COLUMN, "data_type": "text", "nullable": False}
    return hints


def arrow_schema(obj: CrmObject) -> pa.Schema:
    """The Arrow schema of an object's good rows (before any passed-through field)."""
    fields = []
    for field in obj.fields:
        fields.append(pa.field(field.name, arrow_type(field)))
        if field.kind == "phone":
            fields.append(pa.field(field.name + E164_SUFFIX, pa.string()))
    fields.append(pa.field(SOURCE_COLUMN, pa.string()))
    return pa.schema(fields)


def wire_type(field: CrmField) -> pa.DataType:
    """The JSON type a field travels as: numbers and booleans natively, the rest as strings."""
    if field.kind in ("int32", "int64", "epoch_ms"):
        return pa.int64()
    if field.kind == "bool":
        return pa.bool_()
    return pa.string()


def wire_struct(obj: CrmObject) -> pa.StructType:
    """The record type of an object as the API sends it (for Arrow's JSON reader)."""
    return pa.struct([pa.field(f.api_name, wire_type(f)) for f in obj.fields])
