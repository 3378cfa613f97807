"""Badge-scan files as trade-show organisers hand them over, from the world's badge_scans.

One file per exhibition, ``badge_scans_<exhibition_id>.<csv|xlsx>``, in the
exhibition's ``file_format`` (``csv_utf8_bom``, ``csv_gbk`` — written as GB18030,
which is GBK for every GBK character — or ``xlsx``) and ``header_variant``:

- 0: the standard Chinese header (胸卡号, 姓名, 手机, 邮箱, …), no title line,
  times ``2025-05-12 14:03:11`` (XLSX: date cells, mobiles as number cells).
- 1: synonyms (联系人, 手机号码, 电子邮件, 单位名称, 证件号, 登记时间, …) in another
  order, two title lines above the header, unknown 序号 and 微信号 columns,
  times ``2025/5/12 14:03:11``.
- 2: English headers with 扫码方式, no exhibition column (the name is in a
  ``展会：…`` title line), an unknown Country column; times as Excel serial
  numbers in CSV and date cells in XLSX.

Some cells are written full-width (mobiles, company brackets, badge ids), as
Chinese input methods do. Scan times are China local time (UTC+8).

Faults (:class:`ExhibitionFileFaults`) are recorded row by row in
``<sandbox_dir>/truth/exhibition_file_faults.parquet``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ingestion.common.normalize.text import to_fullwidth
from sandbox.world.tables import read_system_table, truth_dir, write_table

CHINA = dt.timezone(dt.timedelta(hours=8))
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_NEWLINE = re.compile(r"\r\n|\r|\n")
FAULTS_TABLE = "exhibition_file_faults"
FAULT_SCHEMA = pa.schema(
    [
        ("file_name", pa.string()),
        ("exhibition_id", pa.string()),
        ("scan_id", pa.string()),
        ("fault", pa.string()),
        ("line", pa.int64()),
        ("detail", pa.string()),
    ]
)
# World column -> header per variant; None leaves the column out. Order is the file's order.
_VARIANTS: tuple[list[tuple[str, str]], ...] = (
    [
        ("badge_id", "胸卡号"),
        ("name", "姓名"),
        ("mobile", "手机"),
        ("email", "邮箱"),
        ("company", "公司"),
        ("title", "职位"),
        ("department", "部门"),
        ("exhibition", "展会"),
        ("booth", "展位"),
        ("scanned_at", "扫码时间"),
        ("source", "来源"),
        ("rating", "评级"),
        ("notes", "备注"),
    ],
    [
        ("serial", "序号"),
        ("name", "联系人"),
        ("company", "单位名称"),
        ("title", "职务"),
        ("department", "部门"),
        ("mobile", "手机号码"),
        ("email", "电子邮件"),
        ("badge_id", "证件号"),
        ("exhibition", "展会名称"),
        ("booth", "展位号"),
        ("scanned_at", "登记时间"),
        ("source", "渠道"),
        ("rating", "意向等级"),
        ("notes", "备注"),
        ("wechat", "微信号"),
    ],
    [
        ("badge_id", "Badge ID"),
        ("name", "Name"),
        ("company", "Company"),
        ("title", "Title"),
        ("department", "Department"),
        ("mobile", "Mobile"),
        ("email", "E-mail"),
        ("booth", "Booth"),
        ("scanned_at", "Scan Time"),
        ("source", "扫码方式"),
        ("rating", "Rating"),
        ("notes", "Notes"),
        ("country", "Country"),
    ],
)


@dataclass
class ExhibitionFileFaults:
    """What to break in the files (0 disables a knob).

    Attributes:
        truncate_files: The last N CSV files (by exhibition id) are cut in the middle
            of their last data row, as an interrupted download is.
        malformed_rows_per_file: Rows per file rendered broken, cycling through a stray
            extra field, an impossible scan time and a phone and e-mail of "无".
        unreadable_files: Extra junk files dropped beside the real ones (a binary
            ``.xlsx`` that is no workbook, a binary ``.csv``).
    """

    truncate_files: int = 0
    malformed_rows_per_file: int = 0
    unreadable_files: int = 0


def _local_text(moment: dt.datetime | None, variant: int) -> Any:
    if moment is None:
        return ""
    local = moment.astimezone(CHINA).replace(tzinfo=None)
    if variant == 1:
        return f"{local.year}/{local.month}/{local.day} {local:%H:%M:%S}"
    if variant == 2:
        return f"{(local - _EXCEL_EPOCH) / dt.timedelta(days=1):.8f}"
    return f"{local:%Y-%m-%d %H:%M:%S}"


def _cells(
    scan: dict[str, Any], exhibition: dict[str, Any], variant: int, position: int, xlsx: bool
) -> list[Any]:
    """One scan as the cells of its file row (before faults)."""
    values = dict(scan)
    values["exhibition"] = exhibition["name"]
    values["booth"] = exhibition["booth"]
    values["serial"] = str(position + 1)
    values["wechat"] = f"wx_{scan['badge_id']}" if position % 9 == 4 else ""
    values["country"] = "中国"
    # Full-width input, as Chinese IMEs produce it, on a deterministic share of rows.
    if position % 13 == 5 and values.get("mobile"):
        values["mobile"] = to_fullwidth(values["mobile"])
    if position % 11 == 2 and values.get("company"):
        values["company"] = values["company"].replace("(", "（").replace(")", "）")
    if position % 17 == 3 and values.get("badge_id"):
        values["badge_id"] = to_fullwidth(values["badge_id"])
    moment = scan["scanned_at"]
    if moment is not None:
        moment = moment.replace(microsecond=0)  # scanners record whole seconds
    cells: list[Any] = []
    for column, _ in _VARIANTS[variant]:
        if column == "scanned_at":
            if xlsx and variant != 1 and moment is not None:
                cells.append(moment.astimezone(CHINA).replace(tzinfo=None))
            else:
                cells.append(_local_text(moment, variant))
        elif column == "mobile" and xlsx and variant == 0 and str(scan["mobile"]).isdigit():
            cells.append(int(scan["mobile"]))  # Excel turned the mobile into a number
        else:
            value = values.get(column)
            cells.append("" if value is None else value)
    return cells


def _title_lines(exhibition: dict[str, Any], variant: int) -> list[str]:
    if variant == 1:
        return [f"{exhibition['name']} 观众扫码数据", f"导出时间：{exhibition['end_date']} 23:59"]
    if variant == 2:
        return [f"展会：{exhibition['name']}", "Lead Retrieval Export"]
    return []


def _malform(cells: list[Any], variant: int, kind: str) -> str:
    columns = [column for column, _ in _VARIANTS[variant]]
    if kind == "extra_field":
        cells.append("多余字段")
        return "a stray extra field at the end of the row"
    if kind == "bad_time":
        cells[columns.index("scanned_at")] = "2025-13-45 25:61"
        return "an impossible scan time"
    cells[columns.index("mobile")] = "无"
    cells[columns.index("email")] = "无"
    return "phone and e-mail both '无'"


def _csv_bytes(lines: list[list[Any]], encoding: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(lines)
    return buffer.getvalue().encode(encoding)


def _xlsx_bytes(lines: list[list[Any]], title: str) -> bytes:
    """A workbook as Excel writes it: shared strings and a <dimension> (openpyxl's
    write-only mode writes neither, which makes readers parse the sheet twice)."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for line in lines:
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _truncate(data: bytes, encoding: str, last_row: list[Any]) -> tuple[bytes, str]:
    """Cut the file inside its last row, one byte into the field after the middle comma."""
    row_bytes = _csv_bytes([last_row], encoding)
    start = len(data) - len(row_bytes)
    middle = len(last_row) // 2
    prefix = _csv_bytes([last_row[:middle]], encoding).rstrip(b"\r\n")
    cut = start + len(prefix) + 2
    return data[:cut], f"cut after byte {cut} of {len(data)}, inside field {middle + 1}"


def _fault_positions(rows: int, count: int) -> list[int]:
    """Evenly spread data-row positions, never the first or the last row."""
    if rows < 3 or count <= 0:
        return []
    count = min(count, rows - 2)
    return sorted({1 + (k * (rows - 2)) // count for k in range(count)})


def _junk(landing_dir: Path, count: int) -> list[tuple[Path, dict[str, Any]]]:
    junk = []
    for k in range(count):
        if k % 2 == 0:
            path, data = landing_dir / f"scanner_backup_{k + 1}.xlsx", bytes(range(256)) * 8
        else:
            path, data = landing_dir / f"export_{k + 1}.csv", b"\x00\x01\x02binary" * 64
        path.write_bytes(data)
        record = _fault(path, None, None, "unreadable_file", None, "binary, not a workbook")
        junk.append((path, record))
    return junk


def _fault(
    path: Path, ex_id: str | None, scan_id: str | None, kind: str, line: int | None, detail: str
) -> dict[str, Any]:
    return {
        "file_name": path.name,
        "exhibition_id": ex_id,
        "scan_id": scan_id,
        "fault": kind,
        "line": line,
        "detail": detail,
    }


def _render(
    path: Path,
    exhibition: dict[str, Any],
    rows: list[dict[str, Any]],
    faults: ExhibitionFileFaults,
    truncate: bool,
) -> tuple[bytes, list[dict[str, Any]]]:
    """The bytes of one exhibition's file and the faults put into it."""
    ex_id, variant = exhibition["exhibition_id"], int(exhibition["header_variant"] or 0) % 3
    xlsx = exhibition["file_format"] == "xlsx"
    lines: list[list[Any]] = [[t] for t in _title_lines(exhibition, variant)]
    lines.append([header for _, header in _VARIANTS[variant]])
    line = len(lines) + 1  # physical line (CSV) or sheet row (XLSX) of the next data row
    last_line = line
    recorded: list[dict[str, Any]] = []
    kinds = ("extra_field", "bad_time", "no_contact")
    broken = _fault_positions(len(rows), faults.malformed_rows_per_file)
    for position, scan in enumerate(rows):
        cells = _cells(scan, exhibition, variant, position, xlsx)
        if position in broken:
            kind = kinds[broken.index(position) % len(kinds)]
            detail = _malform(cells, variant, kind)
            recorded.append(_fault(path, ex_id, scan["scan_id"], kind, line, detail))
        lines.append(cells)
        last_line = line
        line += 1 if xlsx else 1 + sum(len(_NEWLINE.findall(str(c))) for c in cells)
    if xlsx:
        return _xlsx_bytes(lines, "扫码数据"), recorded
    encoding = "utf-8-sig" if exhibition["file_format"] == "csv_utf8_bom" else "gb18030"
    data = _csv_bytes(lines, encoding)
    if truncate:
        data, detail = _truncate(data, encoding, lines[-1])
        recorded.append(
            _fault(path, ex_id, rows[-1]["scan_id"], "truncated_row", last_line, detail)
        )
    return data, recorded


def write_exhibition_files(
    sandbox_dir: Path, landing_dir: Path, *, faults: ExhibitionFileFaults | None = None
) -> list[Path]:
    """Write the world's badge scans as one organiser file per exhibition.

    Args:
        sandbox_dir: The sandbox holding ``world/exhibition/{exhibitions,badge_scans}``.
        landing_dir: Where the files land (created if missing).
        faults: What to break; the faults written are recorded in
            ``<sandbox_dir>/truth/exhibition_file_faults.parquet`` (empty without faults).

    Returns:
        The files written, in exhibition-id order (junk files last).
    """
    faults = faults or ExhibitionFileFaults()
    landing_dir.mkdir(parents=True, exist_ok=True)
    exhibitions = sorted(
        read_system_table(sandbox_dir, "exhibition", "exhibitions").to_pylist(),
        key=lambda e: e["exhibition_id"],
    )
    scans = read_system_table(sandbox_dir, "exhibition", "badge_scans")
    scans = scans.sort_by(
        [("exhibition_id", "ascending"), ("scanned_at", "ascending"), ("scan_id", "ascending")]
    )
    csv_ids = [e["exhibition_id"] for e in exhibitions if e["file_format"] != "xlsx"]
    truncated = set(csv_ids[::-1][: faults.truncate_files])
    written: list[Path] = []
    recorded: list[dict[str, Any]] = []
    for exhibition in exhibitions:
        ex_id = exhibition["exhibition_id"]
        rows = scans.filter(pc.equal(scans["exhibition_id"], ex_id)).to_pylist()
        if not rows:
            continue
        suffix = "xlsx" if exhibition["file_format"] == "xlsx" else "csv"
        path = landing_dir / f"badge_scans_{ex_id}.{suffix}"
        data, faults_here = _render(path, exhibition, rows, faults, ex_id in truncated)
        path.write_bytes(data)
        written.append(path)
        recorded.extend(faults_here)
    for path, record in _junk(landing_dir, faults.unreadable_files):
        written.append(path)
        recorded.append(record)
    write_table(
        truth_dir(sandbox_dir) / f"{FAULTS_TABLE}.parquet",
        pa.Table.from_pylist(recorded, schema=FAULT_SCHEMA),
    )
    return written
