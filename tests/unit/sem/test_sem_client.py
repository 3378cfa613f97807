"""Envelopes and error mapping of the Baidu and Ocean Engine clients (no network)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from ingestion.sem.helpers import (
    BaiduClient,
    OceanClient,
    Refresh,
    RetryPolicy,
    SemApiError,
    SemAuthError,
    read_baidu,
    read_ocean,
)

NO_WAIT = RetryPolicy(max_retries=3, backoff_seconds=0.0)


def _response(status: int, body: Any) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return response


class FakeSession:
    """Answers queued responses (or raises queued exceptions) and records the calls."""

    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def _next(self, url: str, **kwargs: Any) -> requests.Response:
        self.calls.append((url, kwargs))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return _response(*answer)

    post = _next
    get = _next


def baidu_ok(data: list[Any]) -> tuple[int, dict]:
    return 200, {"header": {"status": 0, "desc": "success", "failures": []}, "body": {"data": data}}


def baidu_fail(code: int, status: int = 2) -> tuple[int, dict]:
    return 200, {
        "header": {
            "status": status,
            "desc": "failure",
            "failures": [{"code": code, "message": f"m{code}", "position": ""}],
        },
        "body": {"data": []},
    }


def _baidu(session: FakeSession, refresh: Refresh | None = None) -> BaiduClient:
    return BaiduClient(
        "http://baidu.test",
        "user",
        "tok",
        policy=NO_WAIT,
        refresh=refresh or Refresh(),
        session=session,
    )  # type: ignore[arg-type]


def test_read_baidu_statuses() -> None:
    assert read_baidu(baidu_ok([1])[1]).data == [1]
    partial = baidu_ok([1])[1]
    partial["header"].update(status=1, failures=[{"code": 901, "message": "x"}])
    assert read_baidu(partial).ok  # partial failure still carries its body
    failed = read_baidu(baidu_fail(8402)[1])
    assert (failed.ok, failed.codes, failed.transient) == (False, [8402], False)
    assert read_baidu(baidu_fail(8601, status=3)[1]).transient


def test_read_ocean_codes() -> None:
    assert read_ocean({"code": 0, "data": {"list": []}}).data == {"list": []}
    assert read_ocean({"code": "40100", "message": "x"}).codes == [40100]
    assert read_ocean({"code": 51010, "message": "busy"}).transient
    assert not read_ocean({"code": 40002, "message": "bad"}).transient


def test_baidu_sends_the_header_and_returns_body_data() -> None:
    session = FakeSession(baidu_ok([{"rows": []}]))
    assert _baidu(session).call("/json/sms/service/S/m", {"a": 1}) == [{"rows": []}]
    url, kwargs = session.calls[0]
    assert url == "http://baidu.test/json/sms/service/S/m"
    assert kwargs["json"] == {
        "header": {"userName": "user", "accessToken": "tok"},
        "body": {"a": 1},
    }


def test_rate_limits_5xx_and_dropped_connections_are_retried() -> None:
    session = FakeSession(
        baidu_fail(421, status=3),
        (500, b"<html>"),
        (429, b""),
        requests.ConnectionError("reset"),
        baidu_ok(["done"]),
    )
    client = _baidu(session)
    client.policy = RetryPolicy(max_retries=4, backoff_seconds=0.0)
    assert client.call("/json/sms/service/S/m", {}) == ["done"]
    assert len(session.calls) == 5


def test_retries_give_up_naming_the_last_problem() -> None:
    session = FakeSession(*[baidu_fail(421, status=3)] * 4)
    with pytest.raises(SemApiError, match="error code 421"):
        _baidu(session).call("/json/sms/service/S/m", {})
    assert len(session.calls) == 4  # one try and three retries


def test_other_failures_raise_at_once_with_their_code() -> None:
    session = FakeSession(baidu_fail(9105))
    with pytest.raises(SemApiError) as error:
        _baidu(session).call("/json/sms/service/LeadsNoticeService/getNoticeList", {})
    assert error.value.code == 9105
    assert "baidu LeadsNoticeService/getNoticeList: error code 9105" in str(error.value)
    with pytest.raises(SemApiError, match="HTTP 404"):
        _baidu(FakeSession((404, b"no"))).call("/x", {})


def test_token_errors_raise_without_refresh_credentials() -> None:
    with pytest.raises(SemAuthError) as error:
        _baidu(FakeSession(baidu_fail(8402))).call("/x", {})
    assert error.value.code == 8402


def test_token_errors_refresh_once_then_retry() -> None:
    refreshed = (200, {"code": 0, "data": {"accessToken": "new", "refreshToken": "r2"}})
    session = FakeSession(baidu_fail(8402), refreshed, baidu_ok(["ok"]))
    refresh = Refresh("http://u.test", "app", "secret", "r1", "7")
    client = _baidu(session, refresh)
    assert client.call("/x", {}) == ["ok"]
    assert session.calls[1][0] == "http://u.test/oauth/refreshToken"
    assert session.calls[1][1]["json"] == {
        "appId": "app",
        "secretKey": "secret",
        "refreshToken": "r1",
        "userId": "7",
    }
    assert session.calls[2][1]["json"]["header"]["accessToken"] == "new"
    assert client.refresh.refresh_token == "r2"
    # A token refused again right after a refresh is not refreshed in a loop.
    again = FakeSession(baidu_fail(8402), refreshed, baidu_fail(8402))
    with pytest.raises(SemAuthError):
        _baidu(again, Refresh("http://u.test", "app", "secret", "r1")).call("/x", {})


def test_ocean_sends_the_token_header_and_json_lists() -> None:
    session = FakeSession((200, {"code": 0, "message": "OK", "data": {"list": [1]}}))
    client = OceanClient("http://ocean.test/", "tok", policy=NO_WAIT, session=session)  # type: ignore[arg-type]
    assert client.get("/open_api/2/tools/clue/get/", {"advertiser_ids": [1, 2], "page": 1}) == {
        "list": [1]
    }
    url, kwargs = session.calls[0]
    assert url == "http://ocean.test/open_api/2/tools/clue/get/"
    assert kwargs["headers"] == {"Access-Token": "tok"}
    assert kwargs["params"] == {"advertiser_ids": "[1, 2]", "page": 1}


def test_ocean_error_mapping() -> None:
    refreshed = (200, {"code": 0, "data": {"access_token": "new", "refresh_token": "r2"}})
    session = FakeSession(
        (200, {"code": 40100, "message": "slow down"}),
        (200, {"code": 40102, "message": "expired"}),
        refreshed,
        (200, {"code": 50000, "message": "busy"}),
        (200, {"code": 0, "data": {"ok": 1}}),
    )
    client = OceanClient(
        "http://o.test",
        "tok",
        policy=NO_WAIT,
        session=session,  # type: ignore[arg-type]
        refresh=Refresh("http://o.test", "1", "s", "r1"),
    )
    assert client.get("/open_api/x/", {}) == {"ok": 1}
    assert session.calls[2][0] == "http://o.test/open_api/oauth2/refresh_token/"
    assert session.calls[3][1]["headers"] == {"Access-Token": "new"}
    with pytest.raises(SemApiError) as error:
        OceanClient(
            "http://o.test",
            "t",
            policy=NO_WAIT,
            session=FakeSession((200, {"code": 40002, "message": "bad"})),  # type: ignore[arg-type]
        ).get("/open_api/2/tools/clue/get/", {})
    assert "ocean_engine 2/tools/clue/get: error code 40002" in str(error.value)


def test_codes_are_configurable() -> None:
    session = FakeSession(
        (200, {"code": 40999, "message": "new limit"}), (200, {"code": 0, "data": {"ok": 1}})
    )
    client = OceanClient(
        "http://o.test",
        "t",
        policy=NO_WAIT,
        session=session,  # type: ignore[arg-type]
        retry_codes=frozenset({40999}),
    )
    assert client.get("/open_api/x/", {}) == {"ok": 1}
