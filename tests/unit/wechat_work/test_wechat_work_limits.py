"""Client-side call limits and the garbage-collector pause."""

from __future__ import annotations

from ingestion.wechat_work.limits import DEFAULT_WINDOWS, CallLimiter


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_defaults_stay_under_the_published_limits() -> None:
    assert all(
        limit < published
        for (limit, _), published in zip(DEFAULT_WINDOWS, (10_000, 150_000), strict=True)
    )


def test_calls_within_the_limit_never_wait() -> None:
    fake = FakeTime()
    limiter = CallLimiter(((3, 60.0),), clock=fake.clock, sleep=fake.sleep)
    for _ in range(3):
        limiter.acquire()
        fake.now += 1
    assert fake.sleeps == []


def test_the_call_over_the_limit_waits_until_the_window_frees() -> None:
    fake = FakeTime()
    limiter = CallLimiter(((3, 60.0),), clock=fake.clock, sleep=fake.sleep)
    for _ in range(3):
        limiter.acquire()
        fake.now += 1
    limiter.acquire()  # 3 s after the first call: wait the remaining 57 s
    assert fake.sleeps == [57.0]
    assert limiter.waited == 57.0


def test_the_strictest_window_wins() -> None:
    fake = FakeTime()
    limiter = CallLimiter(((100, 1.0), (2, 3600.0)), clock=fake.clock, sleep=fake.sleep)
    limiter.acquire()
    limiter.acquire()
    limiter.acquire()
    assert fake.sleeps == [3600.0]


def test_no_windows_means_no_limit() -> None:
    fake = FakeTime()
    limiter = CallLimiter((), clock=fake.clock, sleep=fake.sleep)
    for _ in range(1000):
        limiter.acquire()
    assert fake.sleeps == []
