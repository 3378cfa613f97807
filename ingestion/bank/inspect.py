"""``salesdw inspect FILE``: show what the bank source would read from one statement file.

One JSON object per statement, with its entries, whether it balances and why it
would be rejected. An unreadable file raises :class:`UnreadableFileError` whose
message is one line saying why.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ingestion.bank.parsers import (
    Entry,
    ParsedFile,
    Statement,
    UnreadableFileError,
    money_str,
    parse_file,
)

__all__ = ["UnreadableFileError", "entry_to_dict", "inspect_file", "render_jsonl"]


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def entry_to_dict(entry: Entry) -> dict[str, Any]:
    """One entry as a JSON-ready dict (dates ISO, amount a decimal string)."""
    return {
        "booking_date": _iso(entry.booking_date),
        "value_date": _iso(entry.value_date),
        "amount": money_str(entry.amount),
        "currency": entry.currency,
        "references": dict(entry.references),
        "counterparty": {
            "name": entry.counterparty_name,
            "account": entry.counterparty_account,
            "bic": entry.counterparty_bic,
        },
        "remittance": entry.remittance,
        "transaction_code": entry.transaction_code,
        "is_reversal": entry.is_reversal,
        "status": entry.status,
        "balance_after": money_str(entry.balance_after),
        "line": entry.line_no,
        "error": entry.error,
    }


def statement_to_dict(statement: Statement, parsed: ParsedFile) -> dict[str, Any]:
    """One statement as a JSON-ready dict, with its entries."""
    return {
        "format": parsed.format,
        "variant": parsed.variant,
        "encoding": parsed.encoding,
        "account": statement.account,
        "statement_id": statement.statement_id,
        "sequence": statement.sequence,
        "currency": statement.currency,
        "opening_balance": money_str(statement.opening_balance),
        "opening_date": _iso(statement.opening_date),
        "closing_balance": money_str(statement.closing_balance),
        "closing_date": _iso(statement.closing_date),
        "balances": statement.is_balanced,
        "rejected_reason": statement.rejected_reason,
        "file_error": parsed.error,
        "entry_count": len(statement.entries),
        "entries": [entry_to_dict(e) for e in statement.entries],
    }


def inspect_file(path: str | Path) -> Iterator[dict[str, Any]]:
    """Parse one file and yield one JSON-serialisable object per statement.

    Args:
        path: The statement file (format recognised from its content).

    Yields:
        Per statement: account, statement_id, currency, balances, ``balances``
        (True/False/None), ``rejected_reason``, format, encoding and entries.

    Raises:
        UnreadableFileError: The file cannot be read as a bank statement.
    """
    parsed = parse_file(path)
    for statement in parsed.statements:
        yield statement_to_dict(statement, parsed)


def render_jsonl(path: str | Path) -> Iterator[str]:
    """The output of ``salesdw inspect FILE``: one JSON line per statement."""
    for obj in inspect_file(path):
        yield json.dumps(obj, ensure_ascii=False)
