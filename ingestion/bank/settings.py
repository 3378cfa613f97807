"""Constants of the bank source: raw table names, arrow schemas and dlt column hints."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

SOURCE_NAME = "bank"
SOURCE_SYSTEM = "bank"

FILES_TABLE = "files"
STATEMENTS_TABLE = "statements"
TRANSACTIONS_TABLE = "transactions"

# Up to 18 integer digits and 5 decimals: JPY has 0, most currencies 2, test files 5.
AMOUNT_PRECISION = 23
AMOUNT_SCALE = 5
AMOUNT = pa.decimal128(AMOUNT_PRECISION, AMOUNT_SCALE)

# Rows buffered before a batch of arrow tables is yielded (many small files -> few tables).
BATCH_ROWS = 200_000

# Files still being written or left by other tools are not statements yet.
IGNORED_SUFFIXES = (".tmp", ".part", ".partial", ".crdownload", ".swp", ".lock")

STATUS_LOADED = "loaded"  # at least one statement accepted
STATUS_REJECTED = "rejected"  # read, but every statement rejected
STATUS_UNREADABLE = "unreadable"  # not a statement file this source can read

# Lines are never updated once loaded: a key already in the table adds nothing.
INSERT_ONLY: dict[str, str] = {"disposition": "merge", "strategy": "insert-only"}

SCHEMA_CONTRACT: dict[str, str] = {"tables": "evolve", "columns": "evolve", "data_type": "freeze"}


def _field(name: str, dtype: pa.DataType, nullable: bool = True) -> pa.Field:
    return pa.field(name, dtype, nullable=nullable)


_STR, _DATE, _BOOL, _I64 = pa.string(), pa.date32(), pa.bool_(), pa.int64()

FILES_SCHEMA = pa.schema(
    [
        _field("file_id", _STR, False),  # sha256 of the content
        _field("file_name", _STR, False),
        _field("format", _STR),
        _field("variant", _STR),
        _field("encoding", _STR),
        _field("size_bytes", _I64, False),
        _field("statement_count", _I64, False),
        _field("rejected_statement_count", _I64, False),
        _field("entry_count", _I64, False),
        _field("rejected_entry_count", _I64, False),
        _field("status", _STR, False),
        _field("error", _STR),
        _field("processed_at", pa.timestamp("us", tz="UTC"), False),
        _field("_source_system", _STR, False),
    ]
)

STATEMENTS_SCHEMA = pa.schema(
    [
        _field("statement_key", _STR, False),
        _field("account", _STR),
        _field("statement_id", _STR),
        _field("sequence", _STR),
        _field("currency", _STR),
        _field("opening_balance", AMOUNT),
        _field("opening_date", _DATE),
        _field("closing_balance", AMOUNT),
        _field("closing_date", _DATE),
        _field("entry_count", _I64, False),
        _field("is_balanced", _BOOL),
        _field("rejected_reason", _STR),
        _field("format", _STR, False),
        _field("file_id", _STR, False),
        _field("source_ref", _STR, False),
        _field("_source_system", _STR, False),
    ]
)

TRANSACTIONS_SCHEMA = pa.schema(
    [
        _field("transaction_key", _STR, False),
        _field("account", _STR),
        _field("booking_date", _DATE, False),
        _field("value_date", _DATE),
        _field("amount", AMOUNT, False),
        _field("currency", _STR),
        _field("serial_no", _STR),
        _field("end_to_end_id", _STR),
        _field("bank_reference", _STR),
        _field("customer_reference", _STR),
        _field("mandate_reference", _STR),
        _field("creditor_reference", _STR),
        _field("references_json", _STR, False),
        _field("counterparty_name", _STR),
        _field("counterparty_account", _STR),
        _field("counterparty_bic", _STR),
        _field("remittance", _STR),
        _field("transaction_code", _STR),
        _field("is_reversal", _BOOL, False),
        _field("status", _STR),
        _field("balance_after", AMOUNT),
        _field("occurrence", _I64, False),
        _field("statement_key", _STR, False),
        _field("file_id", _STR, False),
        _field("source_ref", _STR, False),
        _field("_source_system", _STR, False),
    ]
)


def column_hints(schema: pa.Schema, primary_key: str) -> dict[str, dict[str, Any]]:
    """dlt column hints matching an arrow schema: decimals with precision/scale, the key."""
    hints: dict[str, dict[str, Any]] = {}
    for field in schema:
        hint: dict[str, Any] = {"nullable": field.nullable}
        if pa.types.is_decimal(field.type):
            hint |= {
                "data_type": "decimal",
                "precision": field.type.precision,
                "scale": field.type.scale,
            }
        if field.name == primary_key:
            hint["primary_key"] = True
        hints[field.name] = hint
    return hints
