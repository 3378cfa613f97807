"""Baidu 百度营销 routes: the synchronous report and the leads notices.

``POST /json/sms/service/OpenApiReportService/getReportData`` serves reportType
2602783 (keyword, one row per day x keyword) and 2290316 (campaign: the keyword
rows summed per day x campaign). ``POST /json/sms/service/LeadsNoticeService/
getNoticeList`` serves the lead notices of a window of at most 30 days.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sandbox.emulators.base import Request, Response
from sandbox.emulators.sem import rendered
from sandbox.emulators.sem.faults import (
    baidu_envelope,
    baidu_failure,
    corruptions,
    json_bytes,
)
from sandbox.emulators.sem.store import CHINA_TZ, day_range, micros, time_range

if TYPE_CHECKING:
    from sandbox.emulators.sem.app import SemEmulator

KEYWORD_REPORT = 2602783
CAMPAIGN_REPORT = 2290316

# Baidu report column -> world column (None: computed from other columns).
KEYWORD_COLUMNS: dict[str, str | None] = {
    "date": "date",
    "userName": "user_name",
    "campaignId": "campaign_id",
    "campaignName": "campaign_name",
    "adGroupId": "adgroup_id",
    "adGroupName": "adgroup_name",
    "keywordId": "keyword_id",
    "wInfoNameStatus": "keyword",
    "impression": "impression",
    "click": "click",
    "cost": "cost",
    "ctr": None,
    "cpc": None,
}
# The keyword report's stored columns (ctr and cpc are computed): what an export asks for.
EXPORT_COLUMNS = [name for name, column in KEYWORD_COLUMNS.items() if column]
CAMPAIGN_COLUMNS = {
    k: v
    for k, v in KEYWORD_COLUMNS.items()
    if k in ("date", "campaignId", "campaignName", "impression", "click", "cost", "ctr", "cpc")
}
FILTERABLE = {"campaignId": "campaign_id", "adGroupId": "adgroup_id", "keywordId": "keyword_id"}

# Notice field -> world column.
NOTICE_FIELDS: dict[str, str] = {
    "clueId": "clue_id",
    "cluePhoneNumber": "clue_phone_number",
    "flowChannelName": "flow_channel_name",
    "area": "area",
    "formDetail": "form_detail",
    "campaignId": "campaign_id",
    "campaignName": "campaign_name",
    "adgroupId": "adgroup_id",
    "adgroupName": "adgroup_name",
    "keywordId": "keyword_id",
    "keyword": "keyword",
    "searchWord": "search_word",
    "url": "url",
    "bdVid": "bd_vid",
    "solutionType": "solution_type",
}


def _check(app: SemEmulator, request: Request) -> tuple[dict[str, Any], Response | None]:
    try:
        payload = request.json()
    except ValueError:
        return {}, baidu_failure(app.codes.baidu_bad_json, "The Json message is invalid")
    header = payload.get("header") or {}
    if header.get("userName") != "salesdw-baidu":
        app.next_call()
        return {}, baidu_failure(app.codes.baidu_bad_user, "The username is invalid", 2, "header")
    refused = app.gate("baidu", header.get("accessToken"))
    return payload.get("body") or {}, refused


def _parse_day(value: Any) -> dt.date:
    return dt.date.fromisoformat(str(value)[:10])


def get_report_data(app: SemEmulator, request: Request) -> Response:
    """``OpenApiReportService/getReportData`` (synchronous report, paged by startRow)."""
    body, refused = _check(app, request)
    if refused is not None:
        return refused
    bad = app.codes.baidu_bad_request
    report_type = int(body.get("reportType") or 0)
    store = app.store
    if report_type == KEYWORD_REPORT:
        table, days, known = store.keywords, store.keyword_days, KEYWORD_COLUMNS
    elif report_type == CAMPAIGN_REPORT:
        table, days, known = store.campaigns, store.campaign_days, CAMPAIGN_COLUMNS
    else:
        return baidu_failure(bad, f"reportType {report_type} is not supported", 2, "reportType")
    if str(body.get("timeUnit", "DAY")).upper() != "DAY":
        return baidu_failure(bad, "timeUnit must be DAY in the sandbox", 2, "timeUnit")
    try:
        first, last = _parse_day(body["startDate"]), _parse_day(body["endDate"])
    except (KeyError, ValueError):
        return baidu_failure(bad, "startDate and endDate must be YYYY-MM-DD", 2, "startDate")
    columns = list(body.get("columns") or ["date", "impression", "click", "cost"])
    unknown = [c for c in columns if c not in known]
    if unknown:
        return baidu_failure(bad, f"unknown columns {unknown}", 2, "columns")
    start_row = int(body.get("startRow") or 0)
    row_count = min(
        int(body.get("rowCount") or app.baidu_report_max_rows), app.baidu_report_max_rows
    )
    lo, hi = day_range(days, first, last)
    positions = _filtered(table, lo, hi, body.get("filters") or [])
    total = len(positions) if positions is not None else hi - lo
    if not app.faults.malformed_every:
        cached = report_json(app, report_type, columns)
        if positions is None:
            chosen = cached[
                lo + start_row : lo + start_row + max(0, min(row_count, hi - lo - start_row))
            ]
        else:
            chosen = [cached[p] for p in positions[start_row : start_row + row_count]]
        app.serve_records(len(chosen))
        data = {"rowCount": len(chosen), "totalRowCount": total, "rows": rendered.ROWS}
        return Response(200, rendered.page(baidu_envelope([data]), chosen))
    if positions is None:
        page = table.slice(lo + start_row, max(0, min(row_count, hi - lo - start_row)))
    else:
        page = table.take(pa.array(positions[start_row : start_row + row_count]))
    rows = _report_rows(page, columns, known)
    _corrupt_report(app, rows, columns)
    data = {"rowCount": len(rows), "totalRowCount": total, "rows": rows}
    return json_bytes(baidu_envelope([data]))


def report_json(app: SemEmulator, report_type: int, columns: list[str]) -> list[bytes]:
    """Every row of a report with some columns, rendered (see :mod:`rendered`)."""
    if report_type == KEYWORD_REPORT:
        table, known = app.store.keywords, KEYWORD_COLUMNS
    else:
        table, known = app.store.campaigns, CAMPAIGN_COLUMNS
    key = ("report", report_type, frozenset(columns))  # JSON objects have no key order
    return app.rendered.rows(
        key, table, lambda at, count: _report_rows(table.slice(at, count), columns, known)
    )


def _filtered(table: pa.Table, lo: int, hi: int, filters: list[dict]) -> np.ndarray | None:
    """Positions of rows in ``[lo, hi)`` passing ``filters`` (None when there are none)."""
    usable = [f for f in filters if f.get("column") in FILTERABLE]
    if not usable:
        return None
    mask = np.ones(hi - lo, dtype=bool)
    for item in usable:
        values = [int(v) for v in item.get("values") or []]
        column = table[FILTERABLE[item["column"]]].slice(lo, hi - lo)
        hit = pc.is_in(column, value_set=pa.array(values, pa.int64())).to_numpy(
            zero_copy_only=False
        )
        negate = str(item.get("operator", "IN")).upper() in ("NOT_IN", "NE", "NOT_EQ")
        mask &= ~hit if negate else hit
    return np.nonzero(mask)[0] + lo


def _report_rows(page: pa.Table, columns: list[str], known: dict[str, str | None]) -> list[dict]:
    impressions = page["impression"].to_pylist()
    clicks = page["click"].to_pylist()
    # decimal -> text -> float gives the double nearest the exact amount (prints as 1.39).
    costs = pc.cast(pc.cast(page["cost"], pa.string()), pa.float64()).to_pylist()
    values: list[list[Any]] = []
    for name in columns:
        source = known[name]
        if name == "ctr":
            values.append(
                [
                    round(c * 100 / i, 2) if i else 0.0
                    for c, i in zip(clicks, impressions, strict=True)
                ]
            )
        elif name == "cpc":
            values.append(
                [round(m / c, 2) if c else 0.0 for m, c in zip(costs, clicks, strict=True)]
            )
        elif name == "cost":
            values.append(costs)
        elif name == "date":
            values.append(pc.cast(page["date"], pa.string()).to_pylist())
        else:
            values.append(page[source].to_pylist())
    return [dict(zip(columns, row)) for row in zip(*values)]  # noqa: B905 (equal lengths)


def _corrupt_report(app: SemEmulator, rows: list[dict], columns: list[str]) -> None:
    for position, kind in corruptions(app, len(rows)):
        row = rows[position]
        if kind == 0 and "cost" in row:
            row["cost"] = "--"
        elif kind == 1 and "impression" in row:
            row["impression"] = "-"
        elif "date" in row:
            row["date"] = "2025-02-30"
        elif columns:
            row[columns[-1]] = "--"


def _notice_window(body: dict[str, Any]) -> tuple[dt.datetime, dt.datetime]:
    """The ``[start, end)`` instants of startDate/endDate (China time; a date is a whole day)."""

    def moment(value: Any, end: bool) -> dt.datetime:
        text = str(value)
        if len(text) == 10:
            day = dt.date.fromisoformat(text) + dt.timedelta(days=1 if end else 0)
            return dt.datetime.combine(day, dt.time(), CHINA_TZ)
        parsed = dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=CHINA_TZ)
        return parsed + dt.timedelta(seconds=1 if end else 0)

    return moment(body["startDate"], False), moment(body["endDate"], True)


def get_notice_list(app: SemEmulator, request: Request) -> Response:
    """``LeadsNoticeService/getNoticeList`` (paged by pageNo/pageSize, window <= 30 days)."""
    body, refused = _check(app, request)
    if refused is not None:
        return refused
    bad = app.codes.baidu_bad_request
    try:
        start, end = _notice_window(body)
    except (KeyError, ValueError):
        return baidu_failure(bad, "startDate/endDate must be YYYY-MM-DD[ HH:MM:SS]", 2, "startDate")
    if end <= start or end - start > dt.timedelta(days=app.baidu_max_window_days + 1):
        return baidu_failure(bad, f"时间跨度不能超过{app.baidu_max_window_days}天", 2, "endDate")
    page_no = max(1, int(body.get("pageNo") or 1))
    page_size = min(max(1, int(body.get("pageSize") or 100)), app.baidu_leads_max_page)
    index = app.store.leads
    table: pa.Table = index["table"]
    lo, hi = time_range(index, micros(start), micros(end))
    positions = np.arange(lo, hi)
    wanted = body.get("solutionType")
    if wanted not in (None, "", "all", []):
        types = set(wanted if isinstance(wanted, list) else [wanted])
        column = table["solution_type"].slice(lo, hi - lo)
        mask = pc.is_in(column, value_set=pa.array(sorted(types))).to_numpy(zero_copy_only=False)
        positions = positions[mask]
    total = len(positions)
    chosen = positions[(page_no - 1) * page_size : page_no * page_size]
    data = {
        "pageNo": page_no,
        "pageSize": page_size,
        "totalCount": total,
        "totalPage": (total + page_size - 1) // page_size,
    }
    if not app.faults.malformed_every:
        cached = notices_json(app)
        app.serve_records(len(chosen))
        envelope = baidu_envelope([{**data, "notices": rendered.ROWS}])
        return Response(200, rendered.page(envelope, [cached[p] for p in chosen]))
    page = table.take(pa.array(chosen, pa.int64()))
    notices = _notices(page, index["text_time"].take(pa.array(chosen, pa.int64())))
    _corrupt_notices(app, notices)
    return json_bytes(baidu_envelope([{**data, "notices": notices}]))


def notices_json(app: SemEmulator) -> list[bytes]:
    """Every lead notice, rendered (see :mod:`rendered`)."""
    index = app.store.leads
    table = index["table"]
    times = index["text_time"]
    return app.rendered.rows(
        "notices",
        table,
        lambda at, count: _notices(table.slice(at, count), times.slice(at, count)),
    )


def _notices(page: pa.Table, commit_times: pa.Array) -> list[dict[str, Any]]:
    names = list(NOTICE_FIELDS)
    values = [page[NOTICE_FIELDS[n]].to_pylist() for n in names]
    names.append("commitTime")
    values.append(commit_times.to_pylist())
    notices = []
    for row in zip(*values, strict=True):
        notice = {k: v for k, v in zip(names, row, strict=True) if v is not None}
        notices.append(notice)
    return notices


def _corrupt_notices(app: SemEmulator, notices: list[dict[str, Any]]) -> None:
    for position, kind in corruptions(app, len(notices)):
        notice = notices[position]
        if kind == 0:
            notice["cluePhoneNumber"] = "12345"
        elif kind == 1:
            notice["commitTime"] = "2025-02-30 25:61:00"
        else:
            notice.pop("clueId", None)


def form_detail_example() -> str:
    """A formDetail value as Baidu sends it (a JSON array in a string), for docs and tests."""
    return json.dumps(
        [
            {"name": "姓名", "type": "name", "value": "张伟"},
            {"name": "电话", "type": "phone", "value": "13800138000"},
            {"name": "公司名称", "type": "company", "value": "上海云帆信息科技有限公司"},
        ],
        ensure_ascii=False,
    )
