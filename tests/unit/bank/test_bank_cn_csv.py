"""Chinese online-banking exports: five bank layouts, encodings, balances, messy cells."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from ingestion.bank.parsers import parse_bytes, parse_file
from ingestion.bank.parsers.cn_csv_layout import clean_cell, header_role, parse_amount, parse_date

FIXTURES = Path(__file__).parents[2] / "fixtures" / "bank"
D = Decimal


def test_cmb_like_bom_bracketed_preamble_and_tab_padding() -> None:
    parsed = parse_file(FIXTURES / "cn_cmb_utf8bom.csv")
    assert (parsed.format, parsed.encoding) == ("cn_csv", "utf-8-sig")
    (statement,) = parsed.statements
    assert (statement.account, statement.currency) == ("6214830012345678", "CNY")
    assert statement.statement_id == "20250301-20250331"
    assert (statement.opening_balance, statement.closing_balance) == (
        D("100000.00"),
        D("167074.55"),
    )
    assert statement.is_balanced is True
    amounts = [e.amount for e in statement.entries]
    assert amounts == [D("12000.00"), D("-3560.80"), D("-15.00"), D("58650.00"), D("0.35")]
    first = statement.entries[0]
    assert first.booking_date == dt.date(2025, 3, 3)
    assert first.references["serial_no"] == "CMB20250303000117"
    assert first.counterparty_name == "杭州远景智能制造有限公司"
    assert first.counterparty_account == "6222021234567890123"
    assert first.remittance == "INV-2025-000301 货款" and first.transaction_code == "转账汇入"
    assert statement.entries[2].counterparty_name is None  # an empty cell


def test_icbc_like_newest_first_dashes_and_trailing_commas() -> None:
    (statement,) = parse_file(FIXTURES / "cn_icbc_descending.csv").statements
    assert statement.account == "1001203409000012345"
    assert (statement.opening_date, statement.closing_date) == (
        dt.date(2025, 4, 1),
        dt.date(2025, 4, 30),
    )
    # Turned around to oldest first, with the opening balance before the oldest row.
    assert [e.references["bank_reference"] for e in statement.entries] == [
        "0371",
        "0397",
        "0398",
        "0412",
    ]
    assert (statement.opening_balance, statement.closing_balance) == (
        D("200000.00"),
        D("341225.60"),
    )
    assert statement.is_balanced is True
    tax = statement.entries[0]
    assert tax.amount == D("-3374.40") and tax.counterparty_account is None  # "-" is empty
    assert tax.remittance == "缴税 增值税"  # 摘要 + 用途


def test_ccb_like_gbk_full_width_keys_totals_and_footer() -> None:
    parsed = parse_file(FIXTURES / "cn_ccb_gbk_totals.csv")
    assert parsed.encoding == "gbk"
    (statement,) = parsed.statements
    assert statement.account == "31001588888050012345"  # "账　　号"
    assert statement.currency == "CNY"
    assert len(statement.entries) == 4  # the 合计金额 row and the footer are not entries
    assert statement.entries[0].booking_date == dt.date(2025, 5, 6)  # "2025/05/06 09:15:22"
    assert statement.entries[0].amount == D("86500.00")  # '" 86,500.00 "'
    assert statement.entries[2].amount == D("-6.50")  # "  6.50 " unquoted, padded
    assert statement.closing_balance == D("130493.50") and statement.is_balanced is True


def test_boc_like_tabs_debit_credit_mark_and_excel_text_cells() -> None:
    (statement,) = parse_file(FIXTURES / "cn_boc_dc_flag.tsv").statements
    assert (statement.account, statement.currency) == ("4563510000001234", "USD")
    received, fee, paid = statement.entries
    assert received.amount == D("12500.00") and fee.amount == D("-45.00")
    assert paid.amount == D("-7800.00") and paid.value_date == dt.date(2025, 6, 19)
    assert received.counterparty_account == "GB29NWBK60161331926819"  # ="…"
    assert received.counterparty_name == "Global Parts Trading Ltd"  # full-width padding
    assert received.remittance == "货款 INV-2025-000612"  # 用途 + 附言
    assert received.references == {"serial_no": "BOC202506120001", "bank_reference": "V0612001"}
    assert statement.opening_balance == D("50000.00") and statement.is_balanced is True


def test_month_day_dates_take_the_title_year_and_gb18030() -> None:
    parsed = parse_file(FIXTURES / "cn_mmdd_title_year_gb18030.csv")
    assert parsed.encoding == "gb18030"  # 䶮 is not in GBK
    (statement,) = parsed.statements
    assert [e.booking_date for e in statement.entries] == [
        dt.date(2025, 3, 3), dt.date(2025, 3, 7), dt.date(2025, 3, 31),
    ]  # fmt: skip
    assert [e.amount for e in statement.entries] == [D("5600.00"), D("-1250.00"), D("12.80")]
    assert statement.entries[0].counterparty_name == "杭州䶮辉科技有限公司"
    # No balance column: nothing to check, nothing rejected.
    assert statement.opening_balance is None and statement.is_balanced is None
    assert statement.rejected_reason is None


def test_abc_like_repeated_header_and_impossible_date() -> None:
    (statement,) = parse_file(FIXTURES / "cn_abc_bad_row.csv").statements
    assert len(statement.entries) == 4  # the repeated header row is skipped
    assert statement.is_balanced is True and statement.rejected_reason is None
    bad = statement.entries[2]
    assert bad.error == "invalid date '2025-02-30'" and bad.amount == D("500.00")
    assert [e.amount for e in statement.entries if e.error is None] == [
        D("3000.00"), D("-800.00"), D("-2700.00"),
    ]  # fmt: skip


def _export(rows: list[str], preamble: str = "账号：6222000011112222\n") -> bytes:
    return (preamble + "交易日期,收入,支出,余额,流水号\n" + "\n".join(rows) + "\n").encode("utf-8")


def test_running_balance_break_rejects_the_export_with_the_difference() -> None:
    data = _export(["2025-01-02,100.00,,1100.00,S1", "2025-01-03,,50.00,1150.00,S2"])
    (statement,) = parse_bytes(data).statements
    assert statement.is_balanced is False
    assert "running balance breaks at line 4" in (statement.rejected_reason or "")
    assert "difference 100.00" in (statement.rejected_reason or "")


def test_export_without_account_is_rejected() -> None:
    (statement,) = parse_bytes(_export(["2025-01-02,100.00,,1100.00,S1"], preamble="")).statements
    assert "no account" in (statement.rejected_reason or "")


def test_row_cut_short_by_a_truncated_download() -> None:
    data = _export(["2025-01-02,100.00,,1100.00,S1", "2025-01-03,,50"])[:-1]
    (statement,) = parse_bytes(data).statements
    assert "cut short" in (statement.entries[-1].error or "")
    assert statement.entries[0].error is None


@pytest.mark.parametrize(
    ("cell", "role"),
    [("交易日期", "booking_date"), ("记账日期", "booking_date"), ("借方发生额（支取）", "debit"),
     ("支出", "debit"), ("贷方发生额", "credit"), ("收入(元)", "credit"), ("借/贷", "direction"),
     ("对方户名", "counterparty_name"), ("对方名称", "counterparty_name"), ("附言", "postscript"),
     ("交易流水号", "serial_no"), ("凭证号", "voucher_no"), (" 余额 ", "balance"), ("备用", None)],
)  # fmt: skip
def test_header_synonyms(cell: str, role: str | None) -> None:
    assert header_role(cell) == role


@pytest.mark.parametrize(
    ("text", "value"),
    [('"1,234.50"', "1234.50"), ("¥-20.00", "-20.00"), ("(15.00)", "-15.00"), ("1,000", "1000")],
)
def test_amount_cells(text: str, value: str) -> None:
    assert parse_amount(clean_cell(text)) == D(value)


def test_dates_with_and_without_year() -> None:
    period = (dt.date(2024, 12, 20), dt.date(2025, 1, 10))
    assert parse_date("20250103", None) == dt.date(2025, 1, 3)
    assert parse_date("2025年1月3日", None) == dt.date(2025, 1, 3)
    assert parse_date("12/28", period) == dt.date(2024, 12, 28)
    assert parse_date("01/05", period) == dt.date(2025, 1, 5)
    with pytest.raises(ValueError, match="no year"):
        parse_date("01/05", None)


def test_cells_lose_padding_quotes_and_dashes() -> None:
    assert clean_cell('\t="6222 0212"\t') == "6222 0212"
    assert clean_cell("\u3000Name\u3000") == "Name"
    assert clean_cell(" -- ") == ""
