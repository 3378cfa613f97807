"""Cut each account's bank lines into statements and statements into files.

An account's lines, ordered by booking date and line id, carry a running balance
from the account's opening balance. Statements cover one day or one week
(alternating by account); MT940 and camt.053 files hold one to three consecutive
statements, and every fourth file repeats the previous file's last statement (a
re-sent statement: its lines are real duplicates across files). Chinese exports
are weekly, and every fourth export gets an extra export over an overlapping date
range.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

OVERLAP_EVERY = 4


@dataclass
class PlannedStatement:
    """One statement as the bank would print it."""

    account: dict[str, Any]
    number: int  # statement number per account, from 1
    start: dt.date
    end: dt.date
    opening: Decimal
    lines: list[dict[str, Any]] = field(default_factory=list)  # each with "_balance"

    @property
    def closing(self) -> Decimal:
        """The balance after the last line."""
        return self.lines[-1]["_balance"] if self.lines else self.opening

    @property
    def statement_id(self) -> str:
        """The id the writers print (MT940 :28C: number, camt Stmt/Id, CSV period)."""
        return f"{self.account['account_no']}-{self.number:05d}"


@dataclass
class PlannedFile:
    """One file to write: its statements in order, and whether it is an overlap copy."""

    account: dict[str, Any]
    statements: list[PlannedStatement]
    index: int  # file number per account, from 1
    is_overlap: bool = False


def _period_start(day: dt.date, weekly: bool) -> dt.date:
    return day - dt.timedelta(days=day.weekday()) if weekly else day


def plan_statements(
    account: dict[str, Any], lines: list[dict[str, Any]], *, weekly: bool
) -> list[PlannedStatement]:
    """Group an account's lines (any order) into statements with running balances."""
    ordered = sorted(lines, key=lambda r: (r["booking_date"], r["line_id"]))
    balance = Decimal(account["opening_balance"] or 0)
    statements: list[PlannedStatement] = []
    for line in ordered:
        start = _period_start(line["booking_date"], weekly)
        if not statements or statements[-1].start != start:
            end = start + dt.timedelta(days=6 if weekly else 0)
            statements.append(PlannedStatement(account, len(statements) + 1, start, end, balance))
        balance += Decimal(line["amount"])
        statements[-1].lines.append({**line, "_balance": balance})
    return statements


def plan_files(account: dict[str, Any], statements: list[PlannedStatement]) -> list[PlannedFile]:
    """MT940/camt files of 1-3 statements; every fourth file re-sends the statement before it."""
    files: list[PlannedFile] = []
    position = 0
    while position < len(statements):
        size = 1 + (len(files) % 3)
        chunk = statements[position : position + size]
        index = len(files) + 1
        if index % OVERLAP_EVERY == 0 and position > 0:
            chunk = [statements[position - 1], *chunk]
        files.append(PlannedFile(account, chunk, index, is_overlap=index % OVERLAP_EVERY == 0))
        position += size
    return files


def plan_exports(account: dict[str, Any], statements: list[PlannedStatement]) -> list[PlannedFile]:
    """Chinese exports: one per statement, plus overlapping exports across two periods."""
    files: list[PlannedFile] = []
    for position, statement in enumerate(statements):
        files.append(PlannedFile(account, [statement], len(files) + 1))
        if (position + 1) % OVERLAP_EVERY == 0 and position + 1 < len(statements):
            overlap = overlapping_statement(statement, statements[position + 1])
            if overlap.lines:
                files.append(PlannedFile(account, [overlap], len(files) + 1, is_overlap=True))
    return files


def overlapping_statement(first: PlannedStatement, second: PlannedStatement) -> PlannedStatement:
    """An export from the middle of ``first`` to the middle of ``second``."""
    start = first.start + (first.end - first.start) / 2
    end = second.start + (second.end - second.start) / 2
    lines = [r for r in first.lines + second.lines if start <= r["booking_date"] <= end]
    opening = lines[0]["_balance"] - Decimal(lines[0]["amount"]) if lines else first.opening
    return PlannedStatement(first.account, 0, start, end, opening, lines)
