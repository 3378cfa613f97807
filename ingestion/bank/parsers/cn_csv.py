"""Chinese online-banking statement exports (CSV or tab-separated text).

Layout: optional preamble lines (account, currency, period, title), one header
row, data rows, then totals rows (人民币合计, 合计金额) and footer notes
(以上数据仅供参考) that are skipped. Amounts come as debit/credit columns, one
amount with a 借/贷 column, or one signed amount. Where a running balance
(余额) is printed, the export's opening and closing balances are derived from it
and every row must continue the one before (newest-first exports are turned
around); a break rejects the export.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from itertools import pairwise

from ingestion.bank.parsers.cn_csv_layout import (
    CURRENCY_NAMES,
    FOOTER_MARKERS,
    TOTAL_MARKERS,
    Preamble,
    clean_cell,
    direction_sign,
    header_role,
    parse_amount,
    parse_date,
)
from ingestion.bank.parsers.model import Entry, Statement, UnreadableFileError, money_str

MAX_PREAMBLE_LINES = 60
_REFERENCE_ROLES = (
    ("serial_no", "serial_no"), ("voucher_no", "bank_reference"),
    ("counterparty_bank", "counterparty_bank"),
)  # fmt: skip
_DATE_WORDS = ("日期", "日", "时间")


def find_header(lines: list[str]) -> tuple[int, dict[str, int], str] | None:
    """Locate the header row: a date column and at least one amount column.

    Returns:
        (line index, role -> column index, delimiter), or None when there is none.
    """
    for index, line in enumerate(lines[:MAX_PREAMBLE_LINES]):
        if not any(word in line for word in _DATE_WORDS):
            continue
        delimiter = "\t" if line.count("\t") > line.count(",") else ","
        cells = next(csv.reader([line], delimiter=delimiter), [])
        columns: dict[str, int] = {}
        for position, cell in enumerate(cells):
            role = header_role(cell)
            if role is not None:
                columns.setdefault(role, position)
        has_date = "booking_date" in columns or "booking_time" in columns
        has_amount = bool({"debit", "credit", "amount"} & columns.keys())
        if has_date and has_amount:
            return index, columns, delimiter
    return None


def looks_like_cn_export(text: str) -> bool:
    """Whether decoded text has a Chinese statement header row."""
    return find_header(text.splitlines()) is not None


class _RowReader:
    """Turns one data row into an Entry using the header's column roles."""

    def __init__(self, columns: dict[str, int], preamble: Preamble, delimiter: str) -> None:
        self.columns = columns
        self.roles = tuple(columns.items())
        self.period = preamble.period
        self.currency = preamble.currency or "CNY"
        self.delimiter = delimiter
        self.date_column = columns.get("booking_date", columns.get("booking_time"))
        self.date_role = "booking_date" if "booking_date" in columns else "booking_time"
        self.split_amounts = "debit" in columns or "credit" in columns

    def values(self, raw: list[str]) -> dict[str, str]:
        """The cleaned cells of a row by role (only the columns the header names)."""
        size = len(raw)
        return {role: clean_cell(raw[i]) for role, i in self.roles if i < size}

    def entry(self, raw: list[str], line_no: int) -> tuple[Entry, dict[str, str]]:
        values = self.values(raw)
        cell = values.get
        entry = Entry(None, None, None, self.currency, line_no=line_no)
        entry.raw = self.delimiter.join(raw)
        errors: list[str] = []
        try:
            entry.booking_date = parse_date(cell(self.date_role, ""), self.period)
            value_text = cell("value_date")
            entry.value_date = (
                parse_date(value_text, self.period) if value_text else entry.booking_date
            )
        except ValueError as exc:
            errors.append(str(exc))
        try:
            entry.amount = self._amount(values)
        except ValueError as exc:
            errors.append(str(exc))
        balance = cell("balance")
        if balance:
            try:
                entry.balance_after = parse_amount(balance)
            except ValueError:
                errors.append(f"unreadable balance '{balance}'")
        currency = cell("currency")
        if currency:
            entry.currency = CURRENCY_NAMES.get(currency.upper(), currency.upper())
        entry.counterparty_name = cell("counterparty_name") or None
        entry.counterparty_account = (cell("counterparty_account") or "").replace(" ", "") or None
        texts = [t for t in (cell("summary"), cell("purpose"), cell("postscript")) if t]
        entry.remittance = " ".join(dict.fromkeys(texts)) if texts else None
        entry.transaction_code = cell("transaction_type") or None
        references = entry.references
        for role, key in _REFERENCE_ROLES:
            value = cell(role)
            if value:
                references[key] = value
        if errors:
            entry.error = "; ".join(errors)
        return entry, values

    def _amount(self, values: dict[str, str]) -> Decimal:
        if self.split_amounts:
            debit, credit = values.get("debit", ""), values.get("credit", "")
            if debit or credit:
                out = parse_amount(debit) if debit else Decimal(0)
                into = parse_amount(credit) if credit else Decimal(0)
                if out and into:
                    raise ValueError(f"row has both a debit ({debit}) and a credit ({credit})")
                return into - abs(out) if out else into
            if "amount" not in self.columns:
                raise ValueError("row has neither a debit nor a credit amount")
        text = values.get("amount", "")
        if not text:
            raise ValueError("row has no amount")
        amount = parse_amount(text)
        if "direction" not in self.columns:
            return amount
        mark = values.get("direction", "")
        sign = direction_sign(mark)
        if sign is None:
            raise ValueError(f"unknown debit/credit mark '{mark}'")
        return abs(amount) * sign


def _is_skippable(cells: list[str], date_cell: str) -> bool:
    """Totals rows, footer notes and repeated headers carry no entry."""
    filled = [c for c in cells if c]
    if not filled:
        return True
    if header_role(date_cell) is not None:
        return True  # the header repeated on every printed page
    looks_dated = date_cell[:1].isdigit()
    if not looks_dated and any(m in "".join(filled) for m in TOTAL_MARKERS):
        return True
    return not looks_dated and (len(filled) == 1 or filled[0].startswith(FOOTER_MARKERS))


def _continuity(entries: list[Entry]) -> tuple[list[Entry], str | None]:
    """Check that every running balance follows from the one before.

    Returns:
        The entries oldest first, and the first break found (None if none).
    """
    if not _has_balances(entries):
        return entries, None
    dates = [e.booking_date for e in entries if e.booking_date is not None]
    orders = [entries]
    if dates and dates[0] > dates[-1]:
        orders = [entries[::-1]]
    elif not dates or dates[0] == dates[-1]:
        orders = [entries, entries[::-1]]
    problem: str | None = None
    for ordered in orders:
        problem = _first_break(ordered)
        if problem is None:
            return ordered, None
    return orders[0], problem


def _has_balances(entries: list[Entry]) -> bool:
    """Every readable row prints a balance (rows cut short by a truncation do not count)."""
    usable = [e for e in entries if e.balance_after is not None]
    return bool(usable) and all(e.balance_after is not None or e.error for e in entries)


def _first_break(entries: list[Entry]) -> str | None:
    usable = [e for e in entries if e.balance_after is not None]
    for before, entry in pairwise(usable):
        if entry.amount is None or before.balance_after is None or entry.balance_after is None:
            continue
        expected = before.balance_after + entry.amount
        if expected != entry.balance_after:
            return (
                f"running balance breaks at line {entry.line_no}: "
                f"{money_str(before.balance_after)} + {money_str(entry.amount)} should give "
                f"{money_str(expected)} but the export shows {money_str(entry.balance_after)} "
                f"(difference {money_str(entry.balance_after - expected)})"
            )
    return None


def _statement(
    account: str | None, currency: str, entries: list[Entry], preamble: Preamble, single: bool
) -> Statement:
    ordered, problem = _continuity(entries)
    statement = Statement(
        account=account, statement_id=None, currency=currency, entries=ordered, error=problem
    )
    dates = [e.booking_date for e in ordered if e.booking_date is not None]
    statement.opening_date = preamble.start or (min(dates) if dates else None)
    statement.closing_date = preamble.end or (max(dates) if dates else None)
    if statement.opening_date and statement.closing_date:
        statement.statement_id = f"{statement.opening_date:%Y%m%d}-{statement.closing_date:%Y%m%d}"
    if single and preamble.opening is not None and preamble.closing is not None:
        statement.opening_balance, statement.closing_balance = preamble.opening, preamble.closing
    elif _has_balances(ordered):
        usable = [e for e in ordered if e.balance_after is not None]
        head, tail = usable[0], usable[-1]
        statement.closing_balance = tail.balance_after
        if head.amount is not None and head.balance_after is not None:
            statement.opening_balance = head.balance_after - head.amount
    if account is None:
        statement.error = statement.error or "export names no account (账号/卡号 line or column)"
    return statement


def parse_cn_csv(text: str) -> tuple[list[Statement], str]:
    """Parse a Chinese bank export.

    Args:
        text: The decoded file content.

    Returns:
        The statements (one per account and currency in the export) and a short
        description of the layout found.

    Raises:
        UnreadableFileError: No header row with a date and an amount column.
    """
    lines = text.splitlines()
    found = find_header(lines)
    if found is None:
        raise UnreadableFileError("no statement header row (交易日期 … 金额) found")
    header_index, columns, delimiter = found
    preamble = Preamble(lines[:header_index])
    rows = _RowReader(columns, preamble, delimiter)
    assert rows.date_column is not None
    reader = csv.reader(io.StringIO("\n".join(lines[header_index + 1 :])), delimiter=delimiter)
    needed = max(columns.values()) + 1
    groups: dict[tuple[str | None, str], list[Entry]] = {}
    entry: Entry | None = None
    for raw in reader:
        line_no = header_index + 1 + reader.line_num
        date_cell = clean_cell(raw[rows.date_column]) if rows.date_column < len(raw) else ""
        if not date_cell[:1].isdigit() and _is_skippable([clean_cell(c) for c in raw], date_cell):
            continue
        entry, values = rows.entry(raw, line_no)
        if len(raw) < needed:
            entry.error = (
                f"row has {len(raw)} cells, fewer than the {needed} its header needs; "
                "the row is cut short"
            )
            entry.amount = entry.balance_after = None  # cut cells are not numbers to trust
        account = values.get("account", "").replace(" ", "") or preamble.account
        groups.setdefault((account, entry.currency or rows.currency), []).append(entry)
    cut_short = not text.endswith(("\n", "\r"))
    if entry is not None and cut_short and entry.line_no == len(lines):
        # A last row without its line end is where a download stopped: its cells may be cut.
        entry.error = entry.error or "last row has no line end; the file looks truncated"
        entry.amount = entry.balance_after = None
    if not groups:
        groups[(preamble.account, rows.currency)] = []
    single = len(groups) == 1
    statements = [
        _statement(account, currency, entries, preamble, single)
        for (account, currency), entries in groups.items()
    ]
    return statements, _layout(columns, delimiter)


def _layout(columns: dict[str, int], delimiter: str) -> str:
    if "debit" in columns or "credit" in columns:
        amounts = "debit/credit columns"
    elif "direction" in columns:
        amounts = "amount with debit/credit mark"
    else:
        amounts = "signed amount"
    balance = ", running balance" if "balance" in columns else ""
    separator = "tab-separated" if delimiter == "\t" else "comma-separated"
    return f"{separator}, {amounts}{balance}"
