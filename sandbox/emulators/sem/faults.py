"""Error codes and error envelopes of Baidu and Ocean Engine, as the emulator answers them.

Baidu's system-error codes are the ones its API documentation lists for the
``/json/...`` gateway (8xxx: authentication and system, 421: request rate). Ocean
Engine's public code list is not confirmed, so the codes here follow what its SDKs
handle (40100 too many requests, 40102 access token expired); every code is a field
of :class:`SemCodes` so a test or a user can change it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from sandbox.emulators.base import Response


@dataclass
class SemCodes:
    """The error codes the emulator answers with (all configurable).

    Baidu answers in the response header: ``status`` 2 (failure) or 3 (system
    error) with ``failures[{code, message, position}]``. Ocean Engine answers
    ``{"code": <code>, "message": ...}`` with HTTP 200.
    """

    baidu_bad_user: int = 8102  # "The username is invalid"
    baidu_missing_token: int = 8401  # "Token is not set in request header"
    baidu_invalid_token: int = 8402  # "The token is invalid"
    baidu_expired_token: int = 8402  # Baidu reports an expired OAuth token as invalid
    baidu_rate_limit: int = 421  # "the request rate exceeds limit"
    baidu_system_error: int = 8601  # "We are unable to serve your request, try again later"
    baidu_bad_request: int = 9105  # "request parameter format error" (window, columns, ...)
    baidu_bad_json: int = 8002  # "The Json message you provided is invalid"
    baidu_refresh_failed: int = 110  # OAuth refresh: bad appId/secretKey/refreshToken
    ocean_invalid_token: int = 40105  # access token invalid (unconfirmed)
    ocean_expired_token: int = 40102  # access token expired
    ocean_rate_limit: int = 40100  # too many requests
    ocean_system_error: int = 50000  # system busy (sent with HTTP 200 when not an HTTP 500)
    ocean_bad_request: int = 40002  # parameter error (window, page size, fields)
    ocean_refresh_failed: int = 40103  # refresh token invalid


def baidu_envelope(data: list[Any], status: int = 0, failures: list[dict] | None = None) -> dict:
    """A Baidu response: ``{"header": {...}, "body": {"data": [...]}}``."""
    failures = failures or []
    return {
        "header": {
            "desc": "success" if status == 0 else "failure",
            "status": status,
            "failures": failures,
            "oprs": len(data),
            "succ": len(data) if status in (0, 1) else 0,
            "oprtime": 0,
            "quota": 1,
            "rquota": 100000,
        },
        "body": {"data": data},
    }


def baidu_failure(code: int, message: str, status: int = 2, position: str = "") -> Response:
    """A Baidu failure answer (HTTP 200, header status 2 or 3)."""
    failure = {"code": code, "message": message, "position": position}
    return Response(200, baidu_envelope([], status=status, failures=[failure]))


def ocean_envelope(data: Any, request_id: str, code: int = 0, message: str = "OK") -> dict:
    """An Ocean Engine response: ``{"code", "message", "request_id", "data"}``."""
    return {"code": code, "message": message, "request_id": request_id, "data": data}


def ocean_failure(code: int, message: str, request_id: str) -> Response:
    """An Ocean Engine failure answer (HTTP 200 with a non-zero code)."""
    return Response(200, ocean_envelope({}, request_id, code=code, message=message))


def http_500() -> Response:
    """What a crashed gateway answers: HTTP 500 with an HTML body."""
    return Response(500, b"<html><body><h1>500 Internal Server Error</h1></body></html>")


def json_bytes(payload: Any) -> Response:
    """A 200 answer encoded with orjson (several times faster than the base's json.dumps)."""
    return Response(200, orjson.dumps(payload))


def page_info(page: int, page_size: int, total: int) -> dict[str, int]:
    """Ocean Engine paging block."""
    return {
        "page": page,
        "page_size": page_size,
        "total_number": total,
        "total_page": (total + page_size - 1) // page_size if page_size else 0,
    }


def corrupted_positions(first_served: int, count: int, every: int) -> list[int]:
    """Which of ``count`` records (numbered from ``first_served + 1``) are every Nth served.

    >>> corrupted_positions(0, 10, 4)
    [3, 7]
    """
    if every <= 0:
        return []
    offset = (every - first_served % every) - 1
    return list(range(offset, count, every))


def corruptions(app: Any, count: int) -> list[tuple[int, int]]:
    """Count ``count`` records as served by ``app``; which to corrupt, and how.

    Returns:
        ``(position, kind)`` for every ``malformed_every``-th record served, ``kind``
        cycling through 0, 1, 2 so each page's faults vary (a bad number, a bad
        date, a missing key, as each endpoint defines them).
    """
    first = app.serve_records(count)
    every = app.faults.malformed_every
    return [
        (position, (first + position) // every % 3)
        for position in corrupted_positions(first, count, every)
    ]
