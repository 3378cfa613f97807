"""parse_file on hand-made organiser exports: encodings, headers, bad rows, bad files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest

from ingestion.exhibition.parser import parse_file
from ingestion.exhibition.settings import FIELD_SYNONYMS

HEADER = ["胸卡号", "姓名", "手机", "邮箱", "公司", "展会", "展位", "扫码时间", "评级", "备注"]
ROWS = [
    [
        "CIIF-1",
        "张三",
        "+86 138-0013-8000",
        "ZS@Yunfan.com",
        "上海云帆信息科技有限公司",
        "2025中国国际工业博览会",
        "A12",
        "2025-05-12 14:03:11",
        "A",
        "要报价",
    ],
    [
        "CIIF-2",
        "李四",
        "１３９００１３９０００",
        "",
        "云帆（上海）",
        "2025中国国际工业博览会",
        "A12",
        "2025-05-12 15:00:00",
        "B",
        "",
    ],
    [
        "CIIF-2",
        "李四",
        "13900139000",
        "",
        "云帆（上海）",
        "2025中国国际工业博览会",
        "A12",
        "2025-05-12 16:30:00",
        "B",
        "第二次",
    ],
]


def _csv(lines: list[list[str]], encoding: str = "utf-8-sig", end: str = "\r\n") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=end).writerows(lines)
    return buffer.getvalue().encode(encoding)


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _xlsx(lines: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Sheet1")
    for line in lines:
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk", "gb18030"])
def test_csv_encodings_read_the_same(tmp_path: Path, encoding: str) -> None:
    parsed = parse_file(_write(tmp_path, "a.csv", _csv([HEADER, *ROWS], encoding)))
    assert parsed.error is None and not parsed.rejects
    assert parsed.encoding == ("gb18030" if encoding.startswith("gb") else encoding)
    table = parsed.table.to_pylist()
    assert [r["name"] for r in table] == ["张三", "李四", "李四"]
    assert [r["mobile_e164"] for r in table] == ["+8613800138000"] + ["+8613900139000"] * 2
    assert table[0]["email_normalized"] == "zs@yunfan.com"
    assert table[0]["company_match_key"] == "上海云帆信息科技"
    assert table[0]["scanned_at"] == dt.datetime(2025, 5, 12, 6, 3, 11, tzinfo=dt.UTC)
    assert [r["row_number"] for r in table] == [2, 3, 4]
    assert table[0]["_source_system"] == "exhibition"


def test_utf16_tab_separated(tmp_path: Path) -> None:
    text = "\r\n".join("\t".join(line) for line in [HEADER, *ROWS]) + "\r\n"
    parsed = parse_file(_write(tmp_path, "a.txt", text.encode("utf-16")))
    assert parsed.encoding == "utf-16" and parsed.table.num_rows == 3


def test_title_lines_synonyms_and_extra_columns(tmp_path: Path) -> None:
    header = [
        "序号",
        "联系人",
        "单位名称",
        "手机号码(必填)",
        "电子邮件",
        "证件号",
        "登记时间",
        "微信号",
    ]
    lines = [
        ["展会：2025 华南国际工业自动化展览会"],
        ["导出时间：2025-05-20"],
        [],
        header,
        ["1", "王五", "深圳华星", "021-61234567", "", "SIAF-9", "2025/5/12 9:03", "wx_9"],
    ]
    parsed = parse_file(_write(tmp_path, "b.csv", _csv(lines, "gbk")))
    assert parsed.header_row == 4
    assert parsed.header_map["手机号码(必填)"] == "mobile"
    assert parsed.header_map["序号"] == "extra" and parsed.header_map["微信号"] == "extra"
    (row,) = parsed.table.to_pylist()
    assert row["exhibition_name"] == "2025 华南国际工业自动化展览会"  # from the title line
    assert row["mobile_e164"] == "+862161234567"
    assert row["scanned_at"] == dt.datetime(2025, 5, 12, 1, 3, tzinfo=dt.UTC)
    assert json.loads(row["extra_json"]) == {"序号": "1", "微信号": "wx_9"}
    assert row["row_number"] == 5


@pytest.mark.parametrize(
    ("field", "synonym"),
    [(field, synonym) for field, synonyms in FIELD_SYNONYMS.items() for synonym in synonyms],
)
def test_every_synonym_maps(tmp_path: Path, field: str, synonym: str) -> None:
    base = {"scanned_at": "扫码时间", "mobile": "手机", "name": "姓名"}
    base[field] = synonym
    header = list(base.values())
    parsed = parse_file(_write(tmp_path, "s.csv", _csv([header])))
    assert parsed.header_map[synonym] == field


def test_xlsx_with_number_and_date_cells(tmp_path: Path) -> None:
    lines: list[list[object]] = [
        ["Lead Retrieval Export"],
        [],
        ["Badge ID", "Name", "Mobile", "E-mail", "Event", "Scan Time"],
        ["B1", "Zhang Wei", 13800138000, None, "Expo", dt.datetime(2025, 5, 12, 14, 3, 11)],
        ["B2", "Li Na", None, "li.na@x.cn", "Expo", 45789.58554398],
        ["B3", "Wang", "13700137000", None, "Expo", "2025/5/12 14:03"],
    ]
    parsed = parse_file(_write(tmp_path, "c.xlsx", _xlsx(lines)))
    assert parsed.format == "xlsx" and parsed.error is None, parsed.rejects
    rows = parsed.table.to_pylist()
    assert [r["row_number"] for r in rows] == [4, 5, 6]
    assert rows[0]["mobile"] == "13800138000" and rows[0]["mobile_e164"] == "+8613800138000"
    assert rows[0]["scanned_at"] == rows[1]["scanned_at"]
    assert rows[1]["email_normalized"] == "li.na@x.cn"


def test_bad_rows_are_rejected_with_reasons(tmp_path: Path) -> None:
    lines = [
        HEADER,
        ROWS[0],
        ["X-1", "无名", "见名片", "无", "某公司", "展", "A1", "2025-05-12 10:00:00", "", ""],
        ["X-2", "坏时间", "13800138001", "", "某公司", "展", "A1", "2025-13-45 25:61", "", ""],
        [
            "X-3",
            "多字段",
            "13800138002",
            "",
            "某公司",
            "展",
            "A1",
            "2025-05-12 10:00:00",
            "",
            "",
            "多余",
        ],
        ROWS[0],  # the same scan twice in one file
        [
            "X-4",
            "旧时钟",
            "13800138003",
            "",
            "某公司",
            "2025中国国际工业博览会",
            "A1",
            "2000-01-01 00:12:00",
            "",
            "",
        ],
    ]
    parsed = parse_file(_write(tmp_path, "d.csv", _csv(lines)))
    reasons = {r["source_ref"]: r["reason"] for r in parsed.rejects}
    assert set(reasons) == {"d.csv:3", "d.csv:4", "d.csv:5", "d.csv:6", "d.csv:7"}
    assert "neither the phone '见名片' nor the e-mail '无'" in reasons["d.csv:3"]
    assert "cannot be parsed" in reasons["d.csv:4"]
    assert "11 fields but the header has 10" in reasons["d.csv:5"]
    assert "duplicate of line 2" in reasons["d.csv:6"]
    assert "days away from the other scans" in reasons["d.csv:7"]
    assert json.loads(parsed.rejects[0]["raw_payload"])  # the raw row is kept
    assert parsed.table.num_rows == 1 and parsed.status == "partial"


def test_genuine_repeat_scans_keep_separate_keys(tmp_path: Path) -> None:
    parsed = parse_file(_write(tmp_path, "e.csv", _csv([HEADER, *ROWS])))
    keys = parsed.table.column("scan_key").to_pylist()
    assert len(set(keys)) == 3


def test_keys_are_stable_across_re_exports(tmp_path: Path) -> None:
    first = parse_file(_write(tmp_path, "f1.csv", _csv([HEADER, *ROWS], "gbk")))
    order = [1, 0, 4, 3, 2, 5, 6, 7, 8, 9]
    other = [
        [
            "Name",
            "Badge ID",
            "Company",
            "E-mail",
            "Mobile",
            "Event",
            "Stand",
            "Scan Time",
            "Rating",
            "Remarks",
        ]
    ]
    lines = other + [[row[i] for i in order] for row in reversed(ROWS)]
    xlsx = parse_file(_write(tmp_path, "f2.xlsx", _xlsx(lines)))
    assert sorted(first.table.column("scan_key").to_pylist()) == sorted(
        xlsx.table.column("scan_key").to_pylist()
    )


def test_truncated_file_keeps_complete_rows(tmp_path: Path) -> None:
    data = _csv([HEADER, *ROWS], "gbk")
    cut = data[: data.rindex("云帆".encode("gbk")) + 1]  # inside a two-byte character
    parsed = parse_file(_write(tmp_path, "g.csv", cut))
    assert parsed.table.num_rows == 2
    (reject,) = parsed.rejects
    assert reject["source_ref"] == "g.csv:4"
    assert "ends in the middle of this row (truncated file)" in reject["reason"]


def test_last_row_without_newline_but_complete_loads(tmp_path: Path) -> None:
    parsed = parse_file(_write(tmp_path, "h.csv", _csv([HEADER, *ROWS]).rstrip(b"\r\n")))
    assert parsed.table.num_rows == 3 and not parsed.rejects


def _zip_not_xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("x.xlsx", bytes(range(256)) * 4, "not a readable XLSX"),
        ("y.xlsx", _zip_not_xlsx(), "not a readable XLSX"),
        ("z.xlsx", b"PK\x03\x04" + bytes(200), "not a readable XLSX"),
        ("b.csv", b"\x00\x01\x02binary" * 50, "binary"),
        ("o.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "legacy .xls"),
        ("e.csv", b"", "empty"),
        ("n.csv", b"a,b,c\n1,2,3\n", "no header row"),
        ("t.csv", "姓名,手机,邮箱\n张三,138,\n".encode(), "no scan-time column"),
    ],
)
def test_unreadable_files_are_rejected_whole(
    tmp_path: Path, name: str, data: bytes, words: str
) -> None:
    parsed = parse_file(_write(tmp_path, name, data))
    assert parsed.status == "rejected" and words in (parsed.error or "")
    assert parsed.table.num_rows == 0 and len(parsed.rejects) == 1
    assert parsed.error.count(". ") == 0  # one sentence


def test_truncated_xlsx_is_rejected_whole(tmp_path: Path) -> None:
    data = _xlsx([HEADER, *ROWS])
    parsed = parse_file(_write(tmp_path, "cut.xlsx", data[: len(data) // 2]))
    assert parsed.status == "rejected" and "XLSX" in (parsed.error or "")


@pytest.mark.parametrize(
    ("name", "lines", "fast_path"),
    [
        ("clean.csv", [HEADER, *ROWS], True),
        (
            "titled.csv",
            [["展会：X展"], [], HEADER, *ROWS, ["", "", "", "", "", "", "", "", "", ""]],
            True,
        ),
        ("quoted.csv", [HEADER, [*ROWS[0][:9], 'say "hi", twice']], True),
        ("multiline.csv", [HEADER, [*ROWS[0][:9], "line one\nline two"], ROWS[1]], False),
        # Rows of another width are judged row by row, as the careful path judges them.
        ("short.csv", [HEADER, ROWS[0], ROWS[1][:4], ROWS[2]], True),
        (
            "odd_widths.csv",
            [
                HEADER,
                [*ROWS[0], "stray"],
                ROWS[1][:4],
                ROWS[1][:4],  # the same bad row twice: each is rejected at its own line
                [*ROWS[2], "", " "],  # blank cells past the header's width are dropped
                ["", "  ", ""],  # a blank row of another width is no row at all
                [*ROWS[1][:9], 'note, "quoted"'],
            ],
            True,
        ),
        ("odd_quoted.csv", [HEADER, [*ROWS[0][:9], 'a "b", c'], [*ROWS[2], "x"]], True),
        ("odd_multiline.csv", [HEADER, ROWS[0], [*ROWS[2][:9], "one\ntwo", "x"]], False),
    ],
)
def test_fast_and_careful_csv_paths_agree(
    tmp_path: Path, name: str, lines: list[list[str]], fast_path: bool
) -> None:
    from ingestion.exhibition.reader import read_sheet

    path = _write(tmp_path, name, _csv(lines, "gbk"))
    assert (read_sheet(path).table is not None) is fast_path
    fast, careful = parse_file(path), parse_file(path, fast=False)
    assert fast.table.to_pylist() == careful.table.to_pylist()
    assert [(r["reason"], r["source_ref"]) for r in fast.rejects] == [
        (r["reason"], r["source_ref"]) for r in careful.rejects
    ]
    assert fast.table.num_rows >= 1
