"""The emulator's get_user_behavior_data rules: span, history, flooring, summing."""

from __future__ import annotations

import datetime as dt

import pytest

from sandbox.emulators.wechat_work.behavior import BehaviorRequestError, behavior_series
from sandbox.emulators.wechat_work.store import china_midnight, day_number

TODAY = day_number(dt.date(2025, 6, 30))
# chat_cnt, message_cnt, reply_percentage, avg_reply_time, negative, new_apply, new_contact
BEHAVIOR = {
    "a": {TODAY - 1: (2, 5, 50.0, 10, 0, 1, 1), TODAY: (0, 0, None, None, 0, 2, 0)},
    "b": {TODAY - 1: (6, 9, 100.0, 2, 1, 0, 3)},
}


def series(userids: list[str], first: int, last: int) -> list[dict]:
    return behavior_series(BEHAVIOR, userids, china_midnight(first), china_midnight(last), TODAY)


def test_one_row_per_day_up_to_today_with_zeros_where_nothing_happened() -> None:
    rows = series(["a"], TODAY - 2, TODAY + 5)
    assert [r["stat_time"] for r in rows] == [
        china_midnight(d) for d in range(TODAY - 2, TODAY + 1)
    ]
    assert rows[0]["chat_cnt"] == 0 and rows[0]["reply_percentage"] is None
    assert rows[1]["reply_percentage"] == 50.0 and rows[1]["avg_reply_time"] == 10
    assert rows[2]["new_apply_cnt"] == 2 and rows[2]["avg_reply_time"] is None


def test_times_are_floored_to_china_midnight() -> None:
    late = china_midnight(TODAY - 1) + 23 * 3600
    rows = behavior_series(BEHAVIOR, ["a"], late, late, TODAY)
    assert [r["stat_time"] for r in rows] == [china_midnight(TODAY - 1)]


def test_several_members_are_summed_into_one_series() -> None:
    [row] = series(["a", "b"], TODAY - 1, TODAY - 1)
    assert (row["chat_cnt"], row["message_cnt"], row["new_contact_cnt"]) == (8, 14, 4)
    assert row["reply_percentage"] == pytest.approx((2 * 50 + 6 * 100) / 8)


def test_span_over_30_days_is_refused() -> None:
    series(["a"], TODAY - 30, TODAY)
    with pytest.raises(BehaviorRequestError, match="30 days"):
        series(["a"], TODAY - 31, TODAY)


def test_only_the_last_180_days_can_be_queried() -> None:
    series(["a"], TODAY - 180, TODAY - 170)
    with pytest.raises(BehaviorRequestError, match="180 days"):
        series(["a"], TODAY - 181, TODAY - 170)


def test_end_before_start_is_refused() -> None:
    with pytest.raises(BehaviorRequestError):
        series(["a"], TODAY, TODAY - 1)
