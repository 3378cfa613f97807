"""Raw-row building: transaction and statement keys, rejected rows, arrow tables."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from ingestion.bank.parsers import parse_bytes, parse_file
from ingestion.bank.rows import RowBuffer

FIXTURES = Path(__file__).parents[2] / "fixtures" / "bank"

_NO_SERIAL = (
    ":20:A\n:25:DE0001\n:28C:3\n:60F:C250101EUR0,00\n"
    ":61:250102C10,00NTRFNONREF\n:86:SVWZ+coffee\n"
    ":61:250102C10,00NTRFNONREF\n:86:SVWZ+coffee\n"
    ":61:250102C12,00NTRFNONREF\n:86:SVWZ+tea\n"
    ":62F:C250102EUR32,00\n"
)


def _buffer(*files: tuple[str, bytes]) -> RowBuffer:
    buffer = RowBuffer()
    for number, (name, data) in enumerate(files):
        buffer.add_parsed(f"file{number}", name, len(data), parse_bytes(data))
    return buffer


def test_same_line_in_two_files_has_one_key_and_is_kept_once() -> None:
    data = (FIXTURES / "camt053_v02_sepa.xml").read_bytes()
    buffer = _buffer(("a.xml", data), ("b.xml", data + b"\n"))
    files, statements, transactions, rejects = buffer.take_tables()
    assert files.num_rows == 2 and statements.num_rows == 2
    assert len(set(statements["statement_key"].to_pylist())) == 1
    assert transactions.num_rows == 2  # two lines, not four
    assert transactions["serial_no"].to_pylist() == ["SG2025012000071", "SG2025012000072"]
    assert transactions["amount"].to_pylist() == [Decimal("11900.00000"), Decimal("-205.10000")]
    assert rejects == []


def test_identical_lines_without_serial_are_told_apart_by_occurrence() -> None:
    buffer = _buffer(("x.sta", _NO_SERIAL.encode()))
    _, _, transactions, _ = buffer.take_tables()
    assert transactions["occurrence"].to_pylist() == [0, 1, 0]
    assert len(set(transactions["transaction_key"].to_pylist())) == 3
    again = _buffer(("y.sta", _NO_SERIAL.encode()))
    assert again.take_tables()[2]["transaction_key"] == transactions["transaction_key"]


def test_rejected_statement_keeps_its_entries_in_the_payload() -> None:
    data = _NO_SERIAL.replace("EUR32,00", "EUR30,00").encode()
    files, statements, transactions, rejects = _buffer(("bad.sta", data)).take_tables()
    assert transactions.num_rows == 0
    assert statements["is_balanced"].to_pylist() == [False]
    assert files["status"].to_pylist() == ["rejected"]
    (reject,) = rejects
    assert reject["table_name"] == "statements" and "difference -2.00" in reject["reason"]
    assert reject["source_ref"] == "bad.sta:1"
    payload = json.loads(reject["raw_payload"])
    assert [e["amount"] for e in payload["entries"]] == ["10.00", "10.00", "12.00"]


def test_rejected_statement_never_shares_the_key_of_an_accepted_copy() -> None:
    good = _NO_SERIAL.encode()
    bad = _NO_SERIAL.replace(":86:SVWZ+tea", ":86:SVWZ+tea\n:61:250102C1,00NTRFNONREF").encode()
    _, statements, _, _ = _buffer(("good.sta", good), ("bad.sta", bad)).take_tables()
    assert statements["is_balanced"].to_pylist() == [True, False]
    assert len(set(statements["statement_key"].to_pylist())) == 2


def test_bad_line_is_rejected_alone_with_its_source() -> None:
    parsed = parse_file(FIXTURES / "mt940_invalid_date.txt")
    buffer = RowBuffer()
    buffer.add_parsed("f1", "feb.txt", 10, parsed)
    files, _, transactions, rejects = buffer.take_tables()
    assert transactions["serial_no"].to_pylist() == ["AT-0001"]
    (reject,) = rejects
    assert reject["table_name"] == "transactions" and reject["source_ref"] == "feb.txt:7"
    assert "30 February 2025" in reject["reason"]
    assert json.loads(reject["raw_payload"])["references"]["serial_no"] == "AT-0002"
    assert files["rejected_entry_count"].to_pylist() == [1]
    assert files["status"].to_pylist() == ["loaded"]


def test_unreadable_file_row() -> None:
    buffer = RowBuffer()
    buffer.add_unreadable("f9", "junk.pdf", b"%PDF-1.4", "not a bank statement")
    files, statements, transactions, rejects = buffer.take_tables()
    assert files.to_pylist()[0] | {"processed_at": None} == files.to_pylist()[0] | {
        "file_id": "f9", "file_name": "junk.pdf", "status": "unreadable",
        "error": "not a bank statement", "statement_count": 0, "processed_at": None,
    }  # fmt: skip
    assert statements.num_rows == transactions.num_rows == 0
    assert rejects[0]["table_name"] == "files" and rejects[0]["source_ref"] == "junk.pdf"
