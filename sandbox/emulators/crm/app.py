"""The CRM emulator's HTTP surface: OAuth token, object listing, paging, upserts, faults."""

from __future__ import annotations

import base64
import datetime as dt
import json
import secrets
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pyarrow as pa

from sandbox.emulators.base import (
    DropConnection,
    EmulatorApp,
    Faults,
    Handler,
    Request,
    Response,
)
from sandbox.emulators.crm.store import ObjectStore, RecordError, connect
from sandbox.schema import CRM_TABLES
from sandbox.world.tables import world_dir

CLIENT_ID = "salesdw-sandbox"
CLIENT_SECRET = "sandbox-secret"  # the documented demo secret
TOKEN_TTL_SECONDS = 3600
API_PREFIX = "/api/v1"
DEFAULT_LIMIT = 500
MAX_LIMIT = 2000
RETRY_AFTER_SECONDS = 1
# Some real CRMs leave null fields out of a record, others send them as null: mix both.
OMIT_NULL_OBJECTS = frozenset(
    {"contacts", "leads", "activities", "marketing_events", "service_cases"}
)
_SERVER_ERRORS = (
    (500, "internal_error"),
    (502, "bad_gateway"),
    (503, "service_unavailable"),
)
MALFORMED_PHONE = "13x-abc"
MALFORMED_AMOUNT = "N/A"
MALFORMED_DATE = "2025-02-30"


def _error(status: int, code: str, message: str, **headers: str) -> Response:
    return Response(status, {"error": code, "message": message}, headers or None)


def encode_cursor(position: tuple[int, str]) -> str:
    """The opaque cursor for "after this (updated_at µs, id)"."""
    raw = json.dumps([position[0], position[1]], ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[int, str]:
    """Inverse of :func:`encode_cursor`; raises ValueError on anything else."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        updated_us, record_id = json.loads(raw)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"invalid cursor {cursor!r}") from exc
    if not isinstance(updated_us, int) or not isinstance(record_id, str):
        raise ValueError(f"invalid cursor {cursor!r}")
    return updated_us, record_id


def parse_since(value: str) -> int:
    """``updated_since`` (ISO 8601; no offset means UTC) as epoch microseconds."""
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return int(moment.timestamp() * 1_000_000)


def load_stores(sandbox_dir: Path) -> dict[str, ObjectStore]:
    """Read the world's CRM tables (an absent table is an empty object)."""
    import pyarrow.parquet as pq

    stores = {}
    con = connect()
    for name, schema in CRM_TABLES.items():
        path = world_dir(sandbox_dir) / "crm" / f"{name}.parquet"
        table = pq.read_table(path) if path.exists() else schema.empty_table()
        stores[name] = ObjectStore(name, table, omit_nulls=name in OMIT_NULL_OBJECTS, con=con)
    return stores


def _malformed_kinds(schema: pa.Schema) -> list[tuple[str, str | None]]:
    """The corruptions that apply to an object, in the order they rotate."""
    kinds: list[tuple[str, str | None]] = [("missing_id", None)]
    if "mobile" in schema.names:
        kinds.append(("phone", "mobile"))
    money = [f.name for f in schema if pa.types.is_decimal(f.type)]
    if money:
        kinds.append(("amount", money[0]))
    dates = [f.name for f in schema if pa.types.is_date(f.type)]
    if dates:
        kinds.append(("date", dates[0]))
    return kinds


class CrmApp(EmulatorApp):
    """A neutral REST CRM over the world's ``crm`` tables (see the package docstring)."""

    name = "crm"

    def __init__(self, sandbox_dir: Path, faults: Faults | None = None) -> None:
        super().__init__(faults)
        self.stores = load_stores(Path(sandbox_dir))
        self._tokens: dict[str, dict[str, float]] = {}
        self._counter_lock = threading.Lock()
        self.records_served = 0
        self.malformed_served = 0
        # How often each fault fired, for tests and demos to assert on.
        self.fault_counts = {"dropped": 0, "expired_token": 0, "rate_limited": 0, "server_error": 0}
        self.route("POST", "/oauth/token", self._token)
        self.route("GET", f"{API_PREFIX}/objects", self._objects)
        for object_name in self.stores:
            path = f"{API_PREFIX}/{object_name}"
            self.route("GET", path, self._lister(object_name))
            self.route("POST", path, self._upserter(object_name))

    @property
    def tokens_issued(self) -> int:
        """Access tokens handed out so far."""
        return len(self._tokens)

    # ------------------------------------------------------------------ auth
    def _token(self, request: Request) -> Response:
        content_type = request.headers.get("content-type", "")
        try:
            if "json" in content_type:
                form = {k: str(v) for k, v in request.json().items()}
            else:
                form = {k: v[-1] for k, v in parse_qs(request.body.decode()).items()}
        except (ValueError, AttributeError):
            return _error(400, "invalid_request", "body must be a form or a JSON object")
        if form.get("grant_type") != "client_credentials":
            return _error(400, "unsupported_grant_type", "use grant_type=client_credentials")
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return _error(401, "invalid_client", "unknown client or wrong secret")
        token = secrets.token_urlsafe(24)
        with self._counter_lock:
            self._tokens[token] = {"calls": 0, "issued": time.monotonic()}
        body = {"access_token": token, "token_type": "Bearer", "expires_in": TOKEN_TTL_SECONDS}
        return Response(200, body)

    def _authorize(self, request: Request, *, count: bool) -> Response | None:
        header = request.headers.get("authorization", "")
        token = header[7:].strip() if header[:7].lower() == "bearer " else ""
        with self._counter_lock:
            state = self._tokens.get(token)
            if state is None:
                return _error(401, "invalid_token", "missing or unknown access token")
            expired = time.monotonic() - state["issued"] > TOKEN_TTL_SECONDS
            ttl = self.faults.token_ttl_calls
            if expired or (count and ttl and state["calls"] >= ttl):
                self.fault_counts["expired_token"] += 1
                return _error(401, "invalid_token", "the access token has expired")
            if count:
                state["calls"] += 1
        return None

    # ------------------------------------------------------------------ reads
    def _objects(self, request: Request) -> Response:
        denied = self._authorize(request, count=False)
        if denied:
            return denied
        data = [
            {"name": name, "endpoint": f"{API_PREFIX}/{name}", "fields": store.fields()}
            for name, store in self.stores.items()
        ]
        return Response(200, {"data": data})

    def _lister(self, object_name: str) -> Handler:
        return lambda request: self._list(object_name, request)

    def _count(self, fault: str) -> None:
        with self._counter_lock:
            self.fault_counts[fault] += 1

    def _fault(self, call: int) -> Response | None:
        faults = self.faults
        if faults.rate_limit_every and call % faults.rate_limit_every == 0:
            self._count("rate_limited")
            return _error(
                429,
                "rate_limit_exceeded",
                "too many requests",
                **{"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
        if faults.server_error_every and call % faults.server_error_every == 0:
            with self._counter_lock:
                fired = self.fault_counts["server_error"]
                self.fault_counts["server_error"] += 1
            status, code = _SERVER_ERRORS[fired % len(_SERVER_ERRORS)]
            return _error(status, code, "the CRM is having a moment")
        return None

    def _list(self, object_name: str, request: Request) -> Response:
        call = self.next_call()
        if self.faults.drops_connection(call):
            self._count("dropped")
            raise DropConnection
        denied = self._authorize(request, count=True)
        if denied:
            return denied
        fault = self._fault(call)
        if fault:
            return fault
        try:
            limit = int(request.query.get("limit", DEFAULT_LIMIT))
            if not 1 <= limit <= MAX_LIMIT:
                raise ValueError(f"limit must be between 1 and {MAX_LIMIT}")
            since = request.query.get("updated_since")
            since_us = parse_since(since) if since else None
            cursor = request.query.get("cursor")
            after = decode_cursor(cursor) if cursor else None
        except ValueError as exc:
            return _error(400, "invalid_request", str(exc))
        page = self.stores[object_name].page(since_us, after, limit)
        records = self._maybe_corrupt(object_name, page.records)
        next_cursor = encode_cursor(page.next_position) if page.next_position else None
        tail = json.dumps({"next_cursor": next_cursor, "has_more": next_cursor is not None})
        body = '{"data":[' + ",".join(records) + "]," + tail[1:]
        return Response(200, body.encode())

    def _maybe_corrupt(self, object_name: str, records: list[str]) -> list[str]:
        every = self.faults.malformed_every
        with self._counter_lock:
            first = self.records_served + 1
            self.records_served += len(records)
        if not every:
            return records
        kinds = _malformed_kinds(self.stores[object_name].schema)
        for number in range(first + (-first % every), first + len(records), every):
            index = number - first
            records[index] = corrupt_record(
                records[index], kinds[(number // every - 1) % len(kinds)]
            )
            with self._counter_lock:
                self.malformed_served += 1
        return records

    # ------------------------------------------------------------------ writes
    def _upserter(self, object_name: str) -> Handler:
        return lambda request: self._upsert(object_name, request)

    def _upsert(self, object_name: str, request: Request) -> Response:
        denied = self._authorize(request, count=False)
        if denied:
            return denied
        try:
            body = request.json()
            if not isinstance(body, dict):
                raise RecordError("the body must be one JSON object")
            rendered, created = self.stores[object_name].upsert(body)
        except (ValueError, RecordError) as exc:
            return _error(400, "invalid_request", str(exc))
        record: Any = json.loads(rendered)
        return Response(201 if created else 200, {"data": record})


def corrupt_record(record_json: str, kind: tuple[str, str | None]) -> str:
    """One record made malformed the way dirty CRM data is (deterministic by kind)."""
    record = json.loads(record_json)
    what, field = kind
    if what == "missing_id":
        record.pop("id", None)
    elif what == "phone":
        record[field] = MALFORMED_PHONE
    elif what == "amount":
        record[field] = MALFORMED_AMOUNT
    elif what == "date":
        record[field] = MALFORMED_DATE
    return json.dumps(record, ensure_ascii=False)
