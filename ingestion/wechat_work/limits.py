"""Throttling of the WeChat Work client.

:class:`CallLimiter` keeps the client under the API's published call limits (per
company and endpoint: 10,000 calls a minute and 150,000 an hour), since crossing
them blocks the app for 60 s or 60 min (errcode 45009).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

# Headroom under the published limits: other apps of the company share them.
HOURLY_WINDOW = (140_000, 3600.0)
DEFAULT_WINDOWS: tuple[tuple[int, float], ...] = ((9_000, 60.0), HOURLY_WINDOW)


class CallLimiter:
    """Sliding-window call limits shared by every thread of a client.

    A small crawl never waits; a large one is spread so that no window of
    ``seconds`` holds more than ``limit`` calls.

    Args:
        windows: ``(limit, seconds)`` pairs; an empty tuple disables the limiter.
        clock: Monotonic seconds (tests pass a fake).
        sleep: Waits (tests pass a fake).
    """

    def __init__(
        self,
        windows: tuple[tuple[int, float], ...] = DEFAULT_WINDOWS,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.windows = windows
        self.clock = clock
        self.sleep = sleep
        self.waited = 0.0
        self._calls: list[deque[float]] = [deque() for _ in windows]
        self._lock = threading.Lock()

    def _wait_needed(self, now: float) -> float:
        wait = 0.0
        for (limit, seconds), calls in zip(self.windows, self._calls, strict=True):
            while calls and calls[0] <= now - seconds:
                calls.popleft()
            if len(calls) >= limit:
                wait = max(wait, calls[len(calls) - limit] + seconds - now)
        return wait

    def acquire(self) -> None:
        """Return when one more call fits every window, and count it."""
        while True:
            with self._lock:
                now = self.clock()
                wait = self._wait_needed(now)
                if wait <= 0:
                    for calls in self._calls:
                        calls.append(now)
                    return
            self.waited += wait
            self.sleep(wait)
