"""camt.053 parsing: versions .02/.03/.04/.08, balances, reversals, decimals, broken XML."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from ingestion.bank.parsers import UnreadableFileError, parse_bytes, parse_file

FIXTURES = Path(__file__).parents[2] / "fixtures" / "bank"
D = Decimal


def test_v02_refs_parties_ustrd_lines_and_structured_reference() -> None:
    parsed = parse_file(FIXTURES / "camt053_v02_sepa.xml")
    assert (parsed.format, parsed.variant) == ("camt053", "camt.053.001.02")
    (statement,) = parsed.statements
    assert statement.account == "DE75512108001245126199" and statement.currency == "EUR"
    assert (statement.statement_id, statement.sequence) == ("DE-2025-01-20-001", "20")
    assert (statement.opening_balance, statement.closing_balance) == (D("8450.20"), D("20145.10"))
    assert statement.opening_date == dt.date(2025, 1, 19) and statement.is_balanced is True
    credit, debit = statement.entries
    assert credit.amount == D("11900.00") and credit.status == "BOOK"
    assert credit.references["serial_no"] == "SG2025012000071"
    assert credit.references["end_to_end_id"] == "INV-2025-000042"
    assert credit.references["bank_reference"] == "TX-5521-0091"
    assert credit.counterparty_name == "Nordwind Logistik GmbH"  # the debtor of a credit
    assert credit.counterparty_account == "DE89370400440532013000"
    assert credit.counterparty_bic == "COBADEFFXXX"
    assert credit.remittance == (
        "Rechnung INV-2025-000042 Auftrag SO-2025-000017 Kundennummer 10442"
    )
    assert credit.transaction_code == "NTRF+166"
    assert debit.amount == D("-205.10")
    assert "end_to_end_id" not in debit.references  # NOTPROVIDED
    assert debit.references["mandate_reference"] == "MNDT-2022-0815"
    assert debit.references["creditor_reference"] == "RF18539007547034"
    assert debit.counterparty_name == "Telekom Business Services"  # the creditor of a debit
    assert debit.transaction_code == "PMNT/IDDT/ESDD"


def test_v03_other_account_id_prcd_clav_fallbacks_and_pending_entry() -> None:
    (statement,) = parse_file(FIXTURES / "camt053_v03_pending_othr.xml").statements
    assert statement.account == "1001203409000012345" and statement.sequence == "73"
    assert (statement.opening_balance, statement.closing_balance) == (
        D("256000.00"),
        D("366480.50"),
    )
    assert statement.is_balanced is True  # the pending entry does not count
    received, fee, pending = statement.entries
    assert received.counterparty_name == "上海云帆信息科技有限公司"
    assert received.remittance == "货款 INV-2025-000318"
    assert fee.remittance == "手续费 跨行汇款"  # AddtlNtryInf when there is no RmtInf
    assert pending.status == "PDNG" and not pending.is_booked


def test_v04_several_statements_and_five_decimals() -> None:
    eur, usd = parse_file(FIXTURES / "camt053_v04_multi_5dec.xml").statements
    assert eur.entries[0].amount == D("250.12345") and eur.entries[1].amount == D("-50.00005")
    assert eur.closing_balance == D("1200.12340") and eur.is_balanced is True
    assert eur.entries[0].value_date == dt.date(2025, 4, 7)
    assert eur.entries[0].references["instruction_id"] == "INSTR-77"
    assert eur.entries[0].counterparty_name == "Société Générale d'Essais"
    # CLBD wins over an interim ITBD balance.
    assert usd.currency == "USD" and usd.closing_balance == D("4875.25") and usd.is_balanced
    assert usd.entries[0].counterparty_account == "026009593-0001234"


def test_v08_party_names_datetimes_and_batch_entry() -> None:
    parsed = parse_file(FIXTURES / "camt053_v08_pty_dttm.xml")
    assert parsed.variant == "camt.053.001.08"
    (statement,) = parsed.statements
    assert statement.opening_date == dt.date(2025, 6, 9)  # from Dt/DtTm
    received, batch, fee = statement.entries
    assert received.booking_date == dt.date(2025, 6, 10) and received.status == "BOOK"
    assert received.counterparty_name == "Harbour Freight Ltd"  # Dbtr/Pty/Nm
    assert received.counterparty_bic == "NWBKGB2LXXX"  # BICFI
    assert received.references["document_number"] == "INV-2025-000610"
    assert received.references["creditor_reference"] == "RF712348231"
    assert batch.amount == D("1500.00") and batch.remittance == "INV-2025-000598 INV-2025-000599"
    assert fee.transaction_code == "NCHG" and fee.amount == D("-35.00")
    assert statement.is_balanced is True


def test_v08_reversal_and_yen_without_decimals() -> None:
    first, second = parse_file(FIXTURES / "camt053_v08_reversal_jpy.xml").statements
    assert first.currency == "JPY" and first.opening_balance == D("3000000")
    received, reversal, _ = first.entries
    assert received.amount == D("1250000") and not received.is_reversal
    assert reversal.amount == D("-1250000") and reversal.is_reversal
    assert reversal.counterparty_name == "Tokyo Seimitsu Kogyo KK"
    assert first.is_balanced and second.is_balanced
    assert second.entries[0].amount == D("-15000")


def test_truncated_document_keeps_the_complete_statements() -> None:
    data = (FIXTURES / "camt053_v08_reversal_jpy.xml").read_bytes()
    cut = data[: data.index(b"<Id>JP-0822</Id>") + 40]
    parsed = parse_bytes(cut)
    assert [s.statement_id for s in parsed.statements] == ["JP-0821"]
    assert parsed.error is not None and "truncated" in parsed.error


def test_truncated_before_any_statement_is_unreadable() -> None:
    data = (FIXTURES / "camt053_v02_sepa.xml").read_bytes()
    with pytest.raises(UnreadableFileError, match="not well-formed"):
        parse_bytes(data[: len(data) // 2])


def test_other_camt_messages_are_unreadable() -> None:
    doc = b'<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.08"/>'
    with pytest.raises(UnreadableFileError, match=r"camt\.052\.001\.08, not a camt\.053"):
        parse_bytes(doc)


def _doc(amount: str, booking: str = "2025-01-02") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><Stmt>
<Id>S1</Id><Acct><Id><IBAN>DE02100100100006820101</IBAN></Id><Ccy>EUR</Ccy></Acct>
<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">0</Amt>
<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2025-01-01</Dt></Dt></Bal>
<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">1.5</Amt>
<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2025-01-02</Dt></Dt></Bal>
<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
<BookgDt><Dt>{booking}</Dt></BookgDt><AcctSvcrRef>R1</AcctSvcrRef></Ntry>
</Stmt></BkToCstmrStmt></Document>""".encode()


def test_invalid_booking_date_rejects_the_entry_only() -> None:
    (statement,) = parse_bytes(_doc("1.5", booking="2025-02-30")).statements
    assert statement.rejected_reason is None
    assert "invalid date '2025-02-30'" in (statement.entries[0].error or "")
    assert "<AcctSvcrRef>R1</AcctSvcrRef>" in statement.entries[0].raw


def test_more_than_five_decimals_cannot_be_held() -> None:
    (statement,) = parse_bytes(_doc("1.500001")).statements
    assert "more than 5 decimals" in (statement.entries[0].error or "")
    assert statement.is_rejected  # without the amount the statement cannot balance


def test_gbk_declared_document_is_read() -> None:
    text = (FIXTURES / "camt053_v03_pending_othr.xml").read_text(encoding="utf-8")
    data = text.replace('encoding="UTF-8"', 'encoding="GBK"').encode("gbk")
    parsed = parse_bytes(data)
    assert parsed.encoding == "gbk"
    assert parsed.statements[0].entries[0].counterparty_name == "上海云帆信息科技有限公司"
