"""Accepted bank lines as plain columns (one list each), for keying them a batch at a time.

The columns hold exactly what the ``transactions`` table and the line identity need
(see ``ingestion.bank.transactions``), as text: dates ISO, amounts with five decimals
(sign kept, also of a zero). A parser that emits columns instead of ``Entry`` objects
can append to them directly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal

from ingestion.bank.parsers.model import Entry, money_str

_SCALE = Decimal("0.00001")
NAMED_REFERENCES = (
    "serial_no", "end_to_end_id", "bank_reference", "customer_reference",
    "mandate_reference", "creditor_reference",
)  # fmt: skip
TEXT_FIELDS = (
    "currency", "counterparty_name", "counterparty_account", "counterparty_bic", "remittance",
    "transaction_code", "status",
)  # fmt: skip
to_json = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def amount_text(amount: Decimal) -> str:
    """The amount as the identity writes it: five decimals, sign kept (also of zero)."""
    return money_str(amount.quantize(_SCALE)) or ""


@dataclass
class EntryColumns:
    """Accepted lines of a batch, one list per column, and their statements."""

    statement: list[int] = field(default_factory=list)  # index into the statement lists
    source_ref: list[str] = field(default_factory=list)
    booking_date: list[str] = field(default_factory=list)  # ISO
    value_date: list[str | None] = field(default_factory=list)
    amount: list[str] = field(default_factory=list)  # amount_text
    balance_after: list[str | None] = field(default_factory=list)
    references_json: list[str] = field(default_factory=list)
    is_reversal: list[bool] = field(default_factory=list)
    texts: dict[str, list[str | None]] = field(
        default_factory=lambda: {name: [] for name in (*TEXT_FIELDS, *NAMED_REFERENCES)}
    )
    # Per statement of the batch.
    account: list[str | None] = field(default_factory=list)
    statement_key: list[str] = field(default_factory=list)
    file_id: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.statement)

    def add_statement(self, account: str | None, key: str, file_id: str) -> int:
        """Register a statement; returns the index its lines refer to."""
        self.account.append(account)
        self.statement_key.append(key)
        self.file_id.append(file_id)
        return len(self.account) - 1

    def add_entry(self, statement: int, entry: Entry, source_ref: str) -> None:
        """One accepted ``Entry`` of the careful path."""
        assert entry.amount is not None and entry.booking_date is not None
        self.statement.append(statement)
        self.source_ref.append(source_ref)
        self.booking_date.append(entry.booking_date.isoformat())
        self.value_date.append(entry.value_date.isoformat() if entry.value_date else None)
        self.amount.append(amount_text(entry.amount))
        # As printed (the table's DECIMAL(23, 5) holds it, or the load says why not).
        self.balance_after.append(money_str(entry.balance_after))
        self.references_json.append(to_json(entry.references))
        self.is_reversal.append(entry.is_reversal)
        texts = self.texts
        for name in TEXT_FIELDS:
            texts[name].append(getattr(entry, name))
        references = entry.references
        for name in NAMED_REFERENCES:
            texts[name].append(references.get(name))
