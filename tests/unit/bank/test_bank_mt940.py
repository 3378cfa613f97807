"""MT940 parsing: the bank dialects in tests/fixtures/bank and the pitfalls SOURCES.md lists."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from ingestion.bank.parsers import UnreadableFileError, parse_bytes, parse_file
from ingestion.bank.parsers.mt940_info import parse_information

FIXTURES = Path(__file__).parents[2] / "fixtures" / "bank"
D = Decimal


def _one(name: str):
    parsed = parse_file(FIXTURES / name)
    assert parsed.format == "mt940"
    return parsed


def test_deutsche_bank_envelope_subfields_and_funds_code() -> None:
    parsed = _one("mt940_deutsche_bank.sta")
    first, second = parsed.statements
    assert (first.account, first.statement_id, first.sequence) == (
        "10070000/0123456700",
        "00012",
        "001",
    )
    assert (first.opening_balance, first.closing_balance) == (D("12500.00"), D("13754.82"))
    assert first.opening_date == dt.date(2025, 1, 14) and first.closing_date == dt.date(2025, 1, 16)
    assert first.is_balanced is True and first.rejected_reason is None
    credit, debit, interest = first.entries
    assert credit.amount == D("1500.00") and debit.amount == D("-245.30")
    assert interest.amount == D("0.12") and interest.transaction_code == "NINT"
    assert credit.references["serial_no"] == "DB250115000001"
    assert credit.references["end_to_end_id"] == "INV-2025-000101"
    assert credit.remittance == "Rechnung INV-2025-000101 Kunde 4711"
    assert credit.counterparty_name == "Maschinenbau Keller GmbH"
    assert credit.counterparty_account == "DE89370400440532013000"
    assert credit.counterparty_bic == "COBADEFFXXX"
    assert debit.references["customer_reference"] == "KD-7781"
    assert debit.references["mandate_reference"] == "M-2023-0042"
    assert debit.references["creditor_id"] == "DE98ZZZ09999999999"
    assert debit.remittance == "Leasingrate Januar 2025 Vertrag 7781"
    # The second message: a debit balance in USD without entries.
    assert (second.currency, second.opening_balance, second.entries) == ("USD", D("-80.00"), [])
    assert second.is_balanced is True


def test_ing_subfields_cut_mid_line_and_entry_dates_across_year_end() -> None:
    (statement,) = _one("mt940_ing_subfields.txt").statements
    assert statement.statement_id == "INGDDEFFXXX"  # :28C:00000 carries no number
    assert statement.is_balanced is True and statement.closing_balance == D("1200.77")
    first, rent, late, fee = statement.entries
    assert first.counterparty_name == "Hans Mueller Elektrotechnische Werke"
    assert first.remittance == "Rechnung RE-2024-1207 vom 05.12.2024"
    # Value date 31 Dec 2024, entry date 0102: booked on 2 January 2025.
    assert (rent.value_date, rent.booking_date) == (dt.date(2024, 12, 31), dt.date(2025, 1, 2))
    assert "end_to_end_id" not in rent.references  # EREF+NOTPROVIDED
    assert rent.remittance == "Miete Januar 2025 Buero"
    # Value date 2 Jan 2025, entry date 1231: booked on 31 December 2024.
    assert (late.value_date, late.booking_date) == (dt.date(2025, 1, 2), dt.date(2024, 12, 31))
    assert fee.amount == D("-4.90") and fee.transaction_code == "NCHG"


def test_abn_amro_header_lines_dutch_structure_and_odd_amounts() -> None:
    first, second = _one("mt940_abn_amro.sta").statements
    assert (first.statement_id, second.statement_id) == ("19321", "19322")
    assert first.entries[1].amount == D("380115")  # written "380115,"
    assert second.entries[0].amount == D("-0.12")  # written "00,12"
    payment = first.entries[0]
    assert payment.counterparty_name == "DE HAAN TRANSPORT BV"
    assert payment.counterparty_account == "NL44RABO0123456789"
    assert payment.remittance == "FACTUUR 2025-0113"
    receipt = first.entries[1]
    assert receipt.counterparty_name == "VAN DIJK INDUSTRIE"  # wrapped mid-word at 65
    assert receipt.remittance == "INV-2025-000212 INV-2025-000213"
    assert receipt.references["end_to_end_id"] == "VDI-PAY-00391"
    assert first.is_balanced and second.is_balanced


def test_rabobank_currency_after_account_and_iban_on_second_line() -> None:
    (statement,) = _one("mt940_rabobank.swi").statements
    assert statement.account == "NL50RABO0123456789"
    assert statement.statement_id == "940S250310"  # :28C:0 -> the :20: reference
    assert statement.opening_balance == D("12345.67") and statement.is_balanced
    received, paid = statement.entries
    assert received.counterparty_account == "NL12INGB0001234567"
    assert received.counterparty_name == "Bakkerij de Graaf"
    assert received.remittance == "Order 77812 INV-2025-000150"
    assert received.references["end_to_end_id"] == "PO-77812"
    assert paid.amount == D("-35.50") and paid.counterparty_name == "Kantoorartikelen Direct"


def test_sepa_keywords_crlf_blank_lines_and_reversals() -> None:
    (statement,) = _one("mt940_sepa_keywords.txt").statements
    assert statement.opening_balance == D("-1520.00") and statement.closing_balance == D("3129.45")
    assert statement.is_balanced is True
    received, reversed_debit, reversed_credit, paid = statement.entries
    assert received.amount == D("5000.00")  # mark C with funds code E
    assert received.references["bank_reference"] == "PAYMENT RECEIVED"  # second :61: line
    assert received.references["serial_no"] == "SPK2504010001"
    assert received.remittance == "Zahlung INV-2025-000310 und INV-2025-000311"
    assert received.counterparty_account == "DE21300500000001234567"
    assert received.counterparty_bic == "WELADEDDXXX"
    assert (reversed_debit.amount, reversed_debit.is_reversal) == (D("80.00"), True)  # RD
    assert (reversed_credit.amount, reversed_credit.is_reversal) == (D("-120.00"), True)  # RC
    assert paid.remittance == "Bestellung PO-2025-118 Werkzeuge"
    assert paid.counterparty_account == "DE89370400440532013000"


def test_caret_subfields_in_cp852() -> None:
    parsed = _one("mt940_caret_cp852.sta")
    assert parsed.encoding == "cp852"
    (statement,) = parsed.statements
    receipt, fee = statement.entries
    assert receipt.counterparty_name == "Strojírny Žďár s.r.o."
    assert receipt.remittance == "INV-2025-000401 Dodávka čerpadel"
    assert receipt.counterparty_bic == "GIBACZPX"
    assert fee.remittance == "Vedení účtu duben" and fee.amount == D("-1250.00")
    assert statement.closing_balance == D("232150.00") and statement.is_balanced


def test_polish_cp1250_tilde_subfields() -> None:
    parsed = _one("mt940_polish_cp1250.sta")
    assert parsed.encoding == "cp1250"
    (statement,) = parsed.statements
    assert statement.account == "PL27114020040000300201355387"  # leading "/" dropped
    receipt, payment = statement.entries
    assert receipt.remittance == "Zapłata za fakturę nr INV-2025-000602 dostawa łożysk"
    assert receipt.counterparty_name == "PRZEDSIĘBIORSTWO HANDLOWE ŻURAWSKI SP. Z O.O."
    assert receipt.references["counterparty_bank_code"] == "10201026"  # not a BIC
    assert payment.counterparty_name == "Biuro Rachunkowe Świętokrzyskie"
    assert statement.is_balanced is True


def test_multipage_statement_is_merged() -> None:
    (statement,) = _one("mt940_multipage.sta").statements
    assert statement.sequence == "1-3"
    assert (statement.opening_balance, statement.closing_balance) == (D("10000.00"), D("11045.50"))
    assert [e.references["serial_no"] for e in statement.entries] == [
        "PAGE1-A", "PAGE1-B", "PAGE2-A", "PAGE3-A",
    ]  # fmt: skip
    assert statement.is_balanced is True


def test_thirtieth_of_february_rejects_only_that_line() -> None:
    (statement,) = _one("mt940_invalid_date.txt").statements
    good, bad = statement.entries
    assert statement.rejected_reason is None and statement.is_balanced is True
    assert good.error is None and good.booking_date == dt.date(2025, 2, 28)
    assert bad.error is not None and "30 February 2025" in bad.error
    assert bad.amount == D("-50.00") and bad.booking_date is None


def test_truncated_file_keeps_complete_statements() -> None:
    first, cut = _one("mt940_truncated.txt").statements
    assert first.rejected_reason is None and first.is_balanced is True
    assert cut.rejected_reason is not None and "truncated" in cut.rejected_reason
    assert cut.entries[-1].error is not None  # the half-written :61:


def test_page_that_does_not_continue_the_one_before_is_rejected() -> None:
    text = (
        ":20:A\n:25:X1\n:28C:1/1\n:60F:C250101EUR10,00\n:61:250101C5,00NTRFNONREF//S1\n"
        ":62M:C250101EUR15,00\n-\n:20:A\n:25:X1\n:28C:1/2\n:60M:C250101EUR16,00\n"
        ":61:250101C1,00NTRFNONREF//S2\n:62F:C250101EUR17,00\n-\n"
    )
    (statement,) = parse_bytes(text.encode()).statements
    assert statement.rejected_reason is not None and "opens with 16.00" in statement.rejected_reason


def test_unbalanced_statement_reason_names_the_difference() -> None:
    text = (
        ":20:A\n:25:X1\n:28C:7\n:60F:C250101EUR10,00\n:61:250101D2,50NTRFNONREF\n"
        ":62F:C250101EUR8,00\n"
    )
    (statement,) = parse_bytes(text.encode()).statements
    assert statement.is_balanced is False
    assert "difference 0.50" in (statement.rejected_reason or "")


def test_latin1_bytes_that_are_not_cp1250_letters() -> None:
    text = (
        ":20:A\n:25:X1\n:28C:7\n:60F:C250101EUR10,00\n:61:250101C1,00NTRFNONREF\n"
        ":86:Peña\n:62F:C250101EUR11,00\n"
    )
    parsed = parse_bytes(text.encode("latin-1"))
    assert parsed.encoding in ("cp1250", "latin-1")  # both read ñ as a letter; cp1250 wins ties
    assert parsed.statements[0].is_balanced is True


def test_a_file_without_statements_is_unreadable() -> None:
    with pytest.raises(UnreadableFileError, match="no MT940 statement"):
        parse_bytes(b":20:ONLY\n:28C:00001/001\n")


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["166?00GUTSCHRIFT?20EREF+A1?21SVWZ+Text?31DE1?32Name"],
         {"remittance": "Text", "counterparty_name": "Name", "counterparty_account": "DE1"}),
        (["EREF+X9 MREF+M1 SVWZ+Pay now IBAN+DE22"],
         {"remittance": "Pay now", "counterparty_account": "DE22"}),
        (["/EREF/E1//CNTP/NL11/RABONL2U/Jansen/Utrecht//REMI/USTD//Invoice 5/"],
         {"remittance": "Invoice 5", "counterparty_name": "Jansen",
          "counterparty_bic": "RABONL2U"}),
        (["020^00PRZELEW^20Faktura 7^32Firma"],
         {"remittance": "Faktura 7", "counterparty_name": "Firma"}),
        (["Just some", "free text"], {"remittance": "Just some free text"}),
    ],
)  # fmt: skip
def test_information_dialects(lines: list[str], expected: dict[str, str]) -> None:
    info = parse_information(lines)
    for name, value in expected.items():
        assert getattr(info, name) == value
