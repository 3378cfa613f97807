"""Ocean Engine 巨量引擎 routes: lead clues and the daily promotion report.

``GET /open_api/2/tools/clue/get/`` serves clues; ``GET /open_api/v3.0/report/custom/
get/`` (the "custom report" of the v3.0 API) serves one row per day x promotion
with dimensions ``stat_time_day, cdp_promotion_id, cdp_promotion_name`` and
metrics ``stat_cost, show_cnt, click_cnt``. Both take the token in the
``Access-Token`` header and JSON-encoded lists in the query string.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc

from sandbox.emulators.base import Request, Response
from sandbox.emulators.sem import rendered
from sandbox.emulators.sem.faults import (
    corruptions,
    json_bytes,
    ocean_envelope,
    ocean_failure,
    page_info,
)
from sandbox.emulators.sem.store import CHINA_TZ, day_number, micros, time_range

if TYPE_CHECKING:
    from sandbox.emulators.sem.app import SemEmulator

REPORT_PATH = "/open_api/v3.0/report/custom/get/"
DIMENSIONS = {"stat_time_day", "cdp_promotion_id", "cdp_promotion_name"}
METRICS = {"stat_cost": "cost", "show_cnt": "show_cnt", "click_cnt": "click_cnt"}
CLUE_FIELDS = (
    "promotion_name",
    "clue_type",
    "clue_source",
    "name",
    "telephone",
    "gender",
    "email",
    "weixin",
    "province_name",
    "city_name",
    "app_name",
    "clue_state",
)


class BadRequestError(ValueError):
    """A request the real API would refuse with a parameter error."""


def _id_list(value: str | None) -> list[int]:
    """``advertiser_ids`` as JSON (``[1,2]``, ``["1"]``) or a comma list."""
    if not value:
        return []
    text = value.strip()
    items = json.loads(text) if text.startswith("[") else text.split(",")
    return [int(str(item).strip()) for item in items if str(item).strip()]


def _moment(text: str, end: bool) -> dt.datetime:
    """A start_time/end_time (China time); a bare date covers the whole day."""
    if len(text) == 10:
        day = dt.date.fromisoformat(text) + dt.timedelta(days=1 if end else 0)
        return dt.datetime.combine(day, dt.time(), CHINA_TZ)
    parsed = dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=CHINA_TZ)
    return parsed + dt.timedelta(seconds=1 if end else 0)


def _paging(app: SemEmulator, query: dict[str, str]) -> tuple[int, int]:
    page = int(query.get("page") or 1)
    page_size = int(query.get("page_size") or 10)
    if page < 1 or not 1 <= page_size <= app.ocean_max_page:
        raise BadRequestError(f"page_size must be 1-{app.ocean_max_page}, page >= 1")
    return page, page_size


def _flex_id(value: Any, as_text: bool) -> Any:
    """Ocean Engine ids arrive as numbers or as strings: serve both."""
    if value is None:
        return None
    text = str(value)
    return text if as_text or not text.isdigit() else int(text)


def get_clues(app: SemEmulator, request: Request) -> Response:
    """``2/tools/clue/get/``: clues of some advertisers created in a time window."""
    request_id = app.request_id()
    refused = app.gate("ocean", request.headers.get("access-token"), request_id)
    if refused is not None:
        return refused
    query = request.query
    try:
        advertisers = _id_list(query.get("advertiser_ids"))
        if not advertisers:
            raise BadRequestError("advertiser_ids is required")
        start = _moment(query["start_time"], False)
        end = _moment(query["end_time"], True)
        page, page_size = _paging(app, query)
    except (BadRequestError, KeyError, ValueError) as exc:
        return ocean_failure(app.codes.ocean_bad_request, f"参数错误: {exc}", request_id)
    index = app.store.clues
    table: pa.Table = index["table"]
    lo, hi = time_range(index, micros(start), micros(end))
    wanted = pa.array(advertisers, pa.int64())
    mask = pc.is_in(table["advertiser_id"].slice(lo, hi - lo), value_set=wanted)
    positions = np.nonzero(mask.to_numpy(zero_copy_only=False))[0] + lo
    chosen = positions[(page - 1) * page_size : page * page_size]
    info = page_info(page, page_size, len(positions))
    limit = micros(app.now - dt.timedelta(minutes=app.late_minutes))
    young = index["micros"][chosen] > limit
    if not app.faults.malformed_every:
        cached = clues_json(app)
        rows = [cached[p] for p in chosen]
        for at in np.nonzero(young)[0].tolist():  # clues of the last minutes lack late fields
            row = int(chosen[at])
            fresh = _clue_rows(app, table.slice(row, 1), index["text_time"][row : row + 1], [True])
            rows[at] = orjson.dumps(fresh[0])
        app.serve_records(len(rows))
        envelope = ocean_envelope({"list": rendered.ROWS, "page_info": info}, request_id)
        return Response(200, rendered.page(envelope, rows))
    taken = pa.array(chosen, pa.int64())
    rows = _clue_rows(app, table.take(taken), index["text_time"].take(taken), young.tolist())
    _corrupt_clues(app, rows)
    return json_bytes(ocean_envelope({"list": rows, "page_info": info}, request_id))


def clues_json(app: SemEmulator) -> list[bytes]:
    """Every clue as sent once its late fields are filled in (see :mod:`rendered`)."""
    index = app.store.clues
    table = index["table"]
    times = index["text_time"]
    return app.rendered.rows(
        "clues",
        table,
        lambda at, n: _clue_rows(app, table.slice(at, n), times.slice(at, n), [False] * n),
    )


def _clue_rows(
    app: SemEmulator, page: pa.Table, times: pa.Array, young: list[bool]
) -> list[dict[str, Any]]:
    """Clues as the API sends them; ``young`` ones (minutes old) lack ``app.late_fields``."""
    columns = {name: page[name].to_pylist() for name in CLUE_FIELDS if name in page.column_names}
    clue_ids = page["clue_id"].to_pylist()
    advertisers = page["advertiser_id"].to_pylist()
    promotions = page["promotion_id"].to_pylist()
    remarks = page["remark_dict_json"].to_pylist()
    details = times.to_pylist()
    rows = []
    for i, clue_id in enumerate(clue_ids):
        row: dict[str, Any] = {
            "clue_id": _flex_id(clue_id, as_text=hash_bit(clue_id)),
            "advertiser_id": _flex_id(advertisers[i], as_text=advertisers[i] % 3 == 0),
            "promotion_id": _flex_id(promotions[i], as_text=(promotions[i] or 0) % 2 == 1),
            "create_time": details[i][:10],
            "create_time_detail": details[i],
        }
        for name, values in columns.items():
            if values[i] is not None:
                row[name] = values[i]
        if remarks[i]:
            row["remark_dict"] = orjson.loads(remarks[i])
        if young[i]:
            for name in app.late_fields:
                row.pop(name, None)
        rows.append(row)
    return rows


def hash_bit(value: Any) -> bool:
    """A stable coin flip per id (whether it is sent as a string)."""
    text = str(value)
    return (int(text[-3:]) if text[-3:].isdigit() else len(text)) % 2 == 1


def _corrupt_clues(app: SemEmulator, rows: list[dict[str, Any]]) -> None:
    for position, kind in corruptions(app, len(rows)):
        row = rows[position]
        if kind == 0:
            row["telephone"] = "12345"
        elif kind == 1:
            row["create_time_detail"] = "2025-02-30 25:61:00"
        else:
            row.pop("clue_id", None)


def get_custom_report(app: SemEmulator, request: Request) -> Response:
    """``v3.0/report/custom/get/``: daily promotion rows of one advertiser (<= 30 days)."""
    request_id = app.request_id()
    refused = app.gate("ocean", request.headers.get("access-token"), request_id)
    if refused is not None:
        return refused
    query = request.query
    try:
        advertiser = int(query["advertiser_id"])
        dimensions = json.loads(query.get("dimensions") or "[]")
        metrics = json.loads(query.get("metrics") or "[]")
        if not {"stat_time_day", "cdp_promotion_id"} <= set(dimensions) <= DIMENSIONS:
            raise BadRequestError(f"dimensions must be within {sorted(DIMENSIONS)}")
        if not metrics or not set(metrics) <= set(METRICS):
            raise BadRequestError(f"metrics must be within {sorted(METRICS)}")
        first = dt.date.fromisoformat(query["start_time"][:10])
        last = dt.date.fromisoformat(query["end_time"][:10])
        if last < first or (last - first).days + 1 > app.ocean_report_max_days:
            raise BadRequestError(f"时间跨度不能超过{app.ocean_report_max_days}天")
        page, page_size = _paging(app, query)
    except (BadRequestError, KeyError, ValueError) as exc:
        return ocean_failure(app.codes.ocean_bad_request, f"参数错误: {exc}", request_id)
    store = app.store
    a_lo = int(np.searchsorted(store.promotion_advertisers, advertiser, "left"))
    a_hi = int(np.searchsorted(store.promotion_advertisers, advertiser, "right"))
    days = store.promotion_days[a_lo:a_hi]
    lo = a_lo + int(np.searchsorted(days, day_number(first), "left"))
    hi = a_lo + int(np.searchsorted(days, day_number(last), "right"))
    total = hi - lo
    start = lo + (page - 1) * page_size
    part = store.promotions.slice(start, max(0, min(page_size, hi - start)))
    rows = _report_rows(part, dimensions, metrics)
    _corrupt_report(app, rows)
    block = store.promotions.slice(lo, total)
    totals = {m: _text(pc.sum(block[METRICS[m]]).as_py() or 0) for m in metrics}
    data = {"rows": rows, "total_metrics": totals, "page_info": page_info(page, page_size, total)}
    return json_bytes(ocean_envelope(data, request_id))


def _text(value: Any) -> str:
    return f"{value:.2f}" if not isinstance(value, int) else str(value)


def _report_rows(part: pa.Table, dimensions: list[str], metrics: list[str]) -> list[dict]:
    days = pc.cast(part["stat_date"], pa.string()).to_pylist()
    ids = part["promotion_id"].to_pylist()
    names = part["promotion_name"].to_pylist()
    values = {m: part[METRICS[m]].to_pylist() for m in metrics}
    rows = []
    for i, day in enumerate(days):
        dims = {"stat_time_day": day, "cdp_promotion_id": str(ids[i])}
        if "cdp_promotion_name" in dimensions:
            dims["cdp_promotion_name"] = names[i]
        rows.append({"dimensions": dims, "metrics": {m: _text(values[m][i]) for m in metrics}})
    return rows


def _corrupt_report(app: SemEmulator, rows: list[dict]) -> None:
    for position, kind in corruptions(app, len(rows)):
        row = rows[position]
        if kind == 0 and "stat_cost" in row["metrics"]:
            row["metrics"]["stat_cost"] = "--"
        elif kind == 1 and "show_cnt" in row["metrics"]:
            row["metrics"]["show_cnt"] = "-"
        else:
            row["dimensions"]["stat_time_day"] = "2025-02-30"
