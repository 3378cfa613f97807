"""The sandbox's statement-file writer: formats per account, several statements per file,
overlapping files, the fault record, determinism."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from bank_harness import FAULTS, BankDrop

from ingestion.bank.parsers import parse_file
from sandbox.files.bank import write_bank_files
from sandbox.world.tables import read_system_table

FORMATS = {"mt940": "mt940", "camt053": "camt053", "cn_csv": "cn_csv"}


def _clean(drop: BankDrop) -> list[Path]:
    broken = {f["file_name"] for f in drop.faults}
    return [p for p in drop.files if p.name not in broken]


def test_each_account_gets_files_in_its_format(bank_sandbox: Path, bank_drop: BankDrop) -> None:
    accounts = read_system_table(bank_sandbox, "bank", "bank_accounts").to_pylist()
    wanted = {a["account_no"]: FORMATS[a["file_format"]] for a in accounts}
    seen: dict[str, set[str]] = {}
    for path in _clean(bank_drop):
        parsed = parse_file(path)
        for statement in parsed.statements:
            seen.setdefault(statement.account or "", set()).add(parsed.format)
            assert statement.rejected_reason is None, (path.name, statement.rejected_reason)
    lines = Counter(bank_drop.world_lines["account_no"].to_pylist())
    assert {a: {f} for a, f in wanted.items() if lines[a]} == seen


def test_files_hold_several_statements_and_repeat_lines(bank_drop: BankDrop) -> None:
    statements_per_file = []
    serials: Counter[str] = Counter()
    for path in _clean(bank_drop):
        parsed = parse_file(path)
        statements_per_file.append(len(parsed.statements))
        serials.update(e.references["serial_no"] for s in parsed.statements for e in s.entries)
    assert max(statements_per_file) > 1
    assert max(serials.values()) > 1  # overlapping files deliver some lines twice
    assert set(serials) == set(bank_drop.world_lines["line_id"].to_pylist())


def test_faults_are_recorded_and_their_files_exist(bank_drop: BankDrop) -> None:
    kinds = Counter(f["fault"] for f in bank_drop.faults)
    assert kinds == {
        "truncated_file": FAULTS.truncate_files,
        "unbalanced_statement": FAULTS.unbalanced_statements,
        "malformed_row": FAULTS.malformed_rows,
        "unreadable_file": FAULTS.unreadable_files,
    }
    names = {p.name for p in bank_drop.files}
    assert {f["file_name"] for f in bank_drop.faults} <= names
    malformed = [f for f in bank_drop.faults if f["fault"] == "malformed_row"]
    assert all(f["line_id"] for f in malformed)


def test_writing_twice_gives_the_same_bytes(bank_sandbox: Path, tmp_path: Path) -> None:
    first = write_bank_files(bank_sandbox, tmp_path / "a")
    second = write_bank_files(bank_sandbox, tmp_path / "b")
    assert [p.name for p in first] == [p.name for p in second]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, second, strict=True))
