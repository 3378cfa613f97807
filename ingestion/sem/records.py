"""One page of API records → one typed Arrow table of a raw table, plus its rejects."""

from __future__ import annotations

import json
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.compute as pc

from ingestion.common.normalize import normalize_phone_array as normalize_phones
from ingestion.sem import settings
from ingestion.sem.columns import PageColumns, Values

Page = tuple[pa.Table | None, list[dict[str, Any]]]

_ARROW_TYPES: dict[str, pa.DataType] = {
    "text": pa.string(),
    "bigint": pa.int64(),
    "bool": pa.bool_(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("us", tz="UTC"),
    "decimal": pa.decimal128(18, 2),
}


def arrow_schema(hints: dict[str, dict[str, Any]]) -> pa.Schema:
    """The Arrow schema of a raw table from its dlt column hints (same types, same nullability)."""
    return pa.schema(
        [
            pa.field(name, _ARROW_TYPES[hint["data_type"]], hint["nullable"])
            for name, hint in hints.items()
        ]
    )


# The usual JSON type of each API field: a page that matches converts in one step.
_S, _I, _F = pa.string(), pa.int64(), pa.float64()
_KEYWORD_FIELDS = {
    "date": _S,
    "userName": _S,
    "campaignId": _I,
    "campaignName": _S,
    "adGroupId": _I,
    "adGroupName": _S,
    "keywordId": _I,
    "wInfoNameStatus": _S,
    "keyword": _S,
    "impression": _I,
    "click": _I,
    "cost": _F,
}
_NOTICE_FIELDS = {
    **{
        k: _S
        for k in (
            "clueId",
            "cluePhoneNumber",
            "commitTime",
            "formDetail",
            "flowChannelName",
            "area",
            "searchWord",
            "url",
            "bdVid",
            "bdvid",
            "solutionType",
            "campaignName",
            "adgroupName",
            "adGroupName",
            "keyword",
            "keywordName",
            "wInfoNameStatus",
        )
    },
    **{k: _I for k in ("campaignId", "adgroupId", "adGroupId", "keywordId")},
}
_CLUE_FIELDS = {
    **{
        k: _S
        for k in (
            "clue_id",
            "advertiser_id",
            "promotion_id",
            "ad_id",
            "create_time_detail",
            "create_time",
            "promotion_name",
            "ad_name",
            "clue_source",
            "name",
            "gender",
            "email",
            "weixin",
            "province_name",
            "city_name",
            "app_name",
            "telephone",
        )
    },
    **{k: _I for k in ("clue_type", "clue_state")},
}
_PROMOTION_FIELDS = {
    k: _S
    for k in (
        "stat_time_day",
        "stat_datetime",
        "cdp_promotion_id",
        "promotion_id",
        "cdp_promotion_name",
        "promotion_name",
        "show_cnt",
        "click_cnt",
        "stat_cost",
        "cost",
    )
}

KEYWORD_SCHEMA = arrow_schema(settings.KEYWORD_HINTS)
LEAD_SCHEMA = arrow_schema(settings.LEAD_HINTS)
PROMOTION_SCHEMA = arrow_schema(settings.PROMOTION_HINTS)
CLUE_SCHEMA = arrow_schema(settings.CLUE_HINTS)


def unique_rows(table: pa.Table, key: tuple[str, ...], seen: set[Any]) -> pa.Table:
    """The rows whose key is not in ``seen`` yet (first occurrence wins); adds the keys.

    A load appends when nothing was loaded before, so it must not carry a key twice
    (a record can come again when the API shifts a page between two requests).
    """
    columns = []
    for name in key:
        column = table.column(name)
        if pa.types.is_date32(column.type):
            column = column.cast(pa.int32())  # ints hash faster than date objects
        elif pa.types.is_timestamp(column.type):
            column = column.cast(pa.int64())
        columns.append(column.to_pylist())
    keys = columns[0] if len(columns) == 1 else zip(*columns, strict=True)
    keep = [not (k in seen or seen.add(k)) for k in keys]  # type: ignore[func-returns-value]
    return table if all(keep) else table.filter(pa.array(keep, pa.bool_()))


def strip_deleted(names: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Split Baidu's "[已删除]" name suffix off: (clean names, is-deleted flags)."""
    trimmed = pc.utf8_rtrim_whitespace(names)
    deleted = pc.ends_with(trimmed, settings.DELETED_SUFFIX)
    clean = pc.utf8_rtrim_whitespace(
        pc.utf8_slice_codeunits(trimmed, 0, -len(settings.DELETED_SUFFIX))
    )
    return pc.if_else(deleted, clean, names), deleted


def keyword_page(rows: list[dict[str, Any]], source_ref: str) -> Page:
    """Keyword report rows (reportType 2602783) → ``baidu_keyword_daily``."""
    key = (("date", "date"), ("keyword_id", "keywordId"))
    cols = PageColumns(rows, "baidu_keyword_daily", source_ref, key, _KEYWORD_FIELDS)
    cols.date("date", cols.values("date"))
    cols.text("user_name", cols.values("userName"))
    for level, id_key, name_key in (
        ("campaign", "campaignId", "campaignName"),
        ("adgroup", "adGroupId", "adGroupName"),
    ):
        cols.int64(f"{level}_id", cols.values(id_key), f"{level} id")
        names, deleted = strip_deleted(cols.text(f"{level}_name", cols.values(name_key)))
        cols.columns[f"{level}_name"], cols.columns[f"is_{level}_deleted"] = names, deleted
    cols.int64("keyword_id", cols.values("keywordId"), "keyword id")
    names, deleted = strip_deleted(cols.text("keyword", cols.values("wInfoNameStatus", "keyword")))
    cols.columns["keyword"], cols.columns["is_keyword_deleted"] = names, deleted
    cols.int64("impression", cols.values("impression"))
    cols.int64("click", cols.values("click"))
    cols.money("cost", cols.values("cost"))
    cols.require("date", "date")
    cols.require("keyword_id", "keyword id")
    cols.constant("currency", settings.CURRENCY)
    cols.constant("_source_system", settings.BAIDU)
    return cols.finish(KEYWORD_SCHEMA)


# Form labels seen so far -> column (or None). A load sees a handful of distinct labels
# in every notice, so each is looked up once rather than stripped and lowered per field.
_LABELS: dict[str, str | None] = {}
_MAX_LABELS = 10_000  # odd data (free text as labels) must not grow the cache without end


def _form_column(label: Any) -> str | None:
    if label.__class__ is str:
        column = _LABELS.get(label, _LABELS)
        if column is not _LABELS:
            return column  # type: ignore[return-value]
        column = settings.FORM_FIELDS.get(label) or settings.FORM_FIELDS.get(label.strip().lower())
        if len(_LABELS) < _MAX_LABELS:
            _LABELS[label] = column
        return column
    if not label:
        return None
    return settings.FORM_FIELDS.get(str(label).strip().lower())


def parse_form_detail(raw: Any) -> dict[str, str]:
    """formDetail (a JSON array of {name, type, value}, in a string) → name/company/...

    A field is matched by its ``type`` first, then its ``name`` (see
    ``settings.FORM_FIELDS``); the first non-blank value of each column wins, as sent.
    Unparseable JSON gives ``{}`` (the raw text is kept in ``form_detail``).
    """
    if raw is None or raw == "":
        return {}
    try:
        fields = orjson.loads(raw) if isinstance(raw, str) else raw
    except orjson.JSONDecodeError:
        return {}
    if isinstance(fields, dict):  # tolerate {label: value}
        fields = [{"name": k, "value": v} for k, v in fields.items()]
    found: dict[str, str] = {}
    for item in fields if isinstance(fields, list) else []:
        if not isinstance(item, dict):
            continue
        value = item.get("value")
        if value is None:
            continue
        text = value if value.__class__ is str else str(value)
        if not text.strip():
            continue
        column = _form_column(item.get("type")) or _form_column(item.get("name"))
        if column and column not in found:
            found[column] = text  # raw: cleaning is staging's job
    return found


def _json_text(values: Values) -> list[str | None]:
    """JSON fields as text: strings stay as sent, parsed objects are serialised."""
    if isinstance(values, pa.Array):
        return values.to_pylist()
    return [
        v if v is None or isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in values
    ]


def _phones(cols: PageColumns, raw: pa.Array, fallback: list[Any] | None = None) -> None:
    """``phone_e164`` from raw phones; a non-blank phone that does not parse is a problem."""
    source = raw
    if fallback is not None:
        source = pc.if_else(pc.is_null(raw), pa.array(fallback, pa.string()), raw)
    e164 = normalize_phones(source)
    present = pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(source)), 0)
    bad = pc.and_(pc.fill_null(present, False), pc.is_null(e164))
    values = source.to_pylist() if pc.any(bad).as_py() else []
    for position in pc.indices_nonzero(bad).to_pylist():
        cols.flag(position, f"unparseable phone {values[position]!r}", "phone_e164")
    cols.columns["phone_e164"] = e164


def notice_page(notices: list[dict[str, Any]], source_ref: str) -> Page:
    """getNoticeList notices → ``baidu_leads``."""
    cols = PageColumns(notices, "baidu_leads", source_ref, (("clue_id", "clueId"),), _NOTICE_FIELDS)
    cols.text("clue_id", cols.values("clueId", "clue_id"))
    cols.china_time("commit_time", cols.values("commitTime"), "commit time")
    phone = cols.text("clue_phone_number", cols.values("cluePhoneNumber"))
    forms = _json_text(cols.values("formDetail"))
    cols.text("form_detail", forms)
    parsed = [parse_form_detail(f) for f in forms]
    for column in ("name", "company", "email", "title"):
        cols.text(column, [p.get(column) for p in parsed])
    _phones(cols, phone, [p.get("phone") for p in parsed])
    for name, keys in (
        ("flow_channel_name", ("flowChannelName",)),
        ("area", ("area",)),
        ("search_word", ("searchWord",)),
        ("url", ("url",)),
        ("bd_vid", ("bdVid", "bdvid")),
        ("solution_type", ("solutionType",)),
    ):
        cols.text(name, cols.values(*keys))
    for level, id_keys, name_keys in (
        ("campaign", ("campaignId",), ("campaignName",)),
        ("adgroup", ("adgroupId", "adGroupId"), ("adgroupName", "adGroupName")),
        ("keyword", ("keywordId",), ("keyword", "keywordName", "wInfoNameStatus")),
    ):
        cols.int64(f"{level}_id", cols.values(*id_keys), f"{level} id")
        name = "keyword" if level == "keyword" else f"{level}_name"
        cols.columns[name] = strip_deleted(cols.text(name, cols.values(*name_keys)))[0]
    cols.require("clue_id", "clue id")
    cols.require("commit_time", "commit time")
    cols.constant("_source_system", settings.BAIDU)
    return cols.finish(LEAD_SCHEMA)


def clue_page(clues: list[dict[str, Any]], source_ref: str) -> Page:
    """2/tools/clue/get/ clues → ``douyin_clues`` (ids as strings, remark_dict as JSON)."""
    cols = PageColumns(clues, "douyin_clues", source_ref, (("clue_id", "clue_id"),), _CLUE_FIELDS)
    cols.text("clue_id", cols.values("clue_id"))
    cols.china_time("create_time", cols.values("create_time_detail", "create_time"), "create time")
    cols.text("advertiser_id", cols.values("advertiser_id"))
    cols.text("promotion_id", cols.values("promotion_id", "ad_id"))
    cols.text("promotion_name", cols.values("promotion_name", "ad_name"))
    cols.int64("clue_type", cols.values("clue_type"), "clue type")
    cols.int64("clue_state", cols.values("clue_state"), "clue state")
    for name in (
        "clue_source",
        "name",
        "gender",
        "email",
        "weixin",
        "province_name",
        "city_name",
        "app_name",
    ):
        cols.text(name, cols.values(name))
    _phones(cols, cols.text("telephone", cols.values("telephone")))
    remarks = [r if r else None for r in cols.values("remark_dict")]
    cols.text("remark_dict", _json_text(remarks))
    cols.require("clue_id", "clue id")
    cols.require("create_time", "create time")
    cols.constant("_source_system", settings.OCEAN)
    return cols.finish(CLUE_SCHEMA)


def promotion_page(rows: list[dict[str, Any]], advertiser_id: int, source_ref: str) -> Page:
    """Custom report rows {dimensions, metrics} → ``douyin_promotion_daily``."""
    flat = [{**(r.get("dimensions") or {}), **(r.get("metrics") or {})} for r in rows]
    key = (("stat_date", "stat_time_day"), ("promotion_id", "cdp_promotion_id"))
    cols = PageColumns(flat, "douyin_promotion_daily", source_ref, key, _PROMOTION_FIELDS)
    cols.date("stat_date", cols.values("stat_time_day", "stat_datetime"), "stat date")
    cols.constant("advertiser_id", str(advertiser_id))
    cols.text("promotion_id", cols.values("cdp_promotion_id", "promotion_id"))
    cols.text("promotion_name", cols.values("cdp_promotion_name", "promotion_name"))
    cols.int64("show_cnt", cols.values("show_cnt"), "show count")
    cols.int64("click_cnt", cols.values("click_cnt"), "click count")
    cols.money("cost", cols.values("stat_cost", "cost"), "cost")
    cols.require("stat_date", "stat date")
    cols.require("promotion_id", "promotion id")
    cols.constant("currency", settings.CURRENCY)
    cols.constant("_source_system", settings.OCEAN)
    cols.payloads = rows  # a reject keeps the record as received, not flattened
    return cols.finish(PROMOTION_SCHEMA)
