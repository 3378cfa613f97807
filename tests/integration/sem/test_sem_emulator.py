"""The SEM emulator speaks Baidu's and Ocean Engine's protocols, errors and faults."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import requests
from sem_harness import advertiser_ids, world

from sandbox.emulators.base import Faults, RunningEmulator
from sandbox.emulators.sem import (
    BAIDU_ACCESS_TOKEN,
    BAIDU_APP_ID,
    BAIDU_REFRESH_TOKEN,
    BAIDU_SECRET_KEY,
    BAIDU_USER_NAME,
    OCEAN_ACCESS_TOKEN,
    OCEAN_APP_ID,
    OCEAN_REFRESH_TOKEN,
    OCEAN_SECRET,
)
from sandbox.emulators.sem.store import china_time_strings

REPORT = "/json/sms/service/OpenApiReportService/getReportData"
NOTICES = "/json/sms/service/LeadsNoticeService/getNoticeList"
CLUES = "/open_api/2/tools/clue/get/"
CUSTOM = "/open_api/v3.0/report/custom/get/"


def baidu(
    server: RunningEmulator,
    path: str,
    body: dict[str, Any],
    token: str = BAIDU_ACCESS_TOKEN,
    user: str = BAIDU_USER_NAME,
) -> requests.Response:
    header = {"userName": user, "accessToken": token}
    return requests.post(server.url + path, json={"header": header, "body": body}, timeout=10)


def ocean(
    server: RunningEmulator, path: str, params: dict[str, Any], token: str = OCEAN_ACCESS_TOKEN
) -> requests.Response:
    query = {k: json.dumps(v) if isinstance(v, list) else v for k, v in params.items()}
    return requests.get(
        server.url + path, params=query, headers={"Access-Token": token}, timeout=10
    )


def keyword_body(**changes: Any) -> dict[str, Any]:
    body = {
        "reportType": 2602783,
        "timeUnit": "DAY",
        "startDate": "2025-01-01",
        "endDate": "2027-12-31",
        "columns": ["date", "keywordId", "wInfoNameStatus", "campaignId", "cost", "ctr"],
        "filters": [],
        "startRow": 0,
        "rowCount": 10_000,
    }
    body.update(changes)
    return body


def first_failure(response: requests.Response) -> tuple[int, int]:
    header = response.json()["header"]
    return header["status"], header["failures"][0]["code"]


def test_keyword_report_pages_cover_the_world(
    start_emulator: Callable[..., RunningEmulator],
) -> None:
    server = start_emulator()
    rows: list[dict] = []
    start = 0
    while True:
        data = baidu(server, REPORT, keyword_body(startRow=start, rowCount=500)).json()
        block = data["body"]["data"][0]
        rows += block["rows"]
        start += block["rowCount"]
        if start >= block["totalRowCount"]:
            break
    table = world(server.app.sandbox_dir, "baidu_keyword_daily")
    assert len(rows) == table.num_rows
    assert sum(Decimal(str(r["cost"])) for r in rows) == pc.sum(table["cost"]).as_py()
    deleted = set(server.app.store.deleted_keywords.to_pylist())
    assert all(
        r["wInfoNameStatus"].endswith("[已删除]") == (r["keywordId"] in deleted) for r in rows
    )


def test_campaign_report_sums_keywords(start_emulator: Callable[..., RunningEmulator]) -> None:
    server = start_emulator()
    body = keyword_body(reportType=2290316, columns=["date", "campaignId", "click", "cost"])
    rows = baidu(server, REPORT, body).json()["body"]["data"][0]["rows"]
    keywords = world(server.app.sandbox_dir, "baidu_keyword_daily")
    assert sum(r["click"] for r in rows) == pc.sum(keywords["click"]).as_py()
    assert len({(r["date"], r["campaignId"]) for r in rows}) == len(rows)


def test_baidu_refusals(start_emulator: Callable[..., RunningEmulator]) -> None:
    server = start_emulator()
    assert first_failure(baidu(server, REPORT, keyword_body(), token="nope")) == (2, 8402)
    assert first_failure(baidu(server, REPORT, keyword_body(), token="")) == (2, 8401)
    assert first_failure(baidu(server, REPORT, keyword_body(), user="x")) == (2, 8102)
    wide = {"startDate": "2025-01-01", "endDate": "2025-03-01", "pageNo": 1, "pageSize": 10}
    assert first_failure(baidu(server, NOTICES, wide)) == (2, 9105)
    assert first_failure(baidu(server, REPORT, keyword_body(columns=["bogus"]))) == (2, 9105)


def test_notices_carry_china_time_and_a_form(
    start_emulator: Callable[..., RunningEmulator],
) -> None:
    server = start_emulator()
    body = {"startDate": "2025-01-01", "endDate": "2025-01-30", "pageNo": 1, "pageSize": 1000}
    block = baidu(server, NOTICES, body).json()["body"]["data"][0]
    assert block["totalCount"] == len(block["notices"]) > 0
    notice = block["notices"][0]
    assert len(notice["commitTime"]) == 19 and notice["commitTime"][10] == " "
    assert isinstance(json.loads(notice["formDetail"]), list)


def test_clues_mix_id_types_and_fill_in_late(
    start_emulator: Callable[..., RunningEmulator],
) -> None:
    server = start_emulator()
    params = {
        "advertiser_ids": advertiser_ids(server.app.sandbox_dir),
        "start_time": "2025-01-01",
        "end_time": "2027-12-31",
        "page": 1,
        "page_size": 1000,
    }
    data = ocean(server, CLUES, params).json()
    assert data["code"] == 0 and data["request_id"]
    clues = data["data"]["list"]
    info = data["data"]["page_info"]
    assert info["total_number"] == world(server.app.sandbox_dir, "douyin_clues").num_rows
    assert info["total_page"] == -(-info["total_number"] // 1000)
    assert {type(c["clue_id"]) for c in clues} == {int, str}
    cutoff = server.app.now - dt.timedelta(minutes=10)
    young = china_time_strings(pa.array([cutoff]))[0].as_py()
    assert all(("app_name" in c) == (c["create_time_detail"] <= young) for c in clues)
    new = server.app.add_douyin_clues(1)
    late = ocean(server, CLUES, params).json()["data"]["list"]
    assert next(c for c in late if str(c["clue_id"]) == new[0]).get("app_name") is None
    server.app.advance(11)
    later = ocean(server, CLUES, params).json()["data"]["list"]
    assert next(c for c in later if str(c["clue_id"]) == new[0])["app_name"]


def test_ocean_refusals(start_emulator: Callable[..., RunningEmulator]) -> None:
    server = start_emulator()
    base = {
        "advertiser_id": advertiser_ids(server.app.sandbox_dir)[0],
        "dimensions": ["stat_time_day", "cdp_promotion_id"],
        "metrics": ["stat_cost"],
        "start_time": "2025-01-01",
        "end_time": "2025-01-30",
        "page": 1,
        "page_size": 100,
    }
    assert ocean(server, CUSTOM, base).json()["code"] == 0
    assert ocean(server, CUSTOM, base, token="nope").json()["code"] == 40105
    assert ocean(server, CUSTOM, {**base, "end_time": "2025-02-28"}).json()["code"] == 40002
    assert ocean(server, CUSTOM, {**base, "page_size": 5000}).json()["code"] == 40002


def test_faults_answer_like_the_real_systems(
    start_emulator: Callable[..., RunningEmulator],
) -> None:
    server = start_emulator(Faults(rate_limit_every=2))
    assert baidu(server, REPORT, keyword_body()).json()["header"]["status"] == 0
    assert first_failure(baidu(server, REPORT, keyword_body())) == (3, 421)
    ocean(server, CLUES, {})  # call 3
    limited = ocean(server, CLUES, {"advertiser_ids": [1]})
    assert limited.json()["code"] == 40100
    server.app.faults = Faults(server_error_every=1)
    answers = [baidu(server, REPORT, keyword_body()) for _ in range(2)]
    assert sorted(a.status_code for a in answers) == [200, 500]
    assert [first_failure(a) for a in answers if a.status_code == 200] == [(3, 8601)]


def test_tokens_expire_and_refresh(start_emulator: Callable[..., RunningEmulator]) -> None:
    server = start_emulator(Faults(token_ttl_calls=1))
    assert baidu(server, REPORT, keyword_body()).json()["header"]["status"] == 0
    assert first_failure(baidu(server, REPORT, keyword_body())) == (2, 8402)
    refreshed = requests.post(
        server.url + "/oauth/refreshToken",
        json={
            "appId": BAIDU_APP_ID,
            "secretKey": BAIDU_SECRET_KEY,
            "refreshToken": BAIDU_REFRESH_TOKEN,
            "userId": 1,
        },
        timeout=10,
    ).json()
    token = refreshed["data"]["accessToken"]
    assert baidu(server, REPORT, keyword_body(), token=token).json()["header"]["status"] == 0
    params = {"advertiser_ids": [1], "start_time": "2025-01-01", "end_time": "2025-01-02"}
    assert ocean(server, CLUES, params).json()["code"] == 0
    assert ocean(server, CLUES, params).json()["code"] == 40102
    answer = requests.post(
        server.url + "/open_api/oauth2/refresh_token/",
        json={
            "app_id": OCEAN_APP_ID,
            "secret": OCEAN_SECRET,
            "grant_type": "refresh_token",
            "refresh_token": OCEAN_REFRESH_TOKEN,
        },
        timeout=10,
    ).json()
    assert ocean(server, CLUES, params, token=answer["data"]["access_token"]).json()["code"] == 0
    bad = requests.post(
        server.url + "/open_api/oauth2/refresh_token/",
        json={"app_id": OCEAN_APP_ID, "secret": "guess", "refresh_token": "x"},
        timeout=10,
    ).json()
    assert bad["code"] == 40103


def test_control_routes(start_emulator: Callable[..., RunningEmulator]) -> None:
    server = start_emulator()
    before = server.app.data_calls
    added = requests.post(
        server.url + "/_sandbox/sem/baidu_leads", json={"count": 2}, timeout=10
    ).json()["clue_ids"]
    assert len(added) == 2
    was = server.app.now
    moved = requests.post(
        server.url + "/_sandbox/sem/clock", json={"advance_minutes": 30}, timeout=10
    ).json()["now"]
    assert moved == server.app.now.isoformat()
    assert (server.app.now - was).total_seconds() == 1800
    assert server.app.data_calls == before  # control calls are not data calls


def test_prerendered_pages_equal_pages_built_per_request(
    start_emulator: Callable[..., RunningEmulator],
) -> None:
    server = start_emulator()
    server.app.add_douyin_clues(2)  # young clues: rendered without their late fields
    report = keyword_body(
        columns=["date", "userName", "campaignId", "keywordId", "wInfoNameStatus", "cost"],
        startRow=300,
        rowCount=700,
    )
    campaign = world(server.app.sandbox_dir, "baidu_keyword_daily")["campaign_id"][0].as_py()
    in_one = [{"column": "campaignId", "operator": "IN", "values": [campaign]}]
    filtered = keyword_body(columns=report["columns"], filters=in_one)
    notices = {"startDate": "2025-05-01", "endDate": "2025-05-30", "pageNo": 2, "pageSize": 5}
    clues = {
        "advertiser_ids": advertiser_ids(server.app.sandbox_dir),
        "start_time": "2025-01-01",
        "end_time": "2027-12-31",
        "page": 1,
        "page_size": 1000,
    }

    def pages() -> list[Any]:
        answers = [baidu(server, REPORT, b).json()["body"] for b in (report, filtered)]
        answers.append(baidu(server, NOTICES, notices).json()["body"])
        answers.append(ocean(server, CLUES, clues).json()["data"])  # request ids differ
        return answers

    prerendered = pages()
    # Any malformed_every takes the per-request path; records this early stay intact.
    server.app.faults.malformed_every = 10**9
    assert pages() == prerendered
    rows = [prerendered[0]["data"][0]["rows"], prerendered[1]["data"][0]["rows"]]
    assert len(rows[0]) == 700 and rows[1]
    assert prerendered[2]["data"][0]["notices"] and prerendered[3]["list"]
