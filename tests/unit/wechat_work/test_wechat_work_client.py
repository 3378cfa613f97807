"""The WeChat Work client's errcode handling: token refresh, retries, clear errors."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.client import RemoteDisconnected
from types import SimpleNamespace
from typing import Any

import pytest
import urllib3

from ingestion.wechat_work.helpers import (
    WeChatWorkApiError,
    WeChatWorkClient,
    WeChatWorkConnectionError,
    describe_errcode,
    make_pool_manager,
)
from ingestion.wechat_work.settings import ERRCODES, RATE_LIMIT_RETRIES


class ScriptedClient(WeChatWorkClient):
    """A client whose transport answers from a script: one payload per call, in order."""

    def __init__(self, answers: list[dict[str, Any]], **kwargs: Any) -> None:
        self.sleeps: list[float] = []
        super().__init__("http://api.test", "corp", "secret", sleep=self.sleeps.append, **kwargs)
        self.answers = list(answers)
        self.sent: list[tuple[str, dict[str, str]]] = []
        self.tokens_issued = 0

    def _send(self, method: str, path: str, params: dict[str, str], body: bytes | None) -> Any:
        self.sent.append((path, params))
        if path == "/cgi-bin/gettoken":
            self.tokens_issued += 1
            return {
                "errcode": 0,
                "errmsg": "ok",
                "access_token": f"T{self.tokens_issued}",
                "expires_in": 7200,
            }
        return self.answers.pop(0)


def error(code: int) -> dict[str, Any]:
    return {"errcode": code, "errmsg": f"error {code}"}


OK = {"errcode": 0, "errmsg": "ok", "follow_user": ["u1"]}


def data_calls(client: ScriptedClient) -> list[dict[str, str]]:
    return [params for path, params in client.sent if path != "/cgi-bin/gettoken"]


def test_token_is_fetched_once_and_sent_in_the_query_string() -> None:
    client = ScriptedClient([OK, OK])
    client.call("GET", "/x")
    client.call("GET", "/x")
    assert client.tokens_issued == 1
    assert [p["access_token"] for p in data_calls(client)] == ["T1", "T1"]


@pytest.mark.parametrize("code", [40014, 42001])
def test_token_error_refetches_the_token_once_and_retries(code: int) -> None:
    client = ScriptedClient([error(code), OK])
    assert client.call("GET", "/x") == OK
    assert client.tokens_issued == 2
    assert [p["access_token"] for p in data_calls(client)] == ["T1", "T2"]


def test_token_error_twice_in_a_row_fails_with_the_code() -> None:
    client = ScriptedClient([error(42001), error(42001)])
    with pytest.raises(WeChatWorkApiError, match=r"42001 \(access_token expired"):
        client.call("GET", "/x")
    assert client.tokens_issued == 2


def test_rate_limit_waits_the_configured_time_and_retries() -> None:
    client = ScriptedClient([error(45009), error(45009), OK], rate_limit_wait=60.0)
    assert client.call("GET", "/x") == OK
    assert client.sleeps == [60.0, 60.0]
    assert client.retries == {45009: 2}


def test_too_many_concurrent_calls_backs_off_briefly() -> None:
    client = ScriptedClient([error(45033), error(45033), OK], rate_limit_wait=60.0, busy_wait=0.5)
    assert client.call("GET", "/x") == OK
    assert client.sleeps == [0.5, 1.0]


def test_rate_limit_gives_up_after_its_retries() -> None:
    client = ScriptedClient([error(45009)] * (RATE_LIMIT_RETRIES + 1), rate_limit_wait=0.5)
    with pytest.raises(WeChatWorkApiError, match="45009"):
        client.call("GET", "/x")
    assert len(client.sleeps) == RATE_LIMIT_RETRIES


def test_busy_is_retried_three_times_with_growing_waits() -> None:
    client = ScriptedClient([error(-1), error(-1), error(-1), OK], busy_wait=0.5)
    assert client.call("GET", "/x") == OK
    assert client.sleeps == [0.5, 1.0, 2.0]


def test_busy_a_fourth_time_fails() -> None:
    client = ScriptedClient([error(-1)] * 4, busy_wait=0)
    with pytest.raises(WeChatWorkApiError, match=r"error -1 \(system busy"):
        client.call("GET", "/x")
    assert len(data_calls(client)) == 4


def test_other_errcodes_fail_at_once_naming_code_and_meaning() -> None:
    client = ScriptedClient([error(48002)])
    with pytest.raises(WeChatWorkApiError) as caught:
        client.call("POST", "/cgi-bin/externalcontact/batch/get_by_user", body={})
    assert caught.value.errcode == 48002
    message = str(caught.value)
    assert "48002" in message and "no permission" in message
    assert "/cgi-bin/externalcontact/batch/get_by_user" in message
    assert len(data_calls(client)) == 1


def test_errcode_given_as_a_string_is_understood() -> None:
    client = ScriptedClient([{"errcode": "0", "errmsg": "ok", "x": 1}])
    assert client.call("GET", "/x")["x"] == 1


def test_bad_secret_on_gettoken_is_a_clear_error() -> None:
    class BadSecret(ScriptedClient):
        def _send(self, method: str, path: str, params: dict[str, str], body: Any) -> Any:
            return error(40001)

    with pytest.raises(WeChatWorkApiError, match=r"40001 \(invalid corpsecret"):
        BadSecret([]).call("GET", "/x")


def test_every_errcode_of_sources_md_has_a_meaning() -> None:
    # The "Errors" list of the WeChat Work section of SOURCES.md.
    documented = {
        -1,
        40001,
        40014,
        42001,
        41001,
        40058,
        45009,
        45033,
        48002,
        60011,
        60020,
        84061,
        84074,
    }
    assert documented <= set(ERRCODES)
    assert all(ERRCODES[code] for code in documented)
    assert describe_errcode(99999).startswith("unknown errcode")


class FakePool:
    """Stands in for the urllib3 pool: answers (status, body) pairs or raises."""

    def __init__(self, answers: list[tuple[int, bytes] | Exception]) -> None:
        self.answers = list(answers)

    def request(self, *args: Any, **kwargs: Any) -> Any:
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        status, body = answer
        return SimpleNamespace(status=status, data=body)


TOKEN_ANSWER = (200, b'{"errcode":0,"access_token":"T","expires_in":7200}')


def test_a_dropped_connection_fails_the_call_clearly() -> None:
    client = WeChatWorkClient("http://api.test", "corp", "secret")
    dropped = urllib3.exceptions.ProtocolError("Connection aborted", RemoteDisconnected())
    client._pool = FakePool([TOKEN_ANSWER, dropped])
    with pytest.raises(WeChatWorkConnectionError, match="re-run the load"):
        client.call("GET", "/x")


def test_gateway_5xx_counts_as_busy() -> None:
    client = WeChatWorkClient("http://api.test", "corp", "secret", busy_wait=0)
    client._pool = FakePool(
        [TOKEN_ANSWER, (502, b"<html>bad gateway</html>"), (200, b'{"errcode":0,"ok":true}')]
    )
    assert client.call("GET", "/x")["ok"] is True
    assert client.retries == {-1: 1}


def test_a_body_that_is_not_json_is_a_clear_error() -> None:
    client = WeChatWorkClient("http://api.test", "corp", "secret")
    client._pool = FakePool([TOKEN_ANSWER, (200, b"<html>login</html>")])
    with pytest.raises(WeChatWorkApiError, match="not JSON"):
        client.call("GET", "/x")


def test_proxy_from_the_environment_is_used_except_for_bypassed_hosts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("https_proxy", "http://proxy.corp:3128")
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    assert isinstance(make_pool_manager("https://qyapi.weixin.qq.com"), urllib3.ProxyManager)
    assert not isinstance(make_pool_manager("http://127.0.0.1:8080"), urllib3.ProxyManager)


class CountingPool:
    """A pool that answers ok and records how many requests were in it at once."""

    def __init__(self) -> None:
        self.active = self.peak = 0
        self._lock = threading.Lock()

    def request(self, method: str, url: str, **kwargs: Any) -> Any:
        with self._lock:
            self.active += 1
            self.peak = max(self.peak, self.active)
        try:
            time.sleep(0.01)  # long enough for the other threads to queue up behind
            return SimpleNamespace(status=200, data=b'{"errcode":0,"access_token":"T"}')
        finally:
            with self._lock:
                self.active -= 1


def test_calls_in_flight_are_capped_across_threads() -> None:
    client = WeChatWorkClient("http://api.test", "corp", "secret", max_in_flight=2)
    client._pool = CountingPool()  # type: ignore[assignment]
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: client.call("GET", "/x"), range(16)))
    assert all(a["errcode"] == 0 for a in answers)
    assert client._pool.peak <= 2  # type: ignore[attr-defined]
