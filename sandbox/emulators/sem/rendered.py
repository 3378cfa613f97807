"""Records rendered to JSON once, so that serving a page is a join of byte strings.

Building a dict per record and encoding every page was the emulator's main cost
(5-10 µs a record, on the core the connector's benchmark also needs). The route
functions that build those dicts render each table once instead, at start-up or
the first time it is served, and a page is then a join. A table replaced by an
append is rendered again. Pages with injected malformed records keep the
per-request path, which corrupts single records.

The price is paid at start-up: about 1 s and 60 MB per 100,000 keyword-report rows
(scale 1), so proportionally more at larger scales.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Sequence
from typing import Any

import orjson

_CHUNK = 2_000  # records rendered at a time (their dicts are dropped chunk by chunk)

ROWS = "__sandbox_rendered_rows__"  # where page() puts the rows in an envelope


class RenderedRows:
    """JSON bytes per record of the tables an app serves, one rendering per table."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rows: dict[Any, tuple[object, list[bytes]]] = {}

    def rows(self, key: Any, table: Any, render: Callable[[int, int], list[Any]]) -> list[bytes]:
        """The records of ``table``, rendered by ``render(offset, length)`` once per table."""
        with self._lock:  # concurrent first requests render once
            cached = self._rows.get(key)
            if cached is None or cached[0] is not table:
                cached = (table, _render(table.num_rows, render))
                self._rows[key] = cached
            return cached[1]


def _render(count: int, render: Callable[[int, int], list[Any]]) -> list[bytes]:
    # The collector would scan the short-lived dicts again and again (half the time).
    enabled = gc.isenabled()
    gc.disable()
    try:
        rendered: list[bytes] = []
        for offset in range(0, count, _CHUNK):
            records = render(offset, min(_CHUNK, count - offset))
            # orjson's answer keeps its whole output buffer (~4 kB a record, measured:
            # +370 MB at scale 1); split() makes bytes of the exact size. Its output
            # has no raw newline (JSON escapes them in strings).
            rendered.extend(b"\n".join(map(orjson.dumps, records)).split(b"\n"))
        return rendered
    finally:
        if enabled:
            gc.enable()


def page(envelope: Any, rows: Sequence[bytes]) -> bytes:
    """``envelope`` encoded, with the value :data:`ROWS` replaced by the array of ``rows``."""
    return orjson.dumps(envelope).replace(orjson.dumps(ROWS), b"[" + b",".join(rows) + b"]", 1)
