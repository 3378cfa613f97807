"""SWIFT MT940 customer statements, as banks really write them.

Tolerated: bank header lines and SWIFT envelopes (``{1:…}{2:…}{4:``) before the
first tag, ``-`` / ``-}`` lines between messages, several messages per file,
statements split into pages (``:60M:``/``:62M:``) that are merged back into one,
CRLF/LF/CR, blank lines, amounts like ``380115,`` and ``00,12``, the optional
entry date (MMDD, year taken from the value date, across year end), marks
C/D/RC/RD, a funds code, NONREF, ``//`` bank references and a second ``:61:`` line.
An invalid date (30 February) rejects that line alone; a missing closing balance
(a truncated file) rejects the statement.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from ingestion.bank.parsers.model import Entry, Statement, UnreadableFileError, money_str
from ingestion.bank.parsers.mt940_info import parse_information

_TAG = re.compile(r":(\d{2}[A-Z]?):")
_BALANCE = re.compile(
    r"^(?P<mark>[CD])(?P<date>\d{6})(?P<currency>[A-Z]{3})(?P<amount>\d[\d,.]*|[,.]\d+)$"
)
_LINE = re.compile(
    r"^(?P<value>\d{6})(?P<entry>\d{4})?(?P<mark>RC|RD|EC|ED|C|D)(?P<funds>[A-Z])?"
    r"(?P<amount>\d[\d,.]*|,\d+)(?P<type>[NSF][A-Z0-9]{3})(?P<rest>.*)$"
)
_IBAN = re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$")
_CONTINUED_TAGS = {"61", "86"}  # fields whose text may run over several lines
_SEPARATOR = "-"
_SIGNS = {"C": 1, "D": -1, "RD": 1, "RC": -1, "EC": 1, "ED": -1}


class _InvalidDateError(ValueError):
    pass


@dataclass(slots=True)
class _Field:
    tag: str
    lines: list[str]
    line_no: int


@dataclass(slots=True)
class _Balance:
    kind: str  # F (final/first) or M (intermediate page)
    amount: Decimal
    date: dt.date
    currency: str


@dataclass(slots=True)
class _Page:
    line_no: int
    reference: str | None = None
    account: str | None = None
    statement_no: str | None = None
    page_no: str | None = None
    opening: _Balance | None = None
    closing: _Balance | None = None
    entries: list[Entry] = field(default_factory=list)
    error: str | None = None


def _amount(text: str) -> Decimal:
    """``380115,`` -> 380115, ``00,12`` -> 0.12, ``,5`` -> 0.5."""
    text = text.strip().replace(",", ".")
    if text.count(".") > 1:
        raise InvalidOperation(text)
    if text.endswith("."):
        text = text[:-1]
    return Decimal("0" + text if text.startswith(".") else text)


def _describe(year: int, month: int, day: int) -> str:
    if not 1 <= month <= 12:
        return f"month {month}"
    return f"{day} {calendar.month_name[month]} {year}"


def _date6(text: str) -> dt.date:
    year, month, day = int(text[:2]), int(text[2:4]), int(text[4:6])
    year += 2000 if year < 80 else 1900
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise _InvalidDateError(_describe(year, month, day)) from None


def _entry_date(mmdd: str, value_date: dt.date) -> dt.date:
    """The entry date has no year: take the one closest to the value date."""
    month, day = int(mmdd[:2]), int(mmdd[2:])
    candidates = []
    for year in (value_date.year - 1, value_date.year, value_date.year + 1):
        try:
            candidates.append(dt.date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        raise _InvalidDateError(_describe(value_date.year, month, day))
    return min(candidates, key=lambda d: abs((d - value_date).days))


def _balance(tag: str, value: str) -> _Balance:
    match = _BALANCE.match(value.replace(" ", ""))
    if match is None:
        raise ValueError(f"unreadable balance :{tag}:{value.strip()}")
    try:
        date = _date6(match["date"])
    except _InvalidDateError as exc:
        raise ValueError(f"invalid date {exc} in balance :{tag}:{value.strip()}") from None
    amount = _amount(match["amount"])
    return _Balance(tag[-1], -amount if match["mark"] == "D" else amount, date, match["currency"])


def _parse_line(item: _Field) -> Entry:
    first = item.lines[0].strip()
    raw = ":61:" + "\n".join(item.lines)
    match = _LINE.match(first)
    if match is None:
        return Entry(
            None,
            None,
            None,
            None,
            line_no=item.line_no,
            raw=raw,
            error=f"unreadable :61: line '{first}'",
        )
    entry = Entry(None, None, None, None, line_no=item.line_no, raw=raw)
    mark = match["mark"]
    entry.is_reversal = mark.startswith("R")
    entry.transaction_code = match["type"]
    try:
        entry.amount = _amount(match["amount"]) * _SIGNS[mark]
    except InvalidOperation:
        entry.error = f"unreadable amount '{match['amount']}' in :61:"
    try:
        entry.value_date = _date6(match["value"])
        entry.booking_date = (
            _entry_date(match["entry"], entry.value_date) if match["entry"] else entry.value_date
        )
    except _InvalidDateError as exc:
        entry.error = f"invalid date {exc} in :61:{first}"
    customer, _, bank = match["rest"].partition("//")
    customer = customer.strip()
    if customer and customer.upper() != "NONREF":
        entry.references["customer_reference"] = customer
    if bank.strip():
        entry.references["serial_no"] = bank.strip()
    details = " ".join(line.strip() for line in item.lines[1:] if line.strip())
    if details:
        entry.references["bank_reference"] = details
    return entry


def _apply_information(entry: Entry, item: _Field) -> None:
    info = parse_information(item.lines)
    entry.raw += "\n:86:" + "\n".join(item.lines)
    entry.remittance = info.remittance
    entry.counterparty_name = info.counterparty_name
    entry.counterparty_account = info.counterparty_account
    entry.counterparty_bic = info.counterparty_bic
    for key, value in info.references.items():
        entry.references.setdefault(key, value)


def _fields(lines: list[str]) -> list[_Field | None]:
    """Cut the file into tagged fields; None marks a message boundary."""
    out: list[_Field | None] = []
    current: _Field | None = None
    for number, raw_line in enumerate(lines, 1):
        line = raw_line.rstrip("\r\n")
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("{"):
            # SWIFT envelope: blocks 1-3 before the text block, block 5 after it.
            start = stripped.find("{4:")
            if start < 0:
                continue
            out.append(None)
            current = None
            line = stripped = stripped[start + 3 :].strip()
            if not stripped:
                continue
        ends_message = stripped == _SEPARATOR or "-}" in stripped
        if ends_message:
            # "-}" closes the text block; a trailer block ({5:...}) may follow it.
            stripped = line = stripped.split("-}")[0].strip()
        tag = _TAG.match(stripped) if stripped else None
        if tag is not None:
            current = _Field(tag.group(1), [stripped[tag.end() :]], number)
            out.append(current)
        elif stripped and current is not None and current.tag in _CONTINUED_TAGS:
            current.lines.append(line)
        # Anything else is a bank header line or stray text outside a field.
        if ends_message:
            out.append(None)
            current = None
    return out


def _pages(items: list[_Field | None]) -> list[_Page]:
    pages: list[_Page] = []
    page: _Page | None = None
    last: _Field | None = None
    for item in items:
        if item is None or item.tag == "20" or page is None:
            page = None if item is None else _Page(item.line_no)
            if page is not None:
                pages.append(page)
            if item is None:
                last = None
                continue
        _apply_field(page, item, last)
        last = item
    return pages


def _apply_field(page: _Page, item: _Field, previous: _Field | None) -> None:
    value = item.lines[0].strip()
    tag = item.tag
    try:
        if tag == "20":
            page.reference = value
        elif tag == "25":
            tokens = value.split()
            # Some banks append the currency: "NL50RABO0123456789 EUR".
            if len(tokens) > 1 and re.fullmatch(r"[A-Z]{3}", tokens[-1]):
                tokens = tokens[:-1]
            page.account = "".join(tokens).lstrip("/") or None
        elif tag in ("28C", "28"):
            number, _, page_no = value.partition("/")
            page.statement_no, page.page_no = number.strip(), page_no.strip() or None
        elif tag in ("60F", "60M"):
            page.opening = _balance(tag, value)
        elif tag in ("62F", "62M"):
            page.closing = _balance(tag, value)
        elif tag == "61":
            page.entries.append(_parse_line(item))
        elif tag == "86" and previous is not None and previous.tag == "61" and page.entries:
            _apply_information(page.entries[-1], item)
    except (ValueError, InvalidOperation) as exc:
        page.error = page.error or str(exc)


def _statement(page: _Page) -> Statement:
    number = page.statement_no
    statement_id = number if number and number.strip("0") else page.reference
    statement = Statement(
        account=page.account,
        statement_id=statement_id,
        currency=page.opening.currency if page.opening else None,
        sequence=page.page_no,
        line_no=page.line_no,
        entries=list(page.entries),
        error=page.error,
    )
    if page.opening is not None:
        statement.opening_balance, statement.opening_date = page.opening.amount, page.opening.date
    if page.account is None and statement.error is None:
        statement.error = "statement has no account (:25:)"
    if page.opening is None and statement.error is None:
        statement.error = "statement has no opening balance (:60F:)"
    return statement


def _close(statement: Statement, page: _Page) -> None:
    if page.closing is None:
        statement.error = statement.error or (
            "statement has no closing balance (:62F:); the file looks truncated"
        )
        return
    statement.closing_balance, statement.closing_date = page.closing.amount, page.closing.date
    if statement.currency and page.closing.currency != statement.currency:
        statement.error = statement.error or (
            f"closing balance is in {page.closing.currency}, opening in {statement.currency}"
        )


def _merge(pages: list[_Page]) -> list[Statement]:
    """Merge the pages of multi-page statements (60M/62M) into one statement each."""
    statements: list[Statement] = []
    last_pages: list[_Page] = []  # the last page merged into each statement
    for page in pages:
        previous = last_pages[-1] if last_pages else None
        if previous is not None and _continues(previous, page):
            statement = statements[-1]
            assert previous.closing is not None and page.opening is not None
            if (previous.closing.amount, previous.closing.date) != (
                page.opening.amount,
                page.opening.date,
            ):
                statement.error = statement.error or (
                    f"page {page.page_no or '?'} opens with {money_str(page.opening.amount)} "
                    f"but the page before closed with {money_str(previous.closing.amount)}"
                )
            statement.entries.extend(page.entries)
            statement.error = statement.error or page.error
            first = (statement.sequence or "").split("-")[0]
            statement.sequence = f"{first}-{page.page_no}" if page.page_no else first or None
            last_pages[-1] = page
        else:
            statements.append(_statement(page))
            last_pages.append(page)
        _close(statements[-1], page)
    for statement, last in zip(statements, last_pages, strict=True):
        if last.closing is not None and last.closing.kind == "M":
            statement.error = statement.error or (
                "statement ends with an intermediate closing balance (:62M:) and no final "
                "page; the file looks truncated"
            )
        for entry in statement.entries:
            entry.currency = statement.currency
            details = entry.references.get("bank_reference")
            # Rabobank and others print the counterparty IBAN on the second :61: line.
            if entry.counterparty_account is None and details and _IBAN.match(details):
                entry.counterparty_account = details
    return statements


def _continues(previous: _Page, page: _Page) -> bool:
    return (
        previous.closing is not None
        and previous.closing.kind == "M"
        and page.opening is not None
        and page.opening.kind == "M"
        and page.account == previous.account
    )


def parse_mt940(text: str) -> list[Statement]:
    """Parse the statements of an MT940 file.

    Args:
        text: The decoded file content.

    Returns:
        One Statement per statement (pages merged), in file order.

    Raises:
        UnreadableFileError: The text holds no MT940 statement at all.
    """
    pages = [p for p in _pages(_fields(text.splitlines())) if _has_content(p)]
    if not pages:
        raise UnreadableFileError("no MT940 statement (:20:/:25:/:60F: fields) found")
    return _merge(pages)


def _has_content(page: _Page) -> bool:
    return bool(page.account or page.opening or page.entries or page.closing)
