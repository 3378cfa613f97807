"""The SEM emulator app: Baidu and Ocean Engine routes, tokens, faults and a clock."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from pathlib import Path

import pyarrow as pa

from sandbox.emulators.base import DropConnection, EmulatorApp, Faults, Request, Response
from sandbox.emulators.sem import baidu, ocean
from sandbox.emulators.sem.faults import (
    SemCodes,
    baidu_failure,
    http_500,
    ocean_envelope,
    ocean_failure,
)
from sandbox.emulators.sem.rendered import RenderedRows
from sandbox.emulators.sem.store import SemStore, parse_as_of, read_as_of

log = logging.getLogger(__name__)

BAIDU_USER_NAME = "salesdw-baidu"
BAIDU_ACCESS_TOKEN = "sandbox-baidu-token"
BAIDU_APP_ID = "salesdw-baidu-app"
BAIDU_SECRET_KEY = "sandbox-baidu-secret"
BAIDU_REFRESH_TOKEN = "sandbox-baidu-refresh-token"
OCEAN_ACCESS_TOKEN = "sandbox-ocean-token"
OCEAN_APP_ID = "1800000000000001"
OCEAN_SECRET = "sandbox-ocean-secret"
OCEAN_REFRESH_TOKEN = "sandbox-ocean-refresh-token"


class SemEmulator(EmulatorApp):
    """Baidu 百度营销 and Ocean Engine 巨量引擎 over the world's ``sem`` tables.

    Args:
        sandbox_dir: The sandbox directory (``world/`` and ``truth/``).
        faults: Fault knobs shared by both systems (one data-call counter).
        codes: Error codes to answer with.
        now: The emulator clock; defaults to ``as_of`` of ``truth/meta.json``.
        late_minutes: Ocean Engine clues younger than this omit ``late_fields``.
    """

    name = "sem"
    late_fields: tuple[str, ...] = ("app_name",)
    baidu_report_max_rows = 10_000
    baidu_leads_max_page = 1_000
    baidu_max_window_days = 30
    ocean_max_page = 1_000
    ocean_report_max_days = 30

    def __init__(
        self,
        sandbox_dir: Path,
        faults: Faults | None = None,
        codes: SemCodes | None = None,
        now: dt.datetime | None = None,
        late_minutes: int = 10,
    ) -> None:
        super().__init__(faults)
        self.sandbox_dir = sandbox_dir
        self.codes = codes or SemCodes()
        self.now = now or read_as_of(sandbox_dir)
        self.late_minutes = late_minutes
        self.store = SemStore(sandbox_dir, self.now)
        self.rendered = RenderedRows()
        self.records_served = 0
        self._served_lock = threading.Lock()
        self._token_calls: dict[str, dict[str, int]] = {
            "baidu": {BAIDU_ACCESS_TOKEN: 0},
            "ocean": {OCEAN_ACCESS_TOKEN: 0},
        }
        self._refreshes = 0
        self._appended = 0
        self.route(
            "POST",
            "/json/sms/service/OpenApiReportService/getReportData",
            lambda r: baidu.get_report_data(self, r),
        )
        self.route(
            "POST",
            "/json/sms/service/LeadsNoticeService/getNoticeList",
            lambda r: baidu.get_notice_list(self, r),
        )
        self.route("POST", "/oauth/refreshToken", self._baidu_refresh)
        self.route("GET", "/open_api/2/tools/clue/get/", lambda r: ocean.get_clues(self, r))
        self.route("GET", ocean.REPORT_PATH, lambda r: ocean.get_custom_report(self, r))
        self.route("POST", "/open_api/oauth2/refresh_token/", self._ocean_refresh)
        self.route("POST", "/_sandbox/sem/clock", self._set_clock)
        self.route("POST", "/_sandbox/sem/baidu_leads", self._add_leads_route)
        self.route("POST", "/_sandbox/sem/douyin_clues", self._add_clues_route)
        # Render what a load asks for at start-up, not while a benchmark waits on it.
        baidu.report_json(self, baidu.KEYWORD_REPORT, baidu.EXPORT_COLUMNS)
        baidu.notices_json(self)
        ocean.clues_json(self)

    # ------------------------------------------------------------------ gate
    def gate(self, system: str, token: str | None, request_id: str = "") -> Response | None:
        """Count one data call and answer with a fault or an auth error, else ``None``."""
        call = self.next_call()
        faults = self.faults
        if faults.drops_connection(call):
            log.info("sem: dropping the connection on data call %d", call)
            raise DropConnection
        problem = self._check_token(system, token)
        if problem is not None:
            return self._auth_error(system, problem, request_id)
        if faults.rate_limit_every and call % faults.rate_limit_every == 0:
            if system == "baidu":
                return baidu_failure(self.codes.baidu_rate_limit, "request rate exceeds limit", 3)
            return ocean_failure(self.codes.ocean_rate_limit, "请求过于频繁", request_id)
        if faults.server_error_every and call % faults.server_error_every == 0:
            # Alternate between a crashed gateway and the system's own "busy" answer.
            if (call // faults.server_error_every) % 2:
                return http_500()
            if system == "baidu":
                return baidu_failure(
                    self.codes.baidu_system_error, "We are unable to serve your request", 3
                )
            return ocean_failure(self.codes.ocean_system_error, "系统繁忙，请稍后重试", request_id)
        return None

    def _check_token(self, system: str, token: str | None) -> str | None:
        calls = self._token_calls[system]
        with self._lock:
            if not token:
                return "missing"
            if token not in calls:
                return "invalid"
            ttl = self.faults.token_ttl_calls
            if ttl and calls[token] >= ttl:
                return "expired"
            calls[token] += 1
        return None

    def _auth_error(self, system: str, problem: str, request_id: str) -> Response:
        codes = self.codes
        if system == "baidu":
            code = {
                "missing": codes.baidu_missing_token,
                "invalid": codes.baidu_invalid_token,
                "expired": codes.baidu_expired_token,
            }[problem]
            return baidu_failure(code, f"The token is {problem}", 2, "header")
        code = codes.ocean_expired_token if problem == "expired" else codes.ocean_invalid_token
        return ocean_failure(code, f"access token {problem}", request_id)

    def serve_records(self, count: int) -> int:
        """Count records served; returns how many were served before these."""
        with self._served_lock:
            first = self.records_served
            self.records_served += count
        return first

    def request_id(self) -> str:
        """A request id like Ocean Engine's (time plus a counter)."""
        return f"{self.now:%Y%m%d%H%M%S}{self.data_calls:012d}"

    # ------------------------------------------------------------------ OAuth refresh
    def _new_token(self, system: str) -> str:
        with self._lock:
            self._refreshes += 1
            token = f"sandbox-{system}-token-r{self._refreshes}"
            self._token_calls[system][token] = 0
        return token

    def _baidu_refresh(self, request: Request) -> Response:
        body = request.json()
        if (body.get("appId"), body.get("secretKey"), body.get("refreshToken")) != (
            BAIDU_APP_ID,
            BAIDU_SECRET_KEY,
            BAIDU_REFRESH_TOKEN,
        ):
            return Response(
                200,
                {
                    "code": self.codes.baidu_refresh_failed,
                    "message": "invalid appId, secretKey or refreshToken",
                    "data": None,
                },
            )
        data = {
            "accessToken": self._new_token("baidu"),
            "refreshToken": BAIDU_REFRESH_TOKEN,
            "expiresIn": 86400,
            "refreshExpiresIn": 2592000,
            "userId": body.get("userId"),
        }
        return Response(200, {"code": 0, "message": "success", "data": data})

    def _ocean_refresh(self, request: Request) -> Response:
        body = request.json()
        if (str(body.get("app_id")), body.get("secret"), body.get("refresh_token")) != (
            OCEAN_APP_ID,
            OCEAN_SECRET,
            OCEAN_REFRESH_TOKEN,
        ):
            return ocean_failure(
                self.codes.ocean_refresh_failed, "refresh_token invalid", self.request_id()
            )
        data = {
            "access_token": self._new_token("ocean"),
            "expires_in": 86400,
            "refresh_token": OCEAN_REFRESH_TOKEN,
            "refresh_token_expires_in": 2592000,
        }
        return Response(200, ocean_envelope(data, self.request_id()))

    # ------------------------------------------------------------------ clock and records
    def set_now(self, now: dt.datetime) -> None:
        """Move the emulator clock (UTC)."""
        self.now = now.astimezone(dt.UTC)

    def advance(self, minutes: float) -> None:
        """Move the emulator clock forward."""
        self.now = self.now + dt.timedelta(minutes=minutes)

    def add_baidu_leads(self, count: int) -> list[str]:
        """Append ``count`` new notices with ``commit_time`` = now; returns their clue ids."""
        rows = self._clone(self.store.leads["table"], count, "commit_time")
        self.store.append_leads(rows)
        return rows["clue_id"].to_pylist()

    def add_douyin_clues(self, count: int) -> list[str]:
        """Append ``count`` new clues with ``create_time`` = now; returns their clue ids."""
        rows = self._clone(self.store.clues["table"], count, "create_time")
        self.store.append_clues(rows)
        return rows["clue_id"].to_pylist()

    def _clone(self, table: pa.Table, count: int, time_column: str) -> pa.Table:
        """New records copied from existing ones, with new ids, phones and time."""
        if table.num_rows == 0:
            raise ValueError("no records to copy new ones from")
        picks = pa.array([(self._appended + k) * 7919 % table.num_rows for k in range(count)])
        rows = table.take(picks)
        ids = [int(x) for x in table["clue_id"].to_pylist() if x and str(x).isdigit()]
        base = max(ids) if ids else 9_000_000_000
        new_ids = pa.array([str(base + 1 + k) for k in range(count)])
        phones = pa.array([f"1391234{(self._appended + k) % 10000:04d}" for k in range(count)])
        stamps = pa.array([self.now] * count, pa.timestamp("us", tz="UTC"))
        phone_column = (
            "clue_phone_number" if "clue_phone_number" in table.column_names else "telephone"
        )
        for name, values in (("clue_id", new_ids), (phone_column, phones), (time_column, stamps)):
            rows = rows.set_column(rows.schema.get_field_index(name), name, values)
        self._appended += count
        return rows

    def _set_clock(self, request: Request) -> Response:
        body = request.json()
        if "now" in body:
            self.set_now(parse_as_of(str(body["now"])))
        if "advance_minutes" in body:
            self.advance(float(body["advance_minutes"]))
        return Response(200, {"now": self.now.isoformat()})

    def _add_leads_route(self, request: Request) -> Response:
        return Response(200, {"clue_ids": self.add_baidu_leads(int(request.json()["count"]))})

    def _add_clues_route(self, request: Request) -> Response:
        return Response(200, {"clue_ids": self.add_douyin_clues(int(request.json()["count"]))})
