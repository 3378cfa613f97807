"""The bank source: statement files (MT940, camt.053, Chinese CSV exports) from a landing folder.

Loads ``raw_bank.files``, ``raw_bank.statements``, ``raw_bank.transactions`` and
``raw_bank.rejected_rows`` (see README.md for the data contract). Files are
recognised by content and read once: a hidden reader resource parses each new
file a single time and hands its rows, as arrow tables, to one resource per
table. Each table resource remembers the files it has loaded (by content hash)
in its dlt state, committed with the load; every table is merged on its key, so
overlapping files and re-runs after a crash never duplicate a bank line.

``transactions`` is loaded insert-only (dlt's ``insert-only`` merge strategy): a
``transaction_key`` already in the table adds nothing, so the first delivery of a
line stays as it was loaded. The reader keeps only the first line of every key within
a run (dlt does not deduplicate insert-only staging rows). ``files`` and
``statements`` are merged on their keys as before.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dlt
import pyarrow as pa
import pyarrow.compute as pc

from ingestion.bank.helpers import read_new_files
from ingestion.bank.rows import RowBuffer
from ingestion.bank.settings import (
    BATCH_ROWS,
    FILES_SCHEMA,
    FILES_TABLE,
    INSERT_ONLY,
    SCHEMA_CONTRACT,
    SOURCE_NAME,
    STATEMENTS_SCHEMA,
    STATEMENTS_TABLE,
    TRANSACTIONS_SCHEMA,
    TRANSACTIONS_TABLE,
    column_hints,
)
from ingestion.common.rejects import as_rejected

log = logging.getLogger(__name__)

__all__ = ["bank_source"]

TABLES = (FILES_TABLE, STATEMENTS_TABLE, TRANSACTIONS_TABLE)
_STATE_KEY = "loaded_files"


@dataclass
class _Batch:
    """The rows of a run of new files, by table, plus the rejected rows by table."""

    file_ids: dict[str, str]  # file_id -> file name
    tables: dict[str, pa.Table]
    rejects: dict[str, list[dict[str, Any]]]


def _known_by_every_table() -> Any:
    """Whether every table resource has loaded a file (read from the source's dlt state)."""
    resources = dlt.current.source_state().get("resources", {})
    known = [resources.get(name, {}).get(_STATE_KEY, {}) for name in TABLES]
    return lambda file_id: all(file_id in k for k in known)


def _take(buffer: RowBuffer, file_ids: dict[str, str]) -> _Batch:
    files, statements, transactions, rejects = buffer.take_tables()
    by_table: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    for record in rejects:
        by_table.setdefault(record["table_name"], []).append(record)
    tables = {FILES_TABLE: files, STATEMENTS_TABLE: statements, TRANSACTIONS_TABLE: transactions}
    return _Batch(dict(file_ids), tables, by_table)


@dlt.resource(name="statement_files", selected=False)
def statement_files(landing_dir: str, batch_rows: int = BATCH_ROWS) -> Iterator[_Batch]:
    """Parse each file some table has not loaded yet, once; yield batches of rows."""
    known_before = _known_by_every_table()
    seen: set[str] = set()
    buffer = RowBuffer()
    pending: dict[str, str] = {}

    def is_known(file_id: str) -> bool:
        return file_id in seen or known_before(file_id)

    for file_id, name in read_new_files(Path(landing_dir), is_known, buffer):
        seen.add(file_id)
        pending[file_id] = name
        if buffer.row_count >= batch_rows:
            yield _take(buffer, pending)
            pending.clear()
    if pending:
        yield _take(buffer, pending)
    log.info("bank: %d new statement files read from %s", len(seen), landing_dir)


def _table_rows(
    batch: _Batch, table_name: str, schema: pa.Schema, key: str, disposition: Any = "merge"
) -> Iterator[Any]:
    """The batch's rows of one table, minus files this table loaded before; then its rejects."""
    known: dict[str, str] = dlt.current.resource_state().setdefault(_STATE_KEY, {})
    if all(file_id in known for file_id in batch.file_ids):
        return  # read for another table only (after a run that loaded a subset of tables)
    table = batch.tables[table_name]
    if any(file_id in known for file_id in batch.file_ids):
        table = table.filter(pc.invert(pc.is_in(table["file_id"], pa.array(list(known)))))
    if table.num_rows:
        hints = dlt.mark.make_hints(
            table_name=table_name,
            write_disposition=disposition,
            primary_key=key,
            columns=column_hints(schema, key),
        )
        # A table variant: hints set on the resource itself would leak into rejected_rows.
        yield dlt.mark.with_hints(table, hints, create_table_variant=True)
    if batch.rejects.get(table_name):
        yield as_rejected(batch.rejects[table_name])
    known.update(batch.file_ids)


@dlt.transformer(name=FILES_TABLE, write_disposition="merge", primary_key="file_id")
def files(batch: _Batch) -> Iterator[Any]:
    """One row per file read (loaded, rejected or unreadable)."""
    yield from _table_rows(batch, FILES_TABLE, FILES_SCHEMA, "file_id")


@dlt.transformer(name=STATEMENTS_TABLE, write_disposition="merge", primary_key="statement_key")
def statements(batch: _Batch) -> Iterator[Any]:
    """One row per statement, balanced or not."""
    yield from _table_rows(batch, STATEMENTS_TABLE, STATEMENTS_SCHEMA, "statement_key")


@dlt.transformer(
    name=TRANSACTIONS_TABLE, write_disposition=INSERT_ONLY, primary_key="transaction_key"
)
def transactions(batch: _Batch) -> Iterator[Any]:
    """One row per bank line of an accepted statement (insert-only: a line already loaded
    from an earlier file stays as it was)."""
    yield from _table_rows(
        batch, TRANSACTIONS_TABLE, TRANSACTIONS_SCHEMA, "transaction_key", INSERT_ONLY
    )


@dlt.source(name=SOURCE_NAME, schema_contract=SCHEMA_CONTRACT)  # type: ignore[call-overload]
def bank_source(landing_dir: str = dlt.config.value, batch_rows: int = BATCH_ROWS) -> Any:
    """The bank statement source.

    Args:
        landing_dir: Folder the statement files arrive in (any mix of formats, any
            names; sub-folders are read too). Config key ``sources.bank.landing_dir``,
            env var ``SOURCES__BANK__LANDING_DIR``.
        batch_rows: Rows buffered before arrow tables are handed to dlt.

    Returns:
        The ``files``, ``statements`` and ``transactions`` resources (rejected rows
        land beside them in ``rejected_rows``).
    """
    reader = statement_files(landing_dir, batch_rows)
    return reader | files, reader | statements, reader | transactions
