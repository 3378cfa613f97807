"""Bank statement files as banks deliver them, from the world's bank_accounts and bank_lines.

Each account gets statement files in its ``file_format``: ``mt940`` (three bank
dialects, see :mod:`.render_mt940`), ``camt053`` (versions .001.08 and .001.02,
alternating by account) or ``cn_csv`` (five Chinese bank layouts in GBK or
UTF-8 with BOM, see :mod:`.render_cn_csv`). Statements cover a day or a week;
some files hold several statements, and some lines arrive twice in overlapping
files (see :mod:`.plan`). File names and extensions vary: readers must look at
the content.

Faults (:class:`BankFileFaults`) are written as *extra* files beside the clean
ones (a re-download cut short, a corrected statement that does not add up, a
re-sent statement with a broken line, junk), so every world line is still
delivered intact at least once. They are recorded in
``<sandbox_dir>/truth/bank_file_faults.parquet``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa

from sandbox.files.bank.plan import (
    PlannedFile,
    PlannedStatement,
    plan_exports,
    plan_files,
    plan_statements,
)
from sandbox.files.bank.render_camt import VERSIONS, render_camt
from sandbox.files.bank.render_cn_csv import LAYOUTS, render_cn_csv
from sandbox.files.bank.render_mt940 import DIALECTS, render_mt940
from sandbox.world.tables import read_system_table, truth_dir, write_table

__all__ = ["FAULTS_TABLE", "FAULT_SCHEMA", "BankFileFaults", "write_bank_files"]

FAULTS_TABLE = "bank_file_faults"
FAULT_SCHEMA = pa.schema(
    [
        ("file_name", pa.string()),
        ("account_no", pa.string()),
        ("statement_id", pa.string()),
        ("line_id", pa.string()),
        (
            "fault",
            pa.string(),
        ),  # truncated_file, unbalanced_statement, malformed_row, unreadable_file
        ("detail", pa.string()),
    ]
)
UNBALANCED_BY = Decimal("100.00")
_MT940_EXTENSIONS = (".sta", ".940", ".txt")
_CSV_NAMES = ("cmb_{acct}_{start}_{end}.csv", "historydetail_{acct}_{start}.csv",
              "账户明细_{acct}_{start}-{end}.csv", "boc_{acct}_{start}.txt",
              "detail_{acct}_{start}_{end}.csv")  # fmt: skip


@dataclass(frozen=True)
class BankFileFaults:
    """What to break, as extra files (0 disables a knob).

    Attributes:
        truncate_files: Copies of statement files cut in the middle of a line, as an
            interrupted download leaves them.
        unbalanced_statements: Single-statement files whose closing balance (or, in a
            Chinese export, one running balance) is printed 100.00 too high.
        malformed_rows: Re-sent statements with one line dated 30 February.
        unreadable_files: Junk: a PDF, a camt.054 notification, an empty file.
    """

    truncate_files: int = 0
    unbalanced_statements: int = 0
    malformed_rows: int = 0
    unreadable_files: int = 0


@dataclass
class _Account:
    row: dict[str, Any]
    kind: str  # mt940, camt053, cn_csv
    style: int  # dialect / version index / layout
    statements: list[PlannedStatement]


def _kind(file_format: str | None) -> str:
    value = (file_format or "").lower()
    if value.startswith("camt"):
        return "camt053"
    if "csv" in value or value.startswith("cn"):
        return "cn_csv"
    return "mt940"


def _file_name(account: _Account, planned: PlannedFile, suffix: str = "") -> str:
    first, last = planned.statements[0], planned.statements[-1]
    acct = account.row["account_no"].replace(" ", "").replace("/", "-")
    start, end = f"{first.start:%Y%m%d}", f"{last.end:%Y%m%d}"
    if account.kind == "cn_csv":
        stem, ext = _CSV_NAMES[account.style].rsplit(".", 1)
        stem = stem.format(acct=acct, start=start, end=end)
        return f"{stem}_{planned.index:04d}{suffix}.{ext}"
    if account.kind == "camt053":
        ext = ".xml" if account.style == 0 else ".camt"
        return f"camt053_{acct}_{planned.index:04d}_{start}_{end}{suffix}{ext}"
    ext = _MT940_EXTENSIONS[account.style]
    return f"mt940_{acct}_{planned.index:04d}_{start}_{end}{suffix}{ext}"


def _render(account: _Account, statements: list[PlannedStatement], **options: Any) -> bytes:
    if account.kind == "cn_csv":
        return render_cn_csv(statements[0], account.style, **options)
    if account.kind == "camt053":
        return render_camt(statements, VERSIONS[account.style], **options)
    return render_mt940(statements, account.style, **options)


def _accounts(sandbox_dir: Path) -> list[_Account]:
    rows = sorted(
        read_system_table(sandbox_dir, "bank", "bank_accounts").to_pylist(),
        key=lambda r: r["account_no"],
    )
    by_account: dict[str, list[dict[str, Any]]] = {}
    for line in read_system_table(sandbox_dir, "bank", "bank_lines").to_pylist():
        by_account.setdefault(line["account_no"], []).append(line)
    counters = {"mt940": 0, "camt053": 0, "cn_csv": 0}
    # Chinese layouts follow the bank where its name says which one it is.
    layout_by_bank = (("招商", 0), ("工商", 1), ("建设", 2), ("中国银行", 3))
    styles = {"mt940": DIALECTS, "camt053": len(VERSIONS), "cn_csv": LAYOUTS}
    accounts = []
    for index, row in enumerate(rows):
        kind = _kind(row["file_format"])
        style = counters[kind] % styles[kind]
        counters[kind] += 1
        named = [n for key, n in layout_by_bank if key in (row.get("bank_name") or "")]
        if kind == "cn_csv" and named:
            style = named[0]
        weekly = kind == "cn_csv" or index % 2 == 1
        statements = plan_statements(row, by_account.get(row["account_no"], []), weekly=weekly)
        accounts.append(_Account(row, kind, style, statements))
    return accounts


def _fault(
    name: str,
    account: _Account | None,
    statement: PlannedStatement | None,
    line_id: str | None,
    kind: str,
    detail: str,
) -> dict[str, Any]:
    return {
        "file_name": name,
        "account_no": account.row["account_no"] if account else None,
        "statement_id": statement.statement_id if statement else None,
        "line_id": line_id,
        "fault": kind,
        "detail": detail,
    }


def _targets(
    accounts: list[_Account], *, min_lines: int, skip: int = 0, csv_balance: bool = False
) -> list[tuple[_Account, PlannedStatement]]:
    """Statements to break, spread over accounts and formats (round robin, middle first).

    ``skip`` rotates the accounts so that different faults hit different accounts.
    """
    pools = []
    for account in (
        accounts[skip % max(len(accounts), 1) :] + accounts[: skip % max(len(accounts), 1)]
    ):
        if csv_balance and account.kind == "cn_csv" and account.style == LAYOUTS - 1:
            continue  # the layout without a balance column cannot be unbalanced
        pool = [s for s in account.statements if len(s.lines) >= min_lines]
        pools.append([(account, s) for s in pool[len(pool) // 2 :] + pool[: len(pool) // 2]])
    out: list[tuple[_Account, PlannedStatement]] = []
    for depth in range(max((len(p) for p in pools), default=0)):
        out += [pool[depth] for pool in pools if depth < len(pool)]
    return out


def _cut(data: bytes, account: _Account) -> tuple[bytes, str]:
    encoding = "gb18030" if data[:3] != b"\xef\xbb\xbf" and account.kind == "cn_csv" else "utf-8"
    if account.kind == "mt940" and account.style == 1:
        encoding = "cp1250" if _decodes(data, "cp1250") and not _decodes(data, "utf-8") else "utf-8"
    text = data.decode(encoding)
    position = int(len(text) * 0.6)
    while position < len(text) - 2 and text[position - 1] in "\r\n":
        position += 1
    return text[:position].encode(encoding), f"cut at character {position} of {len(text)}"


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _junk(landing_dir: Path, count: int) -> list[dict[str, Any]]:
    kinds = (
        (
            "statement_scan.pdf",
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog>>endobj\n",
            "a PDF, not a statement export",
        ),
        (
            "notification.xml",
            b'<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:'
            b'tech:xsd:camt.054.001.08"><BkToCstmrDbtCdtNtfctn/></Document>\n',
            "a camt.054 notification, not a camt.053 statement",
        ),
        ("empty_export.csv", b"", "an empty file"),
    )
    recorded = []
    for k in range(count):
        name, data, detail = kinds[k % len(kinds)]
        path = landing_dir / (f"{k // len(kinds)}_{name}" if k >= len(kinds) else name)
        path.write_bytes(data)
        recorded.append(_fault(path.name, None, None, None, "unreadable_file", detail))
    return recorded


def write_bank_files(
    sandbox_dir: Path, landing_dir: Path, *, faults: BankFileFaults | None = None
) -> list[Path]:
    """Write every account's statement files into ``landing_dir``.

    Args:
        sandbox_dir: The sandbox holding ``world/bank/{bank_accounts,bank_lines}``.
        landing_dir: Where the files land (created if missing).
        faults: Extra broken files to add; what was written is recorded in
            ``<sandbox_dir>/truth/bank_file_faults.parquet`` (empty without faults).

    Returns:
        The files written: clean files by account, then fault files.
    """
    faults = faults or BankFileFaults()
    landing_dir.mkdir(parents=True, exist_ok=True)
    accounts = _accounts(sandbox_dir)
    written: list[Path] = []
    for account in accounts:
        planner = plan_exports if account.kind == "cn_csv" else plan_files
        for planned in planner(account.row, account.statements):
            path = landing_dir / _file_name(account, planned)
            path.write_bytes(_render(account, planned.statements))
            written.append(path)
    recorded: list[dict[str, Any]] = []
    for account, statement in _targets(accounts, min_lines=2)[: faults.truncate_files]:
        planned = PlannedFile(account.row, [statement], statement.number)
        data, detail = _cut(_render(account, [statement]), account)
        path = landing_dir / _file_name(account, planned, "_part")
        path.write_bytes(data)
        written.append(path)
        recorded.append(_fault(path.name, account, statement, None, "truncated_file", detail))
    unbalanced = _targets(accounts, min_lines=2, skip=faults.truncate_files, csv_balance=True)[
        : faults.unbalanced_statements
    ]
    for account, statement in unbalanced:
        planned = PlannedFile(account.row, [statement], statement.number)
        path = landing_dir / _file_name(account, planned, "_corrected")
        if account.kind == "cn_csv":
            line = statement.lines[len(statement.lines) // 2]
            data = _render(
                account, [statement], balance_offset_line=line["line_id"], offset=UNBALANCED_BY
            )
            detail = (
                f"running balance after line {line['line_id']} printed {UNBALANCED_BY} too high"
            )
        else:
            data = _render(account, [statement], closing_offset={statement.number: UNBALANCED_BY})
            detail = f"closing balance printed {UNBALANCED_BY} too high"
        path.write_bytes(data)
        written.append(path)
        recorded.append(_fault(path.name, account, statement, None, "unbalanced_statement", detail))
    skip = faults.truncate_files + faults.unbalanced_statements
    for account, statement in _targets(accounts, min_lines=2, skip=skip)[: faults.malformed_rows]:
        planned = PlannedFile(account.row, [statement], statement.number)
        line_id = statement.lines[1]["line_id"]
        path = landing_dir / _file_name(account, planned, "_resend")
        path.write_bytes(_render(account, [statement], broken={line_id: "impossible_date"}))
        written.append(path)
        recorded.append(
            _fault(
                path.name,
                account,
                statement,
                line_id,
                "malformed_row",
                "booking or value date printed as 30 February",
            )
        )
    recorded += _junk(landing_dir, faults.unreadable_files)
    written += [landing_dir / r["file_name"] for r in recorded if r["fault"] == "unreadable_file"]
    write_table(
        truth_dir(sandbox_dir) / f"{FAULTS_TABLE}.parquet",
        pa.Table.from_pylist(recorded, schema=FAULT_SCHEMA),
    )
    return written
