"""Pausing Python's cyclic garbage collector while API pages are decoded, across threads.

Decoding a page allocates hundreds of thousands of dicts, lists and row tuples, none
in reference cycles; with the collector on, its full collections scan them over and
over (measured on API pages: decoding took 2-5x as long while pages were held). One
instance for the whole process: the collector is a process-wide switch, so two
sources decoding at once must share the count of threads holding it off.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class _GcPause:
    """Counts the threads inside; the collector runs again when the last one leaves,
    and only if it was enabled before the first came in."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._holders = 0
        self._was_enabled = False

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._holders == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._holders += 1
        try:
            yield
        finally:
            with self._lock:
                self._holders -= 1
                if self._holders == 0 and self._was_enabled:
                    gc.enable()


gc_paused = _GcPause()
