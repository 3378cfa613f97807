"""HTTP for Baidu and Ocean Engine: envelopes, retries, token refresh, calls in flight."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit
from urllib.request import getproxies, proxy_bypass

import orjson
import urllib3

from ingestion.sem import settings

log = logging.getLogger(__name__)


class SemApiError(RuntimeError):
    """An answer the source cannot use: names the system, endpoint and error code."""

    def __init__(self, system: str, endpoint: str, code: Any, message: str) -> None:
        super().__init__(f"{system} {endpoint}: error code {code}: {message}")
        self.system, self.endpoint, self.code, self.message = system, endpoint, code, message


class SemAuthError(SemApiError):
    """The access token was refused and could not be refreshed."""


class ConnectionProblem(OSError):  # noqa: N818 - a condition the client retries, not a bug
    """The request got no answer (refused, reset, closed, timed out)."""


@dataclass
class RetryPolicy:
    """How often and how long to wait on rate limits, 5xx and dropped connections."""

    max_retries: int = settings.MAX_RETRIES
    backoff_seconds: float = settings.BACKOFF_SECONDS
    max_backoff_seconds: float = settings.MAX_BACKOFF_SECONDS

    def wait(self, attempt: int) -> None:
        """Sleep before retry ``attempt`` (1-based): exponential, capped."""
        delay = min(self.backoff_seconds * 2 ** (attempt - 1), self.max_backoff_seconds)
        if delay > 0:
            time.sleep(delay)


@dataclass
class Refresh:
    """OAuth refresh credentials of one system (``None`` fields: refresh disabled)."""

    url: str | None = None
    app_id: str | None = None
    secret: str | None = None
    refresh_token: str | None = None
    user_id: str | None = None

    @property
    def enabled(self) -> bool:
        """All credentials needed to refresh are present."""
        return bool(self.url and self.app_id and self.secret and self.refresh_token)


@dataclass
class Answer:
    """A decoded envelope: the data, or the error codes and whether to retry them."""

    ok: bool
    data: Any = None
    codes: list[Any] = field(default_factory=list)
    message: str = ""
    transient: bool = False


@dataclass
class Request:
    """One HTTP request as the transport sends it."""

    method: str
    url: str
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


Transport = Callable[[Request], tuple[int, bytes]]


class HttpTransport:
    """Keep-alive HTTP through urllib3, thread-safe, via the environment's proxy if any.

    urllib3 rather than requests: requests reads a body in 10 kB chunks and costs
    several times the CPU per call, which shows on pages of megabytes.
    """

    def __init__(self, base_url: str, connections: int = 8) -> None:
        parts = urlsplit(base_url)
        proxy = getproxies().get(parts.scheme)
        if proxy and not proxy_bypass(parts.hostname or ""):
            self.pool: urllib3.PoolManager = urllib3.ProxyManager(proxy, maxsize=connections)
        else:
            self.pool = urllib3.PoolManager(maxsize=connections)

    def __call__(self, request: Request) -> tuple[int, bytes]:
        """Send; returns (status, body). Raises ConnectionProblem when there is no answer."""
        try:
            response = self.pool.request(
                request.method,
                request.url,
                body=request.body,
                headers=request.headers,
                timeout=settings.TIMEOUT_SECONDS,
                retries=False,
            )
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise ConnectionProblem(type(exc).__name__) from exc
        return response.status, response.data


def post_json(transport: Transport, url: str, payload: Any) -> Any:
    """POST a JSON body and decode the JSON answer (token refresh calls)."""
    request = Request("POST", url, orjson.dumps(payload), {"Content-Type": "application/json"})
    return orjson.loads(transport(request)[1])


@dataclass
class _Client:
    """What both systems share: retries, token refresh, a cap on calls in flight.

    Several threads may call at once: at most ``max_in_flight`` requests are sent at a
    time, and a token refused by several calls together is refreshed by one of them
    while the others retry with the new token. Refreshes that no successful call has
    followed are counted: one call at a time, a refreshed token refused again raises
    SemAuthError instead of refreshing in a loop; with ``n`` calls in flight up to ``n``
    such refreshes are allowed, since a new token can be refused (expired by a short
    lifetime) before the calls it served have been answered.
    """

    system: str
    base_url: str
    access_token: str
    refresh: Refresh = field(default_factory=Refresh)
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    auth_codes: frozenset[int] = frozenset()
    retry_codes: frozenset[int] = frozenset()
    transport: Transport | None = None
    max_in_flight: int = settings.MAX_WORKERS

    def __post_init__(self) -> None:
        if self.transport is None:
            self.transport = HttpTransport(self.base_url, max(8, self.max_in_flight))
        self._slots = threading.BoundedSemaphore(max(1, self.max_in_flight))
        self._token_lock = threading.Lock()
        self._unconfirmed_refreshes = 0  # refreshes since the last successful call

    def _send(
        self, endpoint: str, build: Callable[[str], Request], read: Callable[[Any], Answer]
    ) -> Any:
        """Send with retries; refresh the token when it is refused (see the class)."""
        attempt = renewals = 0
        transport = self.transport
        assert transport is not None
        while True:
            problem: str
            token = self.access_token
            try:
                with self._slots:
                    status, content = transport(build(token))
            except ConnectionProblem as exc:
                problem = f"connection failed ({exc})"
            else:
                if status == 429 or status >= 500:
                    problem = f"HTTP {status}"
                elif status != 200:
                    text = content[:200].decode("utf-8", "replace")
                    raise SemApiError(self.system, endpoint, f"HTTP {status}", text)
                else:
                    answer = read(orjson.loads(content))
                    if answer.ok:
                        if self._unconfirmed_refreshes:
                            self._unconfirmed_refreshes = 0
                        return answer.data
                    auth = [c for c in answer.codes if c in self.auth_codes]
                    if auth:
                        renewals += 1
                        self._renew(endpoint, token, auth[0], answer.message, renewals)
                        continue
                    code = answer.codes[0] if answer.codes else "unknown"
                    retry = any(c in self.retry_codes for c in answer.codes)
                    if not (retry or answer.transient):
                        raise SemApiError(self.system, endpoint, code, answer.message)
                    problem = f"error code {code} ({answer.message})"
            attempt += 1
            if attempt > self.policy.max_retries:
                raise SemApiError(
                    self.system,
                    endpoint,
                    problem,
                    f"gave up after {self.policy.max_retries} retries",
                )
            log.warning("%s %s: %s, retry %d", self.system, endpoint, problem, attempt)
            self.policy.wait(attempt)

    def _renew(self, endpoint: str, token: str, code: Any, message: str, renewals: int) -> None:
        """After ``token`` was refused: use a newer token, refresh, or raise SemAuthError."""
        with self._token_lock:
            if renewals <= settings.MAX_RETRIES:
                if self.access_token != token:
                    return  # another call refreshed meanwhile: retry with its token
                allowed = max(1, self.max_in_flight)
                if self.refresh.enabled and self._unconfirmed_refreshes < allowed:
                    self._refresh_token()
                    self._unconfirmed_refreshes += 1
                    return
            raise SemAuthError(
                self.system,
                endpoint,
                code,
                (
                    f"{message} (the access token was refused; configure the "
                    f"{self.system} refresh credentials or a new token)"
                ),
            )

    def _refresh_token(self) -> None:
        raise NotImplementedError


class BaiduClient(_Client):
    """Baidu JSON API: POST {header, body} → {header {status, failures}, body {data}}."""

    def __init__(self, base_url: str, user_name: str, access_token: str, **kwargs: Any) -> None:
        kwargs.setdefault("auth_codes", settings.BAIDU_AUTH_CODES)
        kwargs.setdefault("retry_codes", settings.BAIDU_RETRY_CODES)
        super().__init__(settings.BAIDU, base_url.rstrip("/"), access_token, **kwargs)
        self.user_name = user_name

    def call(self, path: str, body: dict[str, Any]) -> list[Any]:
        """One call; returns ``body.data`` (a list)."""
        endpoint = path.rsplit("/service/", 1)[-1]
        url = self.base_url + path

        def build(token: str) -> Request:
            payload = {"header": {"userName": self.user_name, "accessToken": token}, "body": body}
            return Request("POST", url, orjson.dumps(payload), {"Content-Type": "application/json"})

        return self._send(endpoint, build, read_baidu)

    def _refresh_token(self) -> None:
        refresh = self.refresh
        assert self.transport is not None
        answer = post_json(
            self.transport,
            f"{str(refresh.url).rstrip('/')}{settings.BAIDU_REFRESH_PATH}",
            {
                "appId": refresh.app_id,
                "secretKey": refresh.secret,
                "refreshToken": refresh.refresh_token,
                "userId": refresh.user_id,
            },
        )
        if answer.get("code") != 0:
            raise SemAuthError(
                self.system, "oauth/refreshToken", answer.get("code"), str(answer.get("message"))
            )
        self.access_token = answer["data"]["accessToken"]
        self.refresh.refresh_token = answer["data"].get("refreshToken") or refresh.refresh_token
        log.info("baidu: access token refreshed")


def read_baidu(answer: dict[str, Any]) -> Answer:
    """Read a Baidu answer: status 0 and 1 (partial) carry ``body.data``.

    Status 2 is a failure, status 3 a system error (transient) with ``failures[].code``.
    """
    header = answer.get("header") or {}
    status = int(header.get("status", 0))
    failures = header.get("failures") or []
    if status in settings.BAIDU_OK_STATUSES:
        if failures:
            log.warning("baidu: partial answer, failures %s", failures)
        return Answer(True, (answer.get("body") or {}).get("data") or [])
    codes = [_as_int(f.get("code")) for f in failures] or [f"status {status}"]
    message = "; ".join(str(f.get("message")) for f in failures) or str(header.get("desc"))
    return Answer(False, None, codes, message, status == settings.BAIDU_SYSTEM_ERROR_STATUS)


class OceanClient(_Client):
    """Ocean Engine: GET with ``Access-Token``; answers {code, message, request_id, data}."""

    def __init__(self, base_url: str, access_token: str, **kwargs: Any) -> None:
        kwargs.setdefault("auth_codes", settings.OCEAN_AUTH_CODES)
        kwargs.setdefault("retry_codes", settings.OCEAN_RETRY_CODES)
        super().__init__(settings.OCEAN, base_url.rstrip("/"), access_token, **kwargs)

    def get(self, path: str, params: dict[str, Any]) -> dict[str, Any]:
        """One GET; lists and dicts in ``params`` are sent JSON-encoded, as the API wants."""
        query = {k: json.dumps(v) if isinstance(v, list | dict) else v for k, v in params.items()}
        url = f"{self.base_url}{path}?{urlencode(query)}"

        def build(token: str) -> Request:
            return Request("GET", url, None, {"Access-Token": token})

        return self._send(path.strip("/").removeprefix("open_api/"), build, read_ocean)

    def _refresh_token(self) -> None:
        refresh = self.refresh
        assert self.transport is not None
        answer = post_json(
            self.transport,
            f"{str(refresh.url).rstrip('/')}{settings.OCEAN_REFRESH_PATH}",
            {
                "app_id": refresh.app_id,
                "secret": refresh.secret,
                "grant_type": "refresh_token",
                "refresh_token": refresh.refresh_token,
            },
        )
        if answer.get("code") != 0:
            raise SemAuthError(
                self.system, "oauth2/refresh_token", answer.get("code"), str(answer.get("message"))
            )
        self.access_token = answer["data"]["access_token"]
        self.refresh.refresh_token = answer["data"].get("refresh_token") or refresh.refresh_token
        log.info("ocean_engine: access token refreshed")


def read_ocean(answer: dict[str, Any]) -> Answer:
    """Read an Ocean Engine answer: code 0 carries ``data``; 5xxxx codes are transient."""
    code = _as_int(answer.get("code", 0))
    if code == 0:
        return Answer(True, answer.get("data") or {})
    message = f"{answer.get('message')} (request_id {answer.get('request_id')})"
    transient = isinstance(code, int) and 50000 <= code < 60000
    return Answer(False, None, [code], message, transient)


def _as_int(value: Any) -> Any:
    try:
        return int(value)
    except (TypeError, ValueError):
        return value
