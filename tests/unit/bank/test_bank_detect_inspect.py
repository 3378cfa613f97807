"""Format and encoding detection from content, ``inspect_file`` / ``render_jsonl`` output."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ingestion.bank.inspect import UnreadableFileError, inspect_file, render_jsonl
from ingestion.bank.parsers import detect_format, parse_bytes, parse_file

FIXTURES = Path(__file__).parents[2] / "fixtures" / "bank"

EXPECTED_FORMATS = {
    "mt940_deutsche_bank.sta": "mt940",
    "mt940_sepa_keywords.txt": "mt940",
    "camt053_v02_sepa.xml": "camt053",
    "camt053_v08_reversal_jpy.xml": "camt053",
    "cn_boc_dc_flag.tsv": "cn_csv",
    "cn_ccb_gbk_totals.csv": "cn_csv",
}


@pytest.mark.parametrize(("name", "fmt"), sorted(EXPECTED_FORMATS.items()))
def test_format_comes_from_content_not_the_file_name(tmp_path: Path, name: str, fmt: str) -> None:
    misleading = tmp_path / "statement.pdf"
    shutil.copy(FIXTURES / name, misleading)
    assert parse_file(misleading).format == fmt


def test_detect_format_on_bytes() -> None:
    assert detect_format((FIXTURES / "mt940_abn_amro.sta").read_bytes()) == "mt940"
    assert (
        detect_format(b"\xef\xbb\xbf  <?xml version='1.0'?><Document xmlns='x:camt.053.001.04'/>")
        == "camt053"
    )
    assert detect_format("交易日期,金额\n".encode()) is None  # needs decoding first


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("cn_cmb_utf8bom.csv", "utf-8-sig"), ("cn_icbc_descending.csv", "utf-8"),
     ("cn_ccb_gbk_totals.csv", "gbk"), ("cn_mmdd_title_year_gb18030.csv", "gb18030"),
     ("mt940_polish_cp1250.sta", "cp1250"), ("mt940_caret_cp852.sta", "cp852"),
     ("mt940_rabobank.swi", "utf-8")],
)  # fmt: skip
def test_encodings(name: str, encoding: str) -> None:
    assert parse_file(FIXTURES / name).encoding == encoding


def test_utf16_export_is_read() -> None:
    text = "账号：6222000011112222\n交易日期,金额,流水号\n2025-01-02,10.00,S1\n"
    parsed = parse_bytes(text.encode("utf-16"))
    assert (
        parsed.encoding == "utf-16"
        and parsed.statements[0].entries[0].references["serial_no"] == "S1"
    )


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "file is empty"), (b"   \n", "file is empty"),
     (b"%PDF-1.4\n\xe2\xe3\xcf\xd3 binary", "not a bank statement"),
     (b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)), "not a bank statement"),
     (b"<html><body>login expired</body></html>", "not a camt.053 statement")],
)  # fmt: skip
def test_unreadable_files_say_why_in_one_line(tmp_path: Path, data: bytes, reason: str) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    with pytest.raises(UnreadableFileError) as caught:
        list(inspect_file(path))
    assert reason in str(caught.value) and "\n" not in str(caught.value)


def test_missing_file_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError, match="cannot read file"):
        list(inspect_file(tmp_path / "nope.sta"))


def test_inspect_reports_statements_entries_and_rejections() -> None:
    objects = list(inspect_file(FIXTURES / "mt940_truncated.txt"))
    assert [o["statement_id"] for o in objects] == ["00120", "00121"]
    good, cut = objects
    assert good["balances"] is True and good["rejected_reason"] is None
    assert (good["opening_balance"], good["closing_balance"]) == ("900.00", "1000.00")
    assert (good["format"], good["encoding"]) == ("mt940", "utf-8")
    (entry,) = good["entries"]
    assert entry == entry | {
        "booking_date": "2025-07-01", "value_date": "2025-07-01", "amount": "100.00",
        "currency": "EUR", "references": {"serial_no": "TR-0001"}, "remittance": "INV-2025-000701",
    }  # fmt: skip
    assert set(entry["counterparty"]) >= {"name", "account"}
    # A statement it would reject still shows its entries.
    assert cut["balances"] is None and "truncated" in cut["rejected_reason"]
    assert cut["closing_balance"] is None and len(cut["entries"]) == 2


def test_render_jsonl_is_one_json_object_per_statement() -> None:
    lines = list(render_jsonl(FIXTURES / "camt053_v08_reversal_jpy.xml"))
    assert len(lines) == 2 and all("\n" not in line for line in lines)
    first = json.loads(lines[0])
    assert first["currency"] == "JPY" and first["entries"][1]["amount"] == "-1250000"
    assert first["entries"][1]["is_reversal"] is True
    assert "振込手数料" in lines[1]  # not escaped
