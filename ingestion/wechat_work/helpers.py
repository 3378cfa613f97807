"""HTTP side of the WeChat Work source: the access token, errcode handling and paging.

Every answer of the real API is HTTP 200 with ``errcode``: success iff it is 0.
The client fetches and caches the token, refetches it once when a call answers
40014/42001, waits and retries on the rate limits (45009, 45033), retries -1
(system busy) up to three times and turns any other errcode into a
:class:`WeChatWorkApiError` that names the code and what it means. A lost
connection is not retried: the run fails with :class:`WeChatWorkConnectionError`
and the next run starts over (contacts are merged on their keys, so nothing
duplicates).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlencode, urlsplit
from urllib.request import getproxies, proxy_bypass

import orjson
import urllib3

from ingestion.wechat_work.limits import CallLimiter
from ingestion.wechat_work.settings import (
    BATCH_GET_BY_USER_PATH,
    BEHAVIOR_PATH,
    BEHAVIOR_WINDOW_DAYS,
    BUSY_RETRIES,
    ERRCODE_BUSY,
    ERRCODE_TOO_MANY_CONCURRENT,
    ERRCODES,
    FOLLOW_USER_LIST_PATH,
    PAGE_LIMIT,
    RATE_LIMIT_ERRCODES,
    RATE_LIMIT_RETRIES,
    TOKEN_ERRCODES,
    TOKEN_EXPIRY_MARGIN_SECONDS,
    TOKEN_PATH,
)

log = logging.getLogger(__name__)

CHINA_TZ = dt.timezone(dt.timedelta(hours=8))
_EPOCH = dt.date(1970, 1, 1)


def describe_errcode(errcode: int) -> str:
    """What an errcode means, in words (``"unknown errcode"`` if not in the table)."""
    return ERRCODES.get(errcode, "unknown errcode (see https://developer.work.weixin.qq.com)")


class WeChatWorkApiError(RuntimeError):
    """The API answered with an errcode the client does not (or no longer) retry."""

    def __init__(self, errcode: int, errmsg: str, path: str) -> None:
        super().__init__(
            f"WeChat Work API error {errcode} ({describe_errcode(errcode)}) on {path}: {errmsg}"
        )
        self.errcode = errcode
        self.errmsg = errmsg
        self.path = path


class WeChatWorkConnectionError(RuntimeError):
    """The connection failed or closed without an answer; the run stops, a re-run resumes."""


def china_midnight(day: dt.date) -> int:
    """Unix seconds of China-time midnight starting a date."""
    return (day - _EPOCH).days * 86400 - 8 * 3600


def china_date(unix_seconds: int) -> dt.date:
    """The China-time date holding a unix time."""
    return _EPOCH + dt.timedelta(days=(unix_seconds + 8 * 3600) // 86400)


def china_today() -> dt.date:
    """Today's date in China time (the API's statistics day)."""
    return dt.datetime.now(CHINA_TZ).date()


def split_windows(first: dt.date, last: dt.date, max_days: int) -> list[tuple[dt.date, dt.date]]:
    """Split the days ``first..last`` (both included) into windows of at most ``max_days``.

    Returns:
        ``(window_first, window_last)`` pairs in order; empty when ``last < first``.
    """
    if max_days < 1:
        raise ValueError("max_days must be at least 1")
    windows = []
    start = first
    while start <= last:
        end = min(last, start + dt.timedelta(days=max_days - 1))
        windows.append((start, end))
        start = end + dt.timedelta(days=1)
    return windows


def behavior_plan(
    userids: list[str],
    last_loaded: dict[str, str],
    today: dt.date,
    behavior_days: int,
    repull_days: int,
) -> list[tuple[str, dt.date, dt.date]]:
    """The statistics calls of one run: ``(userid, first_day, last_day)`` per ≤ 30-day window.

    Args:
        userids: Members to read.
        last_loaded: userid -> ISO date of the newest day loaded before (resource state).
        today: The API's today (China time).
        behavior_days: Days of history to cover, today included.
        repull_days: Days up to the newest loaded one that are read again, since
            the API backfills them.

    Returns:
        A member seen for the first time gets ``behavior_days`` of history; a known
        one the days after its newest loaded day plus ``repull_days`` before it.
    """
    oldest = today - dt.timedelta(days=behavior_days - 1)
    plan = []
    for userid in userids:
        first = oldest
        if userid in last_loaded:
            newest = dt.date.fromisoformat(last_loaded[userid])
            first = max(oldest, newest - dt.timedelta(days=repull_days - 1))
        plan.extend((userid, a, b) for a, b in split_windows(first, today, BEHAVIOR_WINDOW_DAYS))
    return plan


def make_pool_manager(base_url: str) -> urllib3.PoolManager:
    """A thread-safe keep-alive connection pool, through the environment's proxy if any.

    urllib3 directly rather than requests: it costs a third of the time per call,
    which matters at 100 records per page.
    """
    parts = urlsplit(base_url)
    proxy = getproxies().get(parts.scheme)
    if proxy and not proxy_bypass(parts.hostname or ""):
        return urllib3.ProxyManager(proxy, maxsize=16)
    return urllib3.PoolManager(maxsize=16)


class WeChatWorkClient:
    """A thread-safe client of the WeChat Work server API.

    Args:
        base_url: ``https://qyapi.weixin.qq.com`` or an emulator's URL.
        corpid: The company id.
        corpsecret: The secret of the app with customer-contact permission.
        rate_limit_wait: Seconds to wait after 45009/45033 (the real block lasts 60 s).
        busy_wait: Seconds before the first retry of -1; doubles on each further retry.
        timeout: Seconds per HTTP request.
        sleep: Waits between retries (tests pass a fake).
        limiter: Call limits (default: under the API's 10,000/min and 150,000/h).
        max_in_flight: Calls sent at once, whichever threads send them (the contacts
            crawl and the statistics run side by side).
    """

    def __init__(
        self,
        base_url: str,
        corpid: str,
        corpsecret: str,
        *,
        rate_limit_wait: float = 60.0,
        busy_wait: float = 1.0,
        timeout: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
        limiter: CallLimiter | None = None,
        max_in_flight: int = 4,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.corpid = corpid
        self.corpsecret = corpsecret
        self.rate_limit_wait = rate_limit_wait
        self.busy_wait = busy_wait
        self.timeout = timeout
        self.sleep = sleep
        self.calls = 0
        self.token_fetches = 0
        self.retries: dict[int, int] = {}
        self._token: str | None = None
        self._token_deadline = 0.0
        self._lock = threading.Lock()  # counters and caches
        self._token_lock = threading.Lock()  # one token fetch at a time
        self._pool = make_pool_manager(self.base_url)
        self._slots = threading.BoundedSemaphore(max(1, max_in_flight))
        self.limiter = limiter or CallLimiter(sleep=sleep)
        self._follow_userids: list[str] | None = None
        self._follow_lock = threading.Lock()

    # ------------------------------------------------------------------ transport
    def _send(
        self, method: str, path: str, params: dict[str, str], body: bytes | None
    ) -> dict[str, Any]:
        headers = {"Content-Type": "application/json"} if body is not None else None
        url = f"{self.base_url}{path}?{urlencode(params)}"
        self.limiter.acquire()
        try:
            with self._slots:
                response = self._pool.request(
                    method, url, body=body, headers=headers, timeout=self.timeout, retries=False
                )
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise WeChatWorkConnectionError(
                f"WeChat Work {method} {path}: connection failed without an answer ({exc}); "
                "re-run the load to resume"
            ) from exc
        with self._lock:
            self.calls += 1
        if response.status >= 500:
            # The API answers 200 even on errors; a 5xx comes from a gateway: treat as busy.
            return {"errcode": ERRCODE_BUSY, "errmsg": f"HTTP {response.status}"}
        try:
            payload = orjson.loads(response.data)
        except orjson.JSONDecodeError as exc:
            raise WeChatWorkApiError(
                47001, f"HTTP {response.status}, body is not JSON", path
            ) from exc
        if not isinstance(payload, dict):
            raise WeChatWorkApiError(47001, "body is not a JSON object", path)
        return payload

    # ------------------------------------------------------------------ token
    def _fetch_token(self) -> str:
        params = {"corpid": self.corpid, "corpsecret": self.corpsecret}
        payload = self._with_retries("GET", TOKEN_PATH, lambda: params, None)
        token = str(payload["access_token"])
        expires_in = int(payload.get("expires_in") or 7200)
        self._token_deadline = time.monotonic() + expires_in - TOKEN_EXPIRY_MARGIN_SECONDS
        with self._lock:
            self.token_fetches += 1
        log.debug("wechat_work: fetched an access token valid for %d s", expires_in)
        return token

    def access_token(self) -> str:
        """The cached access token; fetched when missing or about to expire."""
        with self._token_lock:
            if self._token is None or time.monotonic() >= self._token_deadline:
                self._token = self._fetch_token()
            return self._token

    def _forget_token(self, rejected: str) -> None:
        # Only the first thread that sees a token rejected drops it; others reuse the new one.
        with self._token_lock:
            if self._token == rejected:
                self._token = None

    # ------------------------------------------------------------------ calls
    def _with_retries(
        self,
        method: str,
        path: str,
        params: Callable[[], dict[str, str]],
        body: bytes | None,
        *,
        on_token_error: Callable[[dict[str, Any]], bool] | None = None,
    ) -> dict[str, Any]:
        busy = rate_limited = 0
        while True:
            payload = self._send(method, path, params(), body)
            try:
                errcode = int(payload.get("errcode", 0))
            except (TypeError, ValueError):
                errcode = ERRCODE_BUSY
            if errcode == 0:
                return payload
            errmsg = str(payload.get("errmsg", ""))
            if errcode in TOKEN_ERRCODES and on_token_error and on_token_error(payload):
                continue
            if errcode == ERRCODE_BUSY and busy < BUSY_RETRIES:
                busy += 1
                self._count_retry(errcode)
                self.sleep(self.busy_wait * 2 ** (busy - 1))
                continue
            if errcode in RATE_LIMIT_ERRCODES and rate_limited < RATE_LIMIT_RETRIES:
                rate_limited += 1
                self._count_retry(errcode)
                # 45009 is a block of at least a minute; 45033 (too many concurrent
                # calls) clears as soon as other calls finish.
                wait = self.rate_limit_wait
                if errcode == ERRCODE_TOO_MANY_CONCURRENT:
                    wait = self.busy_wait * 2 ** (rate_limited - 1)
                log.warning("wechat_work: %s on %s, waiting %.1f s", errcode, path, wait)
                self.sleep(wait)
                continue
            raise WeChatWorkApiError(errcode, errmsg, path)

    def _count_retry(self, errcode: int) -> None:
        with self._lock:
            self.retries[errcode] = self.retries.get(errcode, 0) + 1

    def call(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        body: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """One API call with the token, retries and errcode checks.

        Raises:
            WeChatWorkApiError: On an errcode that is not retried or still fails.
            WeChatWorkConnectionError: When the connection drops.
        """
        data = orjson.dumps(body) if body is not None else None
        used: list[str] = []
        refreshed = False

        def with_token() -> dict[str, str]:
            used.append(self.access_token())
            return {**(params or {}), "access_token": used[-1]}

        def refresh_once(payload: dict[str, Any]) -> bool:
            nonlocal refreshed
            if refreshed:
                return False
            refreshed = True
            self._count_retry(int(payload["errcode"]))
            self._forget_token(used[-1])
            return True

        return self._with_retries(method, path, with_token, data, on_token_error=refresh_once)

    # ------------------------------------------------------------------ endpoints
    def follow_userids(self) -> list[str]:
        """Members with customer contact enabled (fetched once per client)."""
        with self._follow_lock:  # resources running in parallel ask once between them
            if self._follow_userids is None:
                payload = self.call("GET", FOLLOW_USER_LIST_PATH)
                self._follow_userids = [str(u) for u in payload.get("follow_user") or []]
            return self._follow_userids

    def contact_pages(
        self, userids: list[str], limit: int = PAGE_LIMIT
    ) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        """Pages of ``batch/get_by_user`` for up to 100 members.

        Yields:
            ``(source_ref, external_contact_list)`` per page; source_ref names the call.
        """
        cursor = ""
        while True:
            body = {"userid_list": userids, "cursor": cursor, "limit": limit}
            payload = self.call("POST", BATCH_GET_BY_USER_PATH, body=body)
            ref = f"POST {BATCH_GET_BY_USER_PATH} userid_list[0]={userids[0]} cursor={cursor}"
            yield ref, payload.get("external_contact_list") or []
            cursor = str(payload.get("next_cursor") or "")
            if not cursor:
                return

    def behavior(self, userid: str, first: dt.date, last: dt.date) -> list[dict[str, Any]]:
        """``behavior_data`` rows of one member for ``first..last`` (≤ 30 days)."""
        body = {
            "userid": [userid],
            "start_time": china_midnight(first),
            "end_time": china_midnight(last),
        }
        payload = self.call("POST", BEHAVIOR_PATH, body=body)
        return payload.get("behavior_data") or []
