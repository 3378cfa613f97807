"""The shape every bank statement parser returns, whatever the file format.

A file holds statements; a statement holds entries (bank lines). Amounts are
``Decimal`` and signed from the account holder's view: credit (money in) is
positive, debit (money out) negative. A parser never raises on one bad line: it
sets ``Entry.error`` (the line is rejected alone) or ``Statement.error`` (the
statement is rejected with all its entries). Only a file that cannot be read at
all raises :class:`UnreadableFileError`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

MT940 = "mt940"
CAMT053 = "camt053"
CN_CSV = "cn_csv"
FORMATS = (MT940, CAMT053, CN_CSV)

# The most decimals any currency or test file carries; the raw tables use this scale.
MAX_DECIMALS = 5


class UnreadableFileError(ValueError):
    """The file is not a bank statement this package can read; the message is one line."""

    def __init__(self, reason: str) -> None:
        super().__init__(" ".join(reason.split()))


@dataclass(slots=True)
class Entry:
    """One bank line (MT940 ``:61:``+``:86:``, camt ``Ntry``, one CSV row).

    ``references`` holds whatever identifiers the bank printed, by name:
    ``serial_no`` (the bank's own line reference: camt AcctSvcrRef, MT940 ``//``
    reference, 流水号), ``end_to_end_id``, ``customer_reference``,
    ``bank_reference`` (camt TxId, MT940 supplementary details, 凭证号),
    ``mandate_reference``, ``creditor_reference`` and a few format-specific ones.
    """

    booking_date: dt.date | None
    value_date: dt.date | None
    amount: Decimal | None
    currency: str | None
    references: dict[str, str] = field(default_factory=dict)
    counterparty_name: str | None = None
    counterparty_account: str | None = None
    counterparty_bic: str | None = None
    remittance: str | None = None
    transaction_code: str | None = None
    is_reversal: bool = False
    status: str | None = None  # camt Sts (BOOK, PDNG, INFO); None means booked
    balance_after: Decimal | None = None  # running balance printed beside the line (CSV)
    line_no: int | None = None  # 1-based line of the file where the entry starts
    raw: str = ""  # the entry as it appears in the file, for rejected_rows
    error: str | None = None  # one sentence when this line alone cannot be loaded

    @property
    def is_booked(self) -> bool:
        """Whether the entry counts towards the booked balance."""
        return self.status is None or self.status.upper() in ("BOOK", "BOOKED")


@dataclass(slots=True)
class Statement:
    """One account statement (or one CSV export, which covers a date range)."""

    account: str | None
    statement_id: str | None
    currency: str | None
    sequence: str | None = None
    opening_balance: Decimal | None = None
    opening_date: dt.date | None = None
    closing_balance: Decimal | None = None
    closing_date: dt.date | None = None
    entries: list[Entry] = field(default_factory=list)
    line_no: int | None = None
    error: str | None = None  # structural problem found by the parser (truncated, gap)
    is_balanced: bool | None = None  # set by check_statement: None = nothing to check
    rejected_reason: str | None = None  # set by check_statement

    @property
    def is_rejected(self) -> bool:
        """Whether the statement (with all its entries) is rejected."""
        return self.rejected_reason is not None


@dataclass(slots=True)
class ParsedFile:
    """A parsed file: its format, the encoding it was read with and its statements."""

    format: str
    encoding: str
    statements: list[Statement]
    variant: str | None = None  # e.g. camt.053.001.08, or the CSV layout found
    error: str | None = None  # a file-level problem when some statements were salvaged


def money_str(amount: Decimal | None) -> str | None:
    """Render a Decimal as plain text (no exponent), e.g. ``-1234.50``."""
    return None if amount is None else format(amount, "f")


_LIMIT = Decimal(10) ** 18  # the raw tables hold DECIMAL(23, 5)
_SCALE = Decimal(1).scaleb(-MAX_DECIMALS)


def _amount_problem(amount: Decimal | None) -> str | None:
    if amount is None:
        return None
    if not amount.is_finite() or abs(amount) >= _LIMIT:
        return f"amount {amount} is out of range"
    if amount != amount.quantize(_SCALE):
        return f"amount {amount} has more than {MAX_DECIMALS} decimals"
    return None


def check_amounts(statement: Statement) -> None:
    """Reject amounts the warehouse cannot hold exactly (over 5 decimals or 18 digits)."""
    for entry in statement.entries:
        problem = _amount_problem(entry.amount)
        if problem is not None:
            entry.error = entry.error or problem
            entry.amount = None
    for balance in (statement.opening_balance, statement.closing_balance):
        problem = _amount_problem(balance)
        if problem is not None:
            statement.error = statement.error or f"balance {problem.removeprefix('amount ')}"


def check_statement(statement: Statement) -> None:
    """Check that a statement balances and set ``is_balanced`` / ``rejected_reason``.

    The booked entries must take the opening balance to the closing balance
    exactly. A parser's structural error rejects the statement too. A statement
    without both balances cannot be checked (``is_balanced`` stays None) and is
    accepted.
    """
    check_amounts(statement)
    if statement.opening_balance is None or statement.closing_balance is None:
        statement.is_balanced = None
        statement.rejected_reason = statement.error
        return
    total = sum(
        (e.amount for e in statement.entries if e.amount is not None and e.is_booked),
        Decimal(0),
    )
    expected = statement.opening_balance + total
    difference = statement.closing_balance - expected
    if difference != 0 and statement.error is None:
        unreadable = sum(1 for e in statement.entries if e.amount is None)
        note = f" ({unreadable} entries have unreadable amounts)" if unreadable else ""
        statement.error = (
            f"statement does not balance: opening {money_str(statement.opening_balance)} "
            f"+ entries {money_str(total)} = {money_str(expected)} but closing is "
            f"{money_str(statement.closing_balance)} (difference {money_str(difference)}){note}"
        )
    statement.is_balanced = difference == 0 and statement.error is None
    statement.rejected_reason = statement.error
