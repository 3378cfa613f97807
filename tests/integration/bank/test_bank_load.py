"""Statement files written from the sandbox world -> bank source -> temp DuckDB, checked
against the world's bank_lines and the writer's record of injected faults."""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal

from bank_harness import BankDrop, LoadedBank, query


def _norm(text: str | None) -> str | None:
    return " ".join(text.split()) if text else None


def test_every_world_line_lands_exactly_once_with_its_signed_amount(
    loaded_bank: LoadedBank, bank_drop: BankDrop
) -> None:
    rows = query(
        loaded_bank.home,
        "select serial_no, account, booking_date, amount, currency from raw_bank.transactions",
    )
    world = {r["line_id"]: r for r in bank_drop.world_lines.to_pylist()}
    serials = Counter(r[0] for r in rows)
    assert len(rows) == len(world)
    assert set(serials) == set(world) and max(serials.values()) == 1
    for serial, account, booked, amount, currency in rows:
        line = world[serial]
        assert (account, booked, currency) == (line["account_no"], line["booking_date"],
                                               line["currency"])  # fmt: skip
        assert amount == Decimal(line["amount"]), serial


def test_overlapping_files_really_repeat_lines(loaded_bank: LoadedBank) -> None:
    ((delivered,),) = query(
        loaded_bank.home,
        "select sum(entry_count - rejected_entry_count) from raw_bank.files "
        "where status = 'loaded'",
    )
    ((distinct,),) = query(loaded_bank.home, "select count(*) from raw_bank.transactions")
    assert delivered > distinct  # the same lines came in more than one file


def test_counterparty_remittance_and_references_survive(
    loaded_bank: LoadedBank, bank_drop: BankDrop
) -> None:
    rows = query(
        loaded_bank.home,
        "select t.serial_no, t.counterparty_name, t.remittance, t.end_to_end_id, s.format "
        "from raw_bank.transactions t join raw_bank.statements s using (statement_key)",
    )
    world = {r["line_id"]: r for r in bank_drop.world_lines.to_pylist()}
    for serial, name, remittance, e2e, fmt in rows:
        line = world[serial]
        assert _norm(name) == _norm(line["counterparty_name"]), serial
        assert _norm(remittance) == _norm(line["remittance"]), serial
        if fmt != "cn_csv":  # Chinese exports do not print end-to-end ids
            expected = line["end_to_end_id"] if line["end_to_end_id"] != "NOTPROVIDED" else None
            assert e2e == expected, serial


def _rejects(loaded: LoadedBank, name: str) -> list[tuple[str, str, str]]:
    return query(
        loaded.home,
        "select table_name, reason, raw_payload from raw_bank.rejected_rows "
        f"where source_ref = '{name}' or source_ref like '{name}:%' "
        f"or source_ref like '{name}#%'",
    )


def test_unbalanced_statements_are_rejected_with_their_difference(
    loaded_bank: LoadedBank, bank_drop: BankDrop
) -> None:
    faults = [f for f in bank_drop.faults if f["fault"] == "unbalanced_statement"]
    assert len(faults) == 3
    for fault in faults:
        (reject,) = [r for r in _rejects(loaded_bank, fault["file_name"]) if r[0] == "statements"]
        assert "100.00" in reject[1] and ("balance" in reject[1]), reject[1]
        assert json.loads(reject[2])["entries"]  # the entries are kept in the payload
        ((balanced, reason),) = query(
            loaded_bank.home,
            "select s.is_balanced, s.rejected_reason from raw_bank.statements s "
            f"join raw_bank.files f using (file_id) where f.file_name = '{fault['file_name']}'",
        )
        assert balanced is False and reason == reject[1]


def test_truncated_and_unreadable_files_say_why(
    loaded_bank: LoadedBank, bank_drop: BankDrop
) -> None:
    kinds = {"truncated_file": ("truncated", "cut short"), "unreadable_file": ("",)}
    faults = [f for f in bank_drop.faults if f["fault"] in kinds]
    assert len(faults) == 6
    for fault in faults:
        ((status, error),) = query(
            loaded_bank.home,
            f"select status, error from raw_bank.files where file_name = '{fault['file_name']}'",
        )
        reasons = [r[1] for r in _rejects(loaded_bank, fault["file_name"])]
        assert reasons, fault
        if fault["fault"] == "unreadable_file":
            assert status == "unreadable" and error == reasons[0] and "\n" not in error
        else:
            assert any(w in r for r in reasons for w in kinds["truncated_file"]), reasons


def test_malformed_rows_are_rejected_alone(loaded_bank: LoadedBank, bank_drop: BankDrop) -> None:
    faults = [f for f in bank_drop.faults if f["fault"] == "malformed_row"]
    assert len(faults) == 3
    for fault in faults:
        rejects = [r for r in _rejects(loaded_bank, fault["file_name"]) if r[0] == "transactions"]
        (reject,) = rejects
        assert "invalid date" in reject[1]
        assert json.loads(reject[2])["references"]["serial_no"] == fault["line_id"]
        ((status,),) = query(
            loaded_bank.home,
            f"select status from raw_bank.files where file_name = '{fault['file_name']}'",
        )
        assert status == "loaded"


def test_every_file_is_recorded_once(loaded_bank: LoadedBank, bank_drop: BankDrop) -> None:
    names = [r[0] for r in query(loaded_bank.home, "select file_name from raw_bank.files")]
    assert sorted(names) == sorted(p.name for p in bank_drop.files)


def test_rerun_adds_nothing(loaded_bank: LoadedBank) -> None:
    assert loaded_bank.first.rows_per_table["transactions"] > 0
    assert loaded_bank.second.rows == 0 and loaded_bank.second.rejected_rows == 0


def test_raw_tables_are_typed(loaded_bank: LoadedBank) -> None:
    types = dict(
        query(
            loaded_bank.home,
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'raw_bank' and table_name = 'transactions'",
        )
    )
    assert types["amount"] == "DECIMAL(23,5)" and types["balance_after"] == "DECIMAL(23,5)"
    assert types["booking_date"] == "DATE" and types["is_reversal"] == "BOOLEAN"
    assert types["_source_system"] == "VARCHAR"
    ((systems,),) = query(
        loaded_bank.home, "select list(distinct _source_system) from raw_bank.transactions"
    )
    assert systems == ["bank"]
