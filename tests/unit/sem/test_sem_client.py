"""Envelopes and error mapping of the Baidu and Ocean Engine clients (no network)."""

from __future__ import annotations

import json
import threading
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from ingestion.sem.helpers import (
    BaiduClient,
    ConnectionProblem,
    OceanClient,
    Refresh,
    Request,
    RetryPolicy,
    SemApiError,
    SemAuthError,
    read_baidu,
    read_ocean,
)

NO_WAIT = RetryPolicy(max_retries=3, backoff_seconds=0.0)


class FakeTransport:
    """Answers queued responses (or raises queued exceptions) and records the requests."""

    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)
        self.requests: list[Request] = []
        self._lock = threading.Lock()

    def __call__(self, request: Request) -> tuple[int, bytes]:
        with self._lock:
            self.requests.append(request)
            answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        status, body = answer
        return status, body if isinstance(body, bytes) else json.dumps(body).encode()

    def url(self, number: int) -> str:
        """The URL of request ``number`` without its query."""
        return self.requests[number].url.split("?", 1)[0]

    def json(self, number: int) -> Any:
        """The JSON body of request ``number``."""
        return json.loads(self.requests[number].body or b"null")

    def query(self, number: int) -> dict[str, str]:
        """The query parameters of request ``number``."""
        return dict(parse_qsl(urlsplit(self.requests[number].url).query))


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


def _baidu(
    transport: FakeTransport, refresh: Refresh | None = None, in_flight: int = 1
) -> BaiduClient:
    return BaiduClient(
        "http://baidu.test",
        "user",
        "tok",
        policy=NO_WAIT,
        refresh=refresh or Refresh(),
        transport=transport,
        max_in_flight=in_flight,
    )


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
    transport = FakeTransport(baidu_ok([{"rows": []}]))
    assert _baidu(transport).call("/json/sms/service/S/m", {"a": 1}) == [{"rows": []}]
    assert transport.requests[0].method == "POST"
    assert transport.url(0) == "http://baidu.test/json/sms/service/S/m"
    assert transport.json(0) == {
        "header": {"userName": "user", "accessToken": "tok"},
        "body": {"a": 1},
    }


def test_rate_limits_5xx_and_dropped_connections_are_retried() -> None:
    transport = FakeTransport(
        baidu_fail(421, status=3),
        (500, b"<html>"),
        (429, b""),
        ConnectionProblem("reset"),
        baidu_ok(["done"]),
    )
    client = _baidu(transport)
    client.policy = RetryPolicy(max_retries=4, backoff_seconds=0.0)
    assert client.call("/json/sms/service/S/m", {}) == ["done"]
    assert len(transport.requests) == 5


def test_retries_give_up_naming_the_last_problem() -> None:
    transport = FakeTransport(*[baidu_fail(421, status=3)] * 4)
    with pytest.raises(SemApiError, match="error code 421"):
        _baidu(transport).call("/json/sms/service/S/m", {})
    assert len(transport.requests) == 4  # one try and three retries


def test_other_failures_raise_at_once_with_their_code() -> None:
    transport = FakeTransport(baidu_fail(9105))
    with pytest.raises(SemApiError) as error:
        _baidu(transport).call("/json/sms/service/LeadsNoticeService/getNoticeList", {})
    assert error.value.code == 9105
    assert "baidu LeadsNoticeService/getNoticeList: error code 9105" in str(error.value)
    with pytest.raises(SemApiError, match="HTTP 404"):
        _baidu(FakeTransport((404, b"no"))).call("/x", {})


def test_token_errors_raise_without_refresh_credentials() -> None:
    with pytest.raises(SemAuthError) as error:
        _baidu(FakeTransport(baidu_fail(8402))).call("/x", {})
    assert error.value.code == 8402


def test_token_errors_refresh_once_then_retry() -> None:
    refreshed = (200, {"code": 0, "data": {"accessToken": "new", "refreshToken": "r2"}})
    transport = FakeTransport(baidu_fail(8402), refreshed, baidu_ok(["ok"]))
    refresh = Refresh("http://u.test", "app", "secret", "r1", "7")
    client = _baidu(transport, refresh)
    assert client.call("/x", {}) == ["ok"]
    assert transport.url(1) == "http://u.test/oauth/refreshToken"
    assert transport.json(1) == {
        "appId": "app",
        "secretKey": "secret",
        "refreshToken": "r1",
        "userId": "7",
    }
    assert transport.json(2)["header"]["accessToken"] == "new"
    assert client.refresh.refresh_token == "r2"
    # A token refused again right after a refresh is not refreshed in a loop.
    again = FakeTransport(baidu_fail(8402), refreshed, baidu_fail(8402))
    with pytest.raises(SemAuthError):
        _baidu(again, Refresh("http://u.test", "app", "secret", "r1")).call("/x", {})


def test_ocean_sends_the_token_header_and_json_lists() -> None:
    transport = FakeTransport((200, {"code": 0, "message": "OK", "data": {"list": [1]}}))
    client = OceanClient("http://ocean.test/", "tok", policy=NO_WAIT, transport=transport)
    assert client.get("/open_api/2/tools/clue/get/", {"advertiser_ids": [1, 2], "page": 1}) == {
        "list": [1]
    }
    assert transport.requests[0].method == "GET"
    assert transport.url(0) == "http://ocean.test/open_api/2/tools/clue/get/"
    assert transport.requests[0].headers == {"Access-Token": "tok"}
    assert transport.query(0) == {"advertiser_ids": "[1, 2]", "page": "1"}


def test_ocean_error_mapping() -> None:
    refreshed = (200, {"code": 0, "data": {"access_token": "new", "refresh_token": "r2"}})
    transport = FakeTransport(
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
        transport=transport,
        refresh=Refresh("http://o.test", "1", "s", "r1"),
    )
    assert client.get("/open_api/x/", {}) == {"ok": 1}
    assert transport.url(2) == "http://o.test/open_api/oauth2/refresh_token/"
    assert transport.requests[3].headers == {"Access-Token": "new"}
    with pytest.raises(SemApiError) as error:
        OceanClient(
            "http://o.test",
            "t",
            policy=NO_WAIT,
            transport=FakeTransport((200, {"code": 40002, "message": "bad"})),
        ).get("/open_api/2/tools/clue/get/", {})
    assert "ocean_engine 2/tools/clue/get: error code 40002" in str(error.value)


def test_codes_are_configurable() -> None:
    transport = FakeTransport(
        (200, {"code": 40999, "message": "new limit"}), (200, {"code": 0, "data": {"ok": 1}})
    )
    client = OceanClient(
        "http://o.test",
        "t",
        policy=NO_WAIT,
        transport=transport,
        retry_codes=frozenset({40999}),
    )
    assert client.get("/open_api/x/", {}) == {"ok": 1}


class TokenServer:
    """A fake Baidu that refuses every token but the newest refreshed one, thread-safe."""

    def __init__(self, accept_new: bool = True, in_call: threading.Barrier | None = None) -> None:
        self.accept_new = accept_new
        self.in_call = in_call
        self.refreshes = 0
        self.active = self.peak = 0
        self._lock = threading.Lock()

    def __call__(self, request: Request) -> tuple[int, bytes]:
        payload = json.loads(request.body or b"{}")
        if request.url.endswith("/oauth/refreshToken"):
            with self._lock:
                self.refreshes += 1
                token = f"new{self.refreshes}"
            return baidu_refreshed(token)
        with self._lock:
            self.active += 1
            self.peak = max(self.peak, self.active)
            newest = f"new{self.refreshes}"
        try:
            if self.in_call is not None:
                self.in_call.wait(timeout=5)  # hold the call until the others are in flight
            token = payload["header"]["accessToken"]
            ok = self.accept_new and token == newest and self.refreshes > 0
            body = baidu_ok([token]) if ok else baidu_fail(8402)
            return 200, json.dumps(body[1]).encode()
        finally:
            with self._lock:
                self.active -= 1


def baidu_refreshed(token: str) -> tuple[int, bytes]:
    return 200, json.dumps({"code": 0, "data": {"accessToken": token}}).encode()


def _call_in_threads(client: BaiduClient, calls: int) -> list[Any]:
    results: list[Any] = [None] * calls

    def call(number: int) -> None:
        try:
            results[number] = client.call("/x", {"n": number})
        except SemApiError as exc:
            results[number] = exc

    threads = [threading.Thread(target=call, args=(n,)) for n in range(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_a_token_refused_by_calls_in_flight_is_refreshed_once() -> None:
    server = TokenServer(in_call=threading.Barrier(4))
    refresh = Refresh("http://u.test", "app", "secret", "r1")
    client = BaiduClient(
        "http://b.test",
        "u",
        "tok",
        policy=NO_WAIT,
        refresh=refresh,
        transport=server,
        max_in_flight=4,
    )
    # The barrier holds each round of calls until all four are in flight: the first
    # round carries the old token, so four calls see it refused together.
    results = _call_in_threads(client, 4)
    assert results == [["new1"]] * 4
    assert server.refreshes == 1


def test_calls_in_flight_are_capped() -> None:
    server = TokenServer(in_call=None)
    server.refreshes = 1  # "new1" is valid
    client = BaiduClient("http://b.test", "u", "new1", transport=server, max_in_flight=2)
    assert _call_in_threads(client, 12) == [["new1"]] * 12
    assert server.peak <= 2


def test_refused_fresh_tokens_stop_after_one_refresh_per_call_in_flight() -> None:
    server = TokenServer(accept_new=False)
    refresh = Refresh("http://u.test", "app", "secret", "r1")
    client = BaiduClient(
        "http://b.test",
        "u",
        "tok",
        policy=NO_WAIT,
        refresh=refresh,
        transport=server,
        max_in_flight=2,
    )
    with pytest.raises(SemAuthError):
        client.call("/x", {})
    assert server.refreshes == 2
