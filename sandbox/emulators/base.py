"""A small threaded HTTP server that the emulated source systems share.

Each emulator is an :class:`EmulatorApp`: a set of routes over the sandbox world
tables plus :class:`Faults`, deterministic counters that make the emulator answer
the way the real system does when it is overloaded or a token has expired. The
faults are set when the server starts and can be changed while it runs with
``POST /_sandbox/faults`` (JSON body with the fields of :class:`Faults`), which
every app gets for free, as does ``GET /_sandbox/health``.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

log = logging.getLogger(__name__)


@dataclass
class Faults:
    """Fault knobs; 0 disables a knob. Counters are per app and deterministic.

    Attributes:
        rate_limit_every: every Nth data call answers with the system's rate-limit error.
        server_error_every: every Nth data call answers HTTP 500 (or the system's "busy").
        token_ttl_calls: an access token expires after this many data calls.
        malformed_every: every Nth record served is corrupted (bad phone, amount or date).
        drop_connection_after: from the Nth data call on, every call closes the connection
            without an answer (an upstream that crashed and stays down) until cleared.
        drop_connection_every: every Nth data call closes the connection without an answer
            (a network blip that a client should retry).
    """

    rate_limit_every: int = 0
    server_error_every: int = 0
    token_ttl_calls: int = 0
    malformed_every: int = 0
    drop_connection_after: int = 0
    drop_connection_every: int = 0

    def drops_connection(self, call: int) -> bool:
        """Whether the data call numbered ``call`` (1-based) gets no answer."""
        crashed = bool(self.drop_connection_after) and call >= self.drop_connection_after
        blip = bool(self.drop_connection_every) and call % self.drop_connection_every == 0
        return crashed or blip


@dataclass
class Request:
    """What a route handler receives."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        """The body parsed as JSON ({} when empty)."""
        return json.loads(self.body) if self.body else {}


@dataclass
class Response:
    """What a route handler returns."""

    status: int = 200
    body: Any = None  # JSON-serialisable, or bytes
    headers: dict[str, str] | None = None


class DropConnection(Exception):  # noqa: N818 - a signal to the server, not an error
    """Raised by a handler to close the socket without answering (a crashed upstream)."""


Handler = Callable[[Request], Response]


class EmulatorApp:
    """Routes of one emulated system plus its fault counters."""

    name = "emulator"

    def __init__(self, faults: Faults | None = None) -> None:
        self.faults = faults or Faults()
        self.routes: dict[tuple[str, str], Handler] = {}
        self.data_calls = 0
        self._lock = threading.Lock()

    def route(self, method: str, path: str, handler: Handler) -> None:
        """Register a handler for an exact method and path."""
        self.routes[(method.upper(), path)] = handler

    def next_call(self) -> int:
        """Count one data call and return its 1-based number (thread-safe)."""
        with self._lock:
            self.data_calls += 1
            return self.data_calls

    def dispatch(self, request: Request) -> Response:
        """Find the handler for a request; the control routes come first."""
        if request.path == "/_sandbox/health":
            return Response(200, {"app": self.name, "data_calls": self.data_calls})
        if request.path == "/_sandbox/faults" and request.method == "POST":
            known = {f.name for f in fields(Faults)}
            updates = {k: int(v) for k, v in request.json().items() if k in known}
            for key, value in updates.items():
                setattr(self.faults, key, value)
            return Response(200, asdict(self.faults))
        handler = self.routes.get((request.method, request.path))
        if handler is None:
            return Response(404, {"error": f"no route {request.method} {request.path}"})
        return handler(request)


def _make_handler(app: EmulatorApp) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in two writes: without TCP_NODELAY, Nagle's algorithm
        # holds the body until the client's delayed ACK (~40 ms per keep-alive call).
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:
            log.debug("%s " + format, app.name, *args)

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            request = Request(
                method=self.command,
                path=parts.path,
                query={k: v[-1] for k, v in parse_qs(parts.query).items()},
                headers={k.lower(): v for k, v in self.headers.items()},
                body=self.rfile.read(length) if length else b"",
            )
            try:
                response = app.dispatch(request)
            except DropConnection:
                self.close_connection = True
                self.connection.shutdown(2)
                return
            payload = response.body
            if not isinstance(payload, bytes):
                payload = json.dumps(payload, ensure_ascii=False, default=str).encode()
            self.send_response(response.status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            for key, value in (response.headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(payload)

        do_GET = _serve  # noqa: N815
        do_POST = _serve  # noqa: N815

    return _Handler


class RunningEmulator:
    """A started emulator: its base URL and a way to stop it."""

    def __init__(self, app: EmulatorApp, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self.server = ThreadingHTTPServer((host, port), _make_handler(app))
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:54321``."""
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> RunningEmulator:
        """Start serving in a background thread."""
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> RunningEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
