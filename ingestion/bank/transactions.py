"""The ``transactions`` table of a batch, with keys computed over the whole batch.

Parsers hand over accepted lines either as ``Entry`` objects (the careful path) or
as columns (the fast paths); both land in
:class:`~ingestion.bank.parsers.columns.EntryColumns`, one list per column.
:func:`finish` turns a batch into the ``transactions`` table: it builds each line's
identity, counts identical lines within a statement (``occurrence``), hashes both into
``transaction_key`` and keeps the first line of every key — in one pass over the batch
instead of a hash and a set lookup per line.

Identity (see ``rows`` for the contract): ``serial|account|serial_no`` when the bank
printed a serial number, else ``content|account|booking|value|amount|currency|
references|counterparty name|account|remittance|code|R``, joined with ``\\x1f``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingestion.bank.parsers.columns import EntryColumns
from ingestion.bank.settings import AMOUNT, SOURCE_SYSTEM, TRANSACTIONS_SCHEMA
from ingestion.common.normalize import sha256_hex_array

SEP = "\x1f"
KEY_LENGTH = 32


def _null_to_empty(values: pa.Array) -> pa.Array:
    return pc.fill_null(values, "")


def _identities(columns: dict[str, pa.Array]) -> pa.Array:
    account = _null_to_empty(columns["account"])
    serial = columns["serial_no"]
    by_serial = pc.binary_join_element_wise("serial", account, serial, SEP)
    by_content = pc.binary_join_element_wise(
        "content",
        account,
        columns["booking_date"],
        _null_to_empty(columns["value_date"]),
        columns["amount_text"],
        _null_to_empty(columns["currency"]),
        columns["references_json"],
        *(
            _null_to_empty(columns[name])
            for name in ("counterparty_name", "counterparty_account", "remittance")
        ),
        _null_to_empty(columns["transaction_code"]),
        pc.if_else(columns["is_reversal"], "R", ""),
        SEP,
    )
    has_serial = pc.fill_null(pc.not_equal(serial, ""), False)
    return pc.if_else(has_serial, by_serial, by_content)


def _occurrences(statement: np.ndarray, identity: pa.Array) -> np.ndarray:
    """How many identical lines come before each line within its statement."""
    if len(statement) == 0:
        return np.zeros(0, dtype=np.int64)
    codes = identity.dictionary_encode().indices.to_numpy(zero_copy_only=False)
    order = np.lexsort((np.arange(len(codes)), codes, statement))
    same = (statement[order][1:] == statement[order][:-1]) & (codes[order][1:] == codes[order][:-1])
    starts = np.concatenate(([True], ~same))
    group_start = np.maximum.accumulate(np.where(starts, np.arange(len(order)), 0))
    out = np.empty(len(order), dtype=np.int64)
    out[order] = np.arange(len(order)) - group_start
    return out


def finish(columns: EntryColumns, seen: list[pa.Array]) -> pa.Table:
    """The batch as the ``transactions`` table, without keys in ``seen`` or repeated ones.

    Args:
        columns: The batch's accepted lines.
        seen: Keys kept by earlier batches of the run; this batch's kept keys are added.

    Returns:
        A table of ``TRANSACTIONS_SCHEMA``, first occurrence of every key, in batch order.
    """
    statement = np.asarray(columns.statement, dtype=np.int64)
    by_statement = pa.array(statement, pa.int64())
    data: dict[str, Any] = {
        name: pa.array(values, pa.string()) for name, values in columns.texts.items()
    }
    data["account"] = pa.array(columns.account, pa.string()).take(by_statement)
    data["statement_key"] = pa.array(columns.statement_key, pa.string()).take(by_statement)
    data["file_id"] = pa.array(columns.file_id, pa.string()).take(by_statement)
    data["source_ref"] = pa.array(columns.source_ref, pa.string())
    data["booking_date"] = pa.array(columns.booking_date, pa.string())
    data["value_date"] = pa.array(columns.value_date, pa.string())
    data["amount_text"] = pa.array(columns.amount, pa.string())
    data["references_json"] = pa.array(columns.references_json, pa.string())
    data["is_reversal"] = pa.array(columns.is_reversal, pa.bool_())
    identity = _identities(data)
    occurrence = _occurrences(statement, identity)
    occurrence_text = pa.array(occurrence, pa.int64()).cast(pa.string())
    keys = sha256_hex_array(pc.binary_join_element_wise(identity, occurrence_text, SEP), KEY_LENGTH)
    codes = keys.dictionary_encode().indices.to_numpy(zero_copy_only=False)
    _, first = np.unique(codes, return_index=True)
    keep = np.zeros(len(keys), dtype=bool)
    keep[first] = True
    if seen:
        known = pc.is_in(keys, value_set=pa.concat_arrays(seen)).to_numpy(zero_copy_only=False)
        keep &= ~known
    kept = pa.array(keep)
    seen.append(keys.filter(kept))
    size = len(keys)
    table = {
        "transaction_key": keys,
        "booking_date": data["booking_date"].cast(pa.date32()),
        "value_date": data["value_date"].cast(pa.date32()),
        "amount": data["amount_text"].cast(AMOUNT),
        "balance_after": pa.array(columns.balance_after, pa.string()).cast(AMOUNT),
        "occurrence": pa.array(occurrence, pa.int64()),
        "_source_system": pa.array([SOURCE_SYSTEM] * size, pa.string()),
        **data,
    }
    return pa.Table.from_arrays(
        [table[f.name].filter(kept) for f in TRANSACTIONS_SCHEMA], schema=TRANSACTIONS_SCHEMA
    )
