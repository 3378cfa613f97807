"""HTTP for Baidu and Ocean Engine: envelopes, retries, token refresh, windows and paging."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
import requests

from ingestion.sem import settings

log = logging.getLogger(__name__)


class SemApiError(RuntimeError):
    """An answer the source cannot use: names the system, endpoint and error code."""

    def __init__(self, system: str, endpoint: str, code: Any, message: str) -> None:
        super().__init__(f"{system} {endpoint}: error code {code}: {message}")
        self.system, self.endpoint, self.code, self.message = system, endpoint, code, message


class SemAuthError(SemApiError):
    """The access token was refused and could not be refreshed."""


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
class _Client:
    system: str
    base_url: str
    access_token: str
    refresh: Refresh = field(default_factory=Refresh)
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    auth_codes: frozenset[int] = frozenset()
    retry_codes: frozenset[int] = frozenset()
    session: requests.Session = field(default_factory=requests.Session)

    def _send(
        self, endpoint: str, send: Callable[[], requests.Response], read: Callable[[Any], Answer]
    ) -> Any:
        """Send with retries and at most one token refresh per call."""
        refreshed = False
        attempt = 0
        while True:
            problem: str
            try:
                response = send()
            except (requests.ConnectionError, requests.Timeout) as exc:
                problem = f"connection failed ({type(exc).__name__})"
            else:
                status = response.status_code
                if status == 429 or status >= 500:
                    problem = f"HTTP {status}"
                elif status != 200:
                    raise SemApiError(self.system, endpoint, f"HTTP {status}", response.text[:200])
                else:
                    answer = read(orjson.loads(response.content))
                    if answer.ok:
                        return answer.data
                    auth = [c for c in answer.codes if c in self.auth_codes]
                    if auth:
                        if refreshed or not self.refresh.enabled:
                            raise SemAuthError(
                                self.system,
                                endpoint,
                                auth[0],
                                (
                                    f"{answer.message} (the access token was refused; configure "
                                    f"the {self.system} refresh credentials or a new token)"
                                ),
                            )
                        self._refresh_token()
                        refreshed = True
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

        def send() -> requests.Response:
            payload = {
                "header": {"userName": self.user_name, "accessToken": self.access_token},
                "body": body,
            }
            return self.session.post(
                self.base_url + path, json=payload, timeout=settings.TIMEOUT_SECONDS
            )

        return self._send(endpoint, send, read_baidu)

    def _refresh_token(self) -> None:
        refresh = self.refresh
        answer = self.session.post(
            f"{str(refresh.url).rstrip('/')}{settings.BAIDU_REFRESH_PATH}",
            json={
                "appId": refresh.app_id,
                "secretKey": refresh.secret,
                "refreshToken": refresh.refresh_token,
                "userId": refresh.user_id,
            },
            timeout=settings.TIMEOUT_SECONDS,
        ).json()
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

        def send() -> requests.Response:
            return self.session.get(
                self.base_url + path,
                params=query,
                headers={"Access-Token": self.access_token},
                timeout=settings.TIMEOUT_SECONDS,
            )

        return self._send(path.strip("/").removeprefix("open_api/"), send, read_ocean)

    def _refresh_token(self) -> None:
        refresh = self.refresh
        answer = self.session.post(
            f"{str(refresh.url).rstrip('/')}{settings.OCEAN_REFRESH_PATH}",
            json={
                "app_id": refresh.app_id,
                "secret": refresh.secret,
                "grant_type": "refresh_token",
                "refresh_token": refresh.refresh_token,
            },
            timeout=settings.TIMEOUT_SECONDS,
        ).json()
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
