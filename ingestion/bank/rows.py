"""Turn parsed statement files into raw rows: keys, columns, rejected rows, arrow tables.

Keys:
- ``transaction_key``: the same bank line in two overlapping files gets the same
  key. With a bank serial number (camt AcctSvcrRef, MT940 ``//`` reference,
  流水号) it is a hash of account + serial; without one, a hash of account,
  dates, amount, currency, references, counterparty, remittance and code. Both
  carry an occurrence counter so that truly identical lines within one
  statement stay apart.
- ``statement_key``: a hash of account, currency, statement id, dates and
  balances; a rejected statement's key also holds the file, so a wrong copy never
  replaces the accepted one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pyarrow as pa

from ingestion.bank.inspect import entry_to_dict
from ingestion.bank.parsers import Entry, ParsedFile, Statement, money_str
from ingestion.bank.parsers.columns import EntryColumns, amount_text, to_json
from ingestion.bank.settings import (
    FILES_SCHEMA,
    SOURCE_SYSTEM,
    STATEMENTS_SCHEMA,
    STATEMENTS_TABLE,
    STATUS_LOADED,
    STATUS_REJECTED,
    STATUS_UNREADABLE,
    TRANSACTIONS_TABLE,
)
from ingestion.bank.transactions import KEY_LENGTH, SEP, finish
from ingestion.common.rejects import rejected_row


def _arrow_table(columns: dict[str, list[Any]], schema: pa.Schema) -> pa.Table:
    """Build a table; decimals go through text (Python Decimals of another scale are slow)."""
    arrays = []
    for field in schema:
        values = columns[field.name]
        if pa.types.is_decimal(field.type):
            text = [None if v is None else format(v, "f") for v in values]
            arrays.append(pa.array(text, pa.string()).cast(field.type))
        else:
            arrays.append(pa.array(values, field.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:KEY_LENGTH]


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day is not None else ""


def line_identity(account: str, entry: Entry) -> str:
    """What makes a bank line the same line in another file (before the occurrence).

    The batch computation in :mod:`ingestion.bank.transactions` builds the same text.
    """
    serial = entry.references.get("serial_no")
    if serial:
        return SEP.join(("serial", account, serial))
    amount = amount_text(entry.amount) if entry.amount is not None else ""
    references = to_json(entry.references)
    return SEP.join((
        "content", account, _iso(entry.booking_date), _iso(entry.value_date), amount,
        entry.currency or "", references, entry.counterparty_name or "",
        entry.counterparty_account or "", entry.remittance or "", entry.transaction_code or "",
        "R" if entry.is_reversal else "",
    ))  # fmt: skip


def statement_key(statement: Statement, file_id: str) -> str:
    """The statement's key (see the module docstring)."""
    parts = [
        statement.account or "", statement.currency or "", statement.statement_id or "",
        statement.sequence or "", _iso(statement.opening_date), _iso(statement.closing_date),
        money_str(statement.opening_balance) or "", money_str(statement.closing_balance) or "",
    ]  # fmt: skip
    if statement.is_rejected:
        parts.append(file_id)
    return _digest(SEP.join(parts))


def _statement_payload(statement: Statement, parsed: ParsedFile, file_name: str) -> dict:
    entries = []
    for entry in statement.entries:
        item = entry_to_dict(entry)
        item["raw"] = entry.raw or None
        entries.append(item)
    return {
        "file_name": file_name,
        "format": parsed.format,
        "account": statement.account,
        "statement_id": statement.statement_id,
        "sequence": statement.sequence,
        "currency": statement.currency,
        "opening_balance": money_str(statement.opening_balance),
        "opening_date": _iso(statement.opening_date) or None,
        "closing_balance": money_str(statement.closing_balance),
        "closing_date": _iso(statement.closing_date) or None,
        "entries": entries,
    }


class RowBuffer:
    """Columns of the files, statements and transactions tables, plus rejected rows."""

    def __init__(self) -> None:
        self.files: dict[str, list[Any]] = {f.name: [] for f in FILES_SCHEMA}
        self.statements: dict[str, list[Any]] = {f.name: [] for f in STATEMENTS_SCHEMA}
        self.entries = EntryColumns()
        self.rejects: list[dict[str, Any]] = []
        self.seen_keys: list[pa.Array] = []  # transaction keys taken earlier in this run

    @property
    def row_count(self) -> int:
        """Rows buffered and not yet flushed."""
        return len(self.entries) + len(self.statements["statement_key"])

    def add_unreadable(self, file_id: str, file_name: str, data: bytes, reason: str) -> None:
        """Record a file that is not a statement at all."""
        head = data[:300].decode("utf-8", errors="replace")
        self._file(file_id, file_name, None, len(data), STATUS_UNREADABLE, reason, (0, 0, 0, 0))
        payload = {"file_name": file_name, "size_bytes": len(data), "head": head}
        self.rejects.append(rejected_row("files", reason, payload, file_name))

    def add_parsed(self, file_id: str, file_name: str, size: int, parsed: ParsedFile) -> None:
        """Record a parsed file: its statements, accepted lines and every rejection."""
        rejected_statements = rejected_entries = entries = 0
        problems: list[str] = []
        for number, statement in enumerate(parsed.statements, 1):
            key = statement_key(statement, file_id)
            ref = statement_ref(file_name, statement, number)
            self._statement(key, statement, parsed.format, file_id, ref, len(statement.entries))
            entries += len(statement.entries)
            if statement.is_rejected:
                rejected_statements += 1
                problems.append(statement.rejected_reason or "")
                payload = _statement_payload(statement, parsed, file_name)
                self.rejects.append(
                    rejected_row(STATEMENTS_TABLE, statement.rejected_reason or "", payload, ref)
                )
                continue
            rejected_entries += self._entries(statement, key, file_id, file_name, ref)
        if parsed.error:
            problems.insert(0, parsed.error)
            payload = {"file_name": file_name, "format": parsed.format}
            self.rejects.append(rejected_row("files", parsed.error, payload, file_name))
        accepted = len(parsed.statements) - rejected_statements
        status = STATUS_LOADED if accepted else STATUS_REJECTED
        error = _summary(len(parsed.statements), rejected_statements, rejected_entries, problems)
        if parsed.error:
            error = f"{parsed.error}; {error}" if error else parsed.error
        counts = (len(parsed.statements), rejected_statements, entries, rejected_entries)
        self._file(file_id, file_name, parsed, size, status, error, counts)

    def _entries(
        self, statement: Statement, key: str, file_id: str, file_name: str, statement_ref: str
    ) -> int:
        account = statement.account or ""
        index = self.entries.add_statement(statement.account, key, file_id)
        rejected = 0
        for number, entry in enumerate(statement.entries, 1):
            # XML has no line numbers here: name the statement and the entry instead.
            ref = (
                f"{file_name}:{entry.line_no}"
                if entry.line_no
                else f"{statement_ref} entry {number}"
            )
            if entry.error is not None:
                rejected += 1
                payload = entry_to_dict(entry) | {"raw": entry.raw or None, "account": account}
                self.rejects.append(rejected_row(TRANSACTIONS_TABLE, entry.error, payload, ref))
                continue
            self.entries.add_entry(index, entry, ref)
        return rejected

    def _statement(
        self, key: str, statement: Statement, fmt: str, file_id: str, ref: str, entries: int
    ) -> None:
        values = {
            "statement_key": key,
            "account": statement.account,
            "statement_id": statement.statement_id,
            "sequence": statement.sequence,
            "currency": statement.currency,
            "opening_balance": statement.opening_balance,
            "opening_date": statement.opening_date,
            "closing_balance": statement.closing_balance,
            "closing_date": statement.closing_date,
            "entry_count": entries,
            "is_balanced": statement.is_balanced,
            "rejected_reason": statement.rejected_reason,
            "format": fmt,
            "file_id": file_id,
            "source_ref": ref,
            "_source_system": SOURCE_SYSTEM,
        }
        for name, value in values.items():
            self.statements[name].append(value)

    def _file(
        self,
        file_id: str,
        file_name: str,
        parsed: ParsedFile | None,
        size: int,
        status: str,
        error: str | None,
        counts: tuple[int, int, int, int],
    ) -> None:
        values = {
            "file_id": file_id,
            "file_name": file_name,
            "format": parsed.format if parsed else None,
            "variant": parsed.variant if parsed else None,
            "encoding": parsed.encoding if parsed else None,
            "size_bytes": size,
            "statement_count": counts[0],
            "rejected_statement_count": counts[1],
            "entry_count": counts[2],
            "rejected_entry_count": counts[3],
            "status": status,
            "error": error,
            "processed_at": dt.datetime.now(dt.UTC),
            "_source_system": SOURCE_SYSTEM,
        }
        for name, value in values.items():
            self.files[name].append(value)

    def take_tables(self) -> tuple[pa.Table, pa.Table, pa.Table, list[dict[str, Any]]]:
        """Hand over the buffered rows as arrow tables (files, statements, transactions)
        and rejected-row records, and start empty again (seen keys are kept)."""
        tables = (
            _arrow_table(self.files, FILES_SCHEMA),
            _arrow_table(self.statements, STATEMENTS_SCHEMA),
            finish(self.entries, self.seen_keys),
        )
        rejects = self.rejects
        self.files = {name: [] for name in self.files}
        self.statements = {name: [] for name in self.statements}
        self.entries = EntryColumns()
        self.rejects = []
        return (*tables, rejects)


def statement_ref(file_name: str, statement: Statement, number: int) -> str:
    """Where a statement starts: ``file:line``, or ``file#statement n`` (XML)."""
    if statement.line_no:
        return f"{file_name}:{statement.line_no}"
    return f"{file_name}#statement {number}"


def _summary(
    statements: int, rejected: int, rejected_entries: int, problems: list[str]
) -> str | None:
    parts = []
    if rejected:
        parts.append(
            f"{rejected} of {statements} statements rejected (first: {problems[-rejected]})"
        )
    if rejected_entries:
        parts.append(f"{rejected_entries} line{'s' if rejected_entries > 1 else ''} rejected")
    return "; ".join(parts) or None
