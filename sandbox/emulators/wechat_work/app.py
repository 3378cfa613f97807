"""The WeChat Work (企业微信) server API over the sandbox world: routes, tokens, faults."""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sandbox.emulators.base import (
    DropConnection,
    EmulatorApp,
    Faults,
    Request,
    Response,
)
from sandbox.emulators.wechat_work.behavior import BehaviorRequestError, behavior_series
from sandbox.emulators.wechat_work.store import CHINA_TZ, WeChatStore, compact, day_number

log = logging.getLogger(__name__)

DEMO_CORPID = "ww_sandbox_corp"
DEMO_CORPSECRET = "sandbox-secret"
TOKEN_SECONDS = 7200
BATCH_MAX_USERIDS = 100
BATCH_DEFAULT_LIMIT = 50
BATCH_MAX_LIMIT = 100
GET_FOLLOWERS_PER_PAGE = 500

ERRMSG = {
    -1: "system busy",
    40001: "invalid credential, corpsecret is invalid",
    40013: "invalid corpid",
    40014: "invalid access_token",
    40058: "invalid Request Parameter",
    41001: "access_token missing",
    42001: "access_token expired",
    45009: "api freq out of limit",
    47001: "data format error",
    60011: "no privilege to access/modify contact/party/agent",
    84061: "not exist external contact relation",
}


class ApiError(Exception):
    """Raised inside a handler to answer with an errcode (always HTTP 200)."""

    def __init__(self, errcode: int, detail: str = "") -> None:
        super().__init__(errcode, detail)
        self.errcode = errcode
        self.detail = detail


def error_response(errcode: int, detail: str = "") -> Response:
    """The real API's error envelope: HTTP 200, errcode, errmsg with a help link."""
    text = ERRMSG.get(errcode, "error")
    if detail:
        text = f"{text}: {detail}"
    hint = (
        f"hint: [{int(time.time())}-sandbox], more info at "
        f"https://open.work.weixin.qq.com/devtool/query?e={errcode}"
    )
    return Response(200, {"errcode": errcode, "errmsg": f"{text}, {hint}"})


def ok(**fields: Any) -> Response:
    """A success envelope with some fields."""
    return Response(200, {"errcode": 0, "errmsg": "ok", **fields})


@dataclass
class _Token:
    issued_at: float
    calls: int = 0


def _encode_cursor(position: int, offset: int) -> str:
    return base64.urlsafe_b64encode(f"{position}:{offset}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[int, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        position, offset = base64.urlsafe_b64decode(padded).decode().split(":")
        return int(position), int(offset)
    except ValueError as exc:
        raise ApiError(40058, "invalid cursor") from exc


def read_as_of(sandbox_dir: Path) -> dt.date:
    """The world's "today": ``as_of`` in truth/meta.json, else today's China-time date."""
    meta_path = sandbox_dir / "truth" / "meta.json"
    if meta_path.exists():
        as_of = json.loads(meta_path.read_text()).get("as_of")
        if as_of:
            return dt.date.fromisoformat(str(as_of)[:10])
    log.warning("no as_of in %s; the emulator's today is the current date", meta_path)
    return dt.datetime.now(CHINA_TZ).date()


class WeChatWorkApp(EmulatorApp):
    """Emulated WeChat Work server API (external contacts and customer-contact statistics)."""

    name = "wechat_work"

    def __init__(
        self,
        sandbox_dir: Path,
        faults: Faults | None = None,
        *,
        today: dt.date | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Load the world and register the routes.

        Args:
            sandbox_dir: The sandbox folder (world/ and truth/).
            faults: Fault knobs; none by default.
            today: The day the API counts its 180 days of statistics back from
                (default ``as_of`` of truth/meta.json). Settable later via ``.today``
                or ``POST /_sandbox/today`` {"today": "YYYY-MM-DD"}.
            clock: Seconds source for token lifetimes (tests may pass a fake).
        """
        super().__init__(faults)
        self.store = WeChatStore.load(Path(sandbox_dir))
        self.today = today or read_as_of(Path(sandbox_dir))
        self.clock = clock
        self.records_served = 0
        self.tokens_issued = 0
        self.errors_served: Counter[int] = Counter()  # errcode -> answers (faults and errors)
        self.calls_by_path: Counter[str] = Counter()
        self._tokens: dict[str, _Token] = {}
        self._current_token: str | None = None
        self._token_lock = threading.Lock()
        self.route("GET", "/cgi-bin/gettoken", self.get_token)
        self.route("POST", "/_sandbox/today", self.set_today)
        data_routes = {
            ("GET", "/cgi-bin/externalcontact/get_follow_user_list"): self.get_follow_user_list,
            ("GET", "/cgi-bin/externalcontact/list"): self.list_contacts,
            ("GET", "/cgi-bin/externalcontact/get"): self.get_contact,
            ("POST", "/cgi-bin/externalcontact/batch/get_by_user"): self.batch_get_by_user,
            ("POST", "/cgi-bin/externalcontact/get_user_behavior_data"): self.behavior_data,
        }
        for (method, path), handler in data_routes.items():
            self.route(method, path, self._data_call(handler))

    # ------------------------------------------------------------------ tokens and faults
    def _token_valid(self, token: _Token) -> bool:
        ttl_calls = self.faults.token_ttl_calls
        if ttl_calls and token.calls >= ttl_calls:
            return False
        return self.clock() - token.issued_at < TOKEN_SECONDS

    def get_token(self, request: Request) -> Response:
        """``GET /cgi-bin/gettoken``: the same token while it is valid, else a new one."""
        if request.query.get("corpid") != DEMO_CORPID:
            return error_response(40013)
        if request.query.get("corpsecret") != DEMO_CORPSECRET:
            return error_response(40001)
        with self._token_lock:
            current = self._tokens.get(self._current_token or "")
            if current is None or not self._token_valid(current):
                self._current_token = secrets.token_urlsafe(48)
                current = self._tokens[self._current_token] = _Token(self.clock())
                self.tokens_issued += 1
            remaining = TOKEN_SECONDS - int(self.clock() - current.issued_at)
            return ok(access_token=self._current_token, expires_in=remaining)

    def _check_token(self, access_token: str | None) -> int:
        """0 when the token may be used (and count the call on it), else the errcode."""
        if not access_token:
            return 41001
        with self._token_lock:
            token = self._tokens.get(access_token)
            if token is None:
                return 40014
            if not self._token_valid(token):
                return 42001
            token.calls += 1
        return 0

    def _data_call(self, handler: Callable[[Request], Response]) -> Callable[[Request], Response]:
        def serve(request: Request) -> Response:
            number = self.next_call()
            with self._lock:
                self.calls_by_path[request.path] += 1
            faults = self.faults
            if faults.drops_connection(number):
                raise DropConnection
            errcode = self._check_token(request.query.get("access_token"))
            if not errcode and faults.rate_limit_every and number % faults.rate_limit_every == 0:
                errcode = 45009
            if not errcode and faults.server_error_every and not number % faults.server_error_every:
                errcode = -1
            detail = ""
            if not errcode:
                try:
                    return handler(request)
                except ApiError as exc:
                    errcode, detail = exc.errcode, exc.detail
            with self._lock:
                self.errors_served[errcode] += 1
            return error_response(errcode, detail)

        return serve

    def _reserve_records(self, count: int) -> int:
        """Count ``count`` served records; return the 1-based number of the first."""
        with self._lock:
            first = self.records_served + 1
            self.records_served += count
        return first

    def _corrupt(self, element: bytes, number: int) -> bytes:
        """Every Nth record comes out broken, alternating between two real-world defects."""
        every = self.faults.malformed_every
        if not every or number % every:
            return element
        record = json.loads(element)
        if (number // every) % 2:
            follow = record.get("follow_info") or (record.get("follow_user") or [{}])[0]
            follow["createtime"] = "abc"
        else:
            record.get("external_contact", {}).pop("external_userid", None)
        return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()

    # ------------------------------------------------------------------ control
    def set_today(self, request: Request) -> Response:
        """``POST /_sandbox/today`` {"today": "YYYY-MM-DD"}: move the statistics' today."""
        self.today = dt.date.fromisoformat(request.json()["today"])
        return Response(200, {"today": self.today.isoformat()})

    # ------------------------------------------------------------------ data routes
    def get_follow_user_list(self, request: Request) -> Response:
        """Member ids with customer contact enabled."""
        return ok(follow_user=self.store.follow_userids)

    def list_contacts(self, request: Request) -> Response:
        """``external_userid[]`` of one member's customers (no paging)."""
        userid = request.query.get("userid")
        if not userid:
            raise ApiError(40058, "userid missing")
        start, end = self.store.user_ranges.get(userid, (0, 0))
        if start == end:
            raise ApiError(84061)
        contact_json = self.store.contact_records
        ids = [
            contact_json[self.store.pair_contact[p]]["external_userid"]
            for p in range(start, end)
            if self.store.pair_contact[p] >= 0
        ]
        return ok(external_userid=ids)

    def get_contact(self, request: Request) -> Response:
        """One customer with its followers (500 per page, ``next_cursor`` beyond)."""
        external_userid = request.query.get("external_userid")
        if not external_userid:
            raise ApiError(40058, "external_userid missing")
        index = self.store.contact_index.get(external_userid)
        if index is None:
            raise ApiError(84061)
        pairs = self.store.contact_pairs.get(external_userid, [])
        cursor = request.query.get("cursor") or ""
        offset = int(cursor) if cursor.isdigit() else 0
        page = pairs[offset : offset + GET_FOLLOWERS_PER_PAGE]
        record = {
            "external_contact": self.store.contact_records[index],
            "follow_user": self.store.follow_user_full(page),
        }
        number = self._reserve_records(1)
        body = json.loads(self._corrupt(json.dumps(record).encode(), number))
        if offset + GET_FOLLOWERS_PER_PAGE < len(pairs):
            body["next_cursor"] = str(offset + GET_FOLLOWERS_PER_PAGE)
        return ok(**body)

    def batch_get_by_user(self, request: Request) -> Response:
        """Customers of up to 100 members, one element per (customer, follower) pair."""
        try:
            body = request.json()
        except ValueError as exc:
            raise ApiError(47001) from exc
        userids = body.get("userid_list")
        if userids is None and body.get("userid"):  # older clients send one `userid`
            userids = [body["userid"]]
        if not userids or not isinstance(userids, list):
            raise ApiError(40058, "userid_list missing")
        if len(userids) > BATCH_MAX_USERIDS:
            raise ApiError(40058, f"userid_list holds more than {BATCH_MAX_USERIDS} ids")
        userids = list(dict.fromkeys(userids))
        try:
            limit = int(body.get("limit") or BATCH_DEFAULT_LIMIT)
        except (TypeError, ValueError) as exc:
            raise ApiError(40058, "limit is not an integer") from exc
        limit = max(1, min(limit, BATCH_MAX_LIMIT))
        position, offset = _decode_cursor(body["cursor"]) if body.get("cursor") else (0, 0)

        pairs: list[int] = []
        ranges = self.store.user_ranges
        while position < len(userids) and len(pairs) < limit:
            start, end = ranges.get(userids[position], (0, 0))
            take = min(end - start - offset, limit - len(pairs))
            if take > 0:
                pairs.extend(range(start + offset, start + offset + take))
                offset += take
            if start + offset >= end:
                position, offset = position + 1, 0
        first = self._reserve_records(len(pairs))
        element = self.store.element
        if self.faults.malformed_every:
            elements = [self._corrupt(element(p), first + i) for i, p in enumerate(pairs)]
        else:
            elements = [element(p) for p in pairs]
        tail = b""
        if position < len(userids):
            tail = b',"next_cursor":"' + _encode_cursor(position, offset).encode() + b'"'
        payload = (
            b'{"errcode":0,"errmsg":"ok","external_contact_list":['
            + b",".join(elements)
            + b"]"
            + tail
            + b"}"
        )
        return Response(200, payload)

    def behavior_data(self, request: Request) -> Response:
        """Daily customer-contact statistics, several members summed into one series."""
        try:
            body = request.json()
        except ValueError as exc:
            raise ApiError(47001) from exc
        userids = body.get("userid") or []
        if isinstance(userids, str):
            userids = [userids]
        if len(userids) > BATCH_MAX_USERIDS:
            raise ApiError(40058, f"userid holds more than {BATCH_MAX_USERIDS} ids")
        for party in body.get("partyid") or []:
            # The sandbox has one department, the root (1), holding every follow user.
            if str(party) != "1":
                raise ApiError(60011, f"partyid {party}")
            userids = [*userids, *self.store.follow_userids]
        if not userids:
            raise ApiError(40058, "userid and partyid are both empty")
        try:
            start_time, end_time = int(body["start_time"]), int(body["end_time"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ApiError(40058, "start_time and end_time must be unix seconds") from exc
        try:
            days = behavior_series(
                self.store.behavior,
                list(dict.fromkeys(userids)),
                start_time,
                end_time,
                day_number(self.today),
            )
        except BehaviorRequestError as exc:
            raise ApiError(40058, str(exc)) from exc
        return ok(behavior_data=[compact(day) for day in days])


def create_app(
    sandbox_dir: Path, faults: Faults | None = None, *, today: dt.date | None = None
) -> WeChatWorkApp:
    """Build the WeChat Work emulator over a sandbox folder (see :class:`WeChatWorkApp`)."""
    return WeChatWorkApp(Path(sandbox_dir), faults, today=today)
