"""Statistics windows: ≤ 30-day calls over the last 180 days, incremental with a re-pull."""

from __future__ import annotations

import datetime as dt

import pytest

from ingestion.wechat_work.helpers import (
    behavior_plan,
    china_date,
    china_midnight,
    split_windows,
)

TODAY = dt.date(2025, 6, 30)


def days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def test_180_days_split_into_six_windows_of_30_covering_each_day_once() -> None:
    first = TODAY - dt.timedelta(days=179)
    windows = split_windows(first, TODAY, 30)
    assert len(windows) == 6
    assert all((b - a).days + 1 == 30 for a, b in windows)
    covered = [d for a, b in windows for d in days(a, b)]
    assert covered == days(first, TODAY)


def test_a_remainder_window_is_shorter() -> None:
    windows = split_windows(dt.date(2025, 1, 1), dt.date(2025, 2, 4), 30)
    assert windows == [
        (dt.date(2025, 1, 1), dt.date(2025, 1, 30)),
        (dt.date(2025, 1, 31), dt.date(2025, 2, 4)),
    ]


def test_empty_and_single_day_ranges() -> None:
    assert split_windows(TODAY, TODAY - dt.timedelta(days=1), 30) == []
    assert split_windows(TODAY, TODAY, 30) == [(TODAY, TODAY)]
    with pytest.raises(ValueError):
        split_windows(TODAY, TODAY, 0)


def test_china_midnight_and_date_round_trip() -> None:
    # 2025-06-30 00:00 in China is 2025-06-29 16:00 UTC.
    assert china_midnight(TODAY) == int(dt.datetime(2025, 6, 29, 16, tzinfo=dt.UTC).timestamp())
    assert china_date(china_midnight(TODAY)) == TODAY
    assert china_date(china_midnight(TODAY) + 86399) == TODAY
    assert china_date(china_midnight(TODAY) - 1) == TODAY - dt.timedelta(days=1)


def test_plan_for_a_new_member_covers_the_whole_history() -> None:
    plan = behavior_plan(["u1"], {}, TODAY, 180, 3)
    assert len(plan) == 6
    assert plan[0] == ("u1", TODAY - dt.timedelta(days=179), TODAY - dt.timedelta(days=150))
    assert plan[-1][2] == TODAY


def test_plan_for_a_known_member_repulls_the_trailing_days() -> None:
    last = TODAY - dt.timedelta(days=1)
    plan = behavior_plan(["u1", "u2"], {"u1": last.isoformat()}, TODAY, 180, 3)
    u1 = [task for task in plan if task[0] == "u1"]
    # Yesterday was the newest day loaded: re-read it and the day before, plus today.
    assert u1 == [("u1", last - dt.timedelta(days=2), TODAY)]
    assert len([task for task in plan if task[0] == "u2"]) == 6


def test_plan_never_reaches_past_the_history_window() -> None:
    old = (TODAY - dt.timedelta(days=400)).isoformat()
    plan = behavior_plan(["u1"], {"u1": old}, TODAY, 30, 3)
    assert plan == [("u1", TODAY - dt.timedelta(days=29), TODAY)]


def test_plan_without_repull_starts_after_the_newest_day() -> None:
    last = TODAY - dt.timedelta(days=5)
    plan = behavior_plan(["u1"], {"u1": last.isoformat()}, TODAY, 180, 0)
    assert plan == [("u1", last + dt.timedelta(days=1), TODAY)]
