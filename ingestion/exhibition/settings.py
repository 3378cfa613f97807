"""Constants of the exhibition (trade-show badge-scan) source."""

from __future__ import annotations

import re
from typing import Any

import pyarrow as pa

from ingestion.common.normalize import to_halfwidth

SOURCE_NAME = "exhibition"
SOURCE_SYSTEM = "exhibition"
BADGE_TABLE = "badge_scans"
FILES_TABLE = "files"
STATE_KEY = "loaded_files"
PARSED_FILES = "parsed_files"  # the hidden resource both tables read

# Files the landing scan picks up; anything else in the folder is ignored.
FILE_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls")
# The header must be within this many rows from the top (organisers add title lines).
HEADER_SEARCH_ROWS = 30
# A scan further than this from its exhibition's median scan time is a wrong clock.
MAX_DAYS_FROM_MEDIAN = 45
# A header row maps at least this many distinct known fields.
MIN_HEADER_FIELDS = 3

# Canonical field -> header synonyms as organisers write them. Matching ignores
# case, width, spaces, "-", "_", "*", ":" and a bracketed note ("手机号码(必填)").
FIELD_SYNONYMS: dict[str, tuple[str, ...]] = {
    "badge_id": (
        "胸卡号",
        "胸卡编号",
        "证件号",
        "证件编号",
        "参观证号",
        "胸牌号",
        "条码",
        "条码号",
        "二维码编号",
        "观众编号",
        "Badge ID",
        "Badge No",
        "Badge Number",
        "Badge",
        "Registration ID",
        "Attendee ID",
    ),
    "name": (
        "姓名",
        "名字",
        "联系人",
        "联系人姓名",
        "客户姓名",
        "观众姓名",
        "Name",
        "Full Name",
        "Contact Name",
    ),
    "mobile": (
        "手机",
        "手机号",
        "手机号码",
        "移动电话",
        "联系电话",
        "电话",
        "联系方式",
        "Mobile",
        "Mobile Phone",
        "Cell Phone",
        "Phone",
        "Tel",
        "Telephone",
    ),
    "email": (
        "邮箱",
        "电子邮件",
        "邮件",
        "电子邮箱",
        "邮箱地址",
        "E-mail",
        "Email",
        "Email Address",
        "Mail",
    ),
    "company": (
        "公司",
        "公司名称",
        "单位",
        "单位名称",
        "企业名称",
        "企业",
        "工作单位",
        "Company",
        "Company Name",
        "Organization",
        "Organisation",
    ),
    "title": ("职位", "职务", "头衔", "Title", "Job Title", "Position"),
    "department": ("部门", "Department", "Dept"),
    "exhibition": (
        "展会",
        "展会名称",
        "活动名称",
        "活动",
        "Exhibition",
        "Event",
        "Event Name",
        "Show",
    ),
    "booth": ("展位", "展位号", "Booth", "Booth No", "Booth Number", "Stand"),
    "scanned_at": (
        "扫码时间",
        "时间",
        "登记时间",
        "扫描时间",
        "扫描日期",
        "签到时间",
        "Scan Time",
        "Scanned At",
        "Time",
        "Timestamp",
        "Date Time",
    ),
    "source": ("来源", "渠道", "扫码方式", "采集方式", "Source", "Channel", "Capture Method"),
    "rating": ("评级", "意向等级", "等级", "意向", "Rating", "Grade", "Lead Rating"),
    "notes": ("备注", "说明", "Notes", "Note", "Remark", "Remarks", "Comments", "Comment"),
}
FIELDS: tuple[str, ...] = tuple(FIELD_SYNONYMS)
# Text fields made half-width and trimmed (phones, e-mails and times stay raw).
TEXT_FIELDS = (
    "badge_id",
    "name",
    "company",
    "title",
    "department",
    "exhibition",
    "booth",
    "source",
    "rating",
    "notes",
)

_HEADER_NOTE = re.compile(r"[(\[【][^)\]】]*[)\]】]\s*$")
_HEADER_NOISE = re.compile(r"[\s\-_*:：.#]+")


def header_key(header: object) -> str:
    """The matching form of a header cell: half-width, lower-case, no noise."""
    text = to_halfwidth(str(header or "")) or ""
    text = text.lower().replace("（", "(").replace("）", ")").strip()
    return _HEADER_NOISE.sub("", _HEADER_NOTE.sub("", text))


SYNONYM_INDEX: dict[str, str] = {
    header_key(synonym): field for field, synonyms in FIELD_SYNONYMS.items() for synonym in synonyms
}

# ---------------------------------------------------------------- raw tables
BADGE_SCHEMA = pa.schema(
    [
        pa.field("scan_key", pa.string(), nullable=False),
        pa.field("exhibition_name", pa.string(), nullable=False),
        pa.field("booth", pa.string()),
        pa.field("badge_id", pa.string()),
        pa.field("name", pa.string()),
        pa.field("mobile", pa.string()),
        pa.field("email", pa.string()),
        pa.field("company", pa.string()),
        pa.field("title", pa.string()),
        pa.field("department", pa.string()),
        pa.field("source", pa.string()),
        pa.field("rating", pa.string()),
        pa.field("notes", pa.string()),
        pa.field("scanned_at_raw", pa.string()),
        pa.field("scanned_at", pa.timestamp("us", tz="UTC"), nullable=False),
        pa.field("mobile_e164", pa.string()),
        pa.field("email_normalized", pa.string()),
        pa.field("company_match_key", pa.string()),
        pa.field("company_core_key", pa.string()),
        pa.field("phone_hash", pa.string()),
        pa.field("email_hash", pa.string()),
        pa.field("extra_json", pa.string()),
        pa.field("file_id", pa.string(), nullable=False),
        pa.field("file_name", pa.string(), nullable=False),
        pa.field("row_number", pa.int64(), nullable=False),
        pa.field("_source_system", pa.string(), nullable=False),
    ]
)

# badge_scans takes its types and nullability from BADGE_SCHEMA (Arrow); its table
# variants (files, rejected_rows) start from the resource's hints, so the resource
# declares no column hints of its own.
FILES_COLUMNS: dict[str, dict[str, Any]] = {
    "file_id": {"data_type": "text", "nullable": False, "primary_key": True},
    "name": {"data_type": "text", "nullable": False},
    "format": {"data_type": "text", "nullable": False},
    "encoding": {"data_type": "text", "nullable": True},
    "sheet": {"data_type": "text", "nullable": True},
    "header_row": {"data_type": "bigint", "nullable": True},
    "title": {"data_type": "text", "nullable": True},
    "header_map_json": {"data_type": "text", "nullable": True},
    "rows": {"data_type": "bigint", "nullable": False},
    "rejected": {"data_type": "bigint", "nullable": False},
    "status": {"data_type": "text", "nullable": False},
    "error": {"data_type": "text", "nullable": True},
    "size_bytes": {"data_type": "bigint", "nullable": False},
    "loaded_at": {"data_type": "timestamp", "nullable": False},
    "_source_system": {"data_type": "text", "nullable": False},
}

# Rows are never updated once loaded: a key already in the table adds nothing.
INSERT_ONLY: dict[str, str] = {"disposition": "merge", "strategy": "insert-only"}

# New columns may appear when this code adds them; a column changing type is an error.
SCHEMA_CONTRACT = {"tables": "evolve", "columns": "evolve", "data_type": "freeze"}
