"""``get_user_behavior_data``: daily customer-contact statistics as the real API computes them.

The real API floors both times to China-time midnight, refuses a span over 30 days
or a start older than 180 days (errcode 40058), answers one row per day up to
today, sums several members into one series and leaves the two reply fields out
on days without chats.
"""

from __future__ import annotations

from typing import Any

from sandbox.emulators.wechat_work.store import BEHAVIOR_FIELDS, china_day, china_midnight

MAX_SPAN_DAYS = 30
HISTORY_DAYS = 180
_COUNTS = tuple(f for f in BEHAVIOR_FIELDS if f not in ("reply_percentage", "avg_reply_time"))
_CHAT, _REPLY_PCT, _REPLY_TIME = (
    BEHAVIOR_FIELDS.index(f) for f in ("chat_cnt", "reply_percentage", "avg_reply_time")
)


class BehaviorRequestError(ValueError):
    """A request the real API answers with 40058 (bad parameter)."""


def _weighted(values: list[tuple[Any, ...]], column: int) -> float | None:
    """A reply figure over several members: their chat-weighted mean."""
    weighted = [
        (row[column], row[_CHAT] or 0)
        for row in values
        if row[column] is not None and (row[_CHAT] or 0) > 0
    ]
    if not weighted:
        return None
    if len(weighted) == 1:  # one member: pass its figure through unchanged
        return weighted[0][0]
    chats = sum(w for _, w in weighted)
    return sum(v * w for v, w in weighted) / chats


def behavior_series(
    behavior: dict[str, dict[int, tuple[Any, ...]]],
    userids: list[str],
    start_time: int,
    end_time: int,
    today: int,
) -> list[dict[str, Any]]:
    """The ``behavior_data`` rows for some members and a time range.

    Args:
        behavior: userid -> China day number -> figures in BEHAVIOR_FIELDS order.
        userids: Members whose figures are summed.
        start_time: Unix seconds; floored to China-time midnight.
        end_time: Unix seconds; floored to China-time midnight.
        today: The API's today as a day number (no rows after it).

    Returns:
        One dict per day (``stat_time`` plus figures; None for the reply fields
        on days without chats, which the caller omits).

    Raises:
        BehaviorRequestError: span over 30 days, end before start, or a start older
            than 180 days.
    """
    first, last = china_day(start_time), china_day(end_time)
    if last < first:
        raise BehaviorRequestError("end_time is before start_time")
    if last - first > MAX_SPAN_DAYS:
        raise BehaviorRequestError(f"time span exceeds {MAX_SPAN_DAYS} days")
    if first < today - HISTORY_DAYS:
        raise BehaviorRequestError(f"only the last {HISTORY_DAYS} days can be queried")
    series = [behavior.get(u, {}) for u in userids]
    rows = []
    for day in range(first, min(last, today) + 1):
        values = [s[day] for s in series if day in s]
        row: dict[str, Any] = {"stat_time": china_midnight(day)}
        for field in _COUNTS:
            column = BEHAVIOR_FIELDS.index(field)
            row[field] = sum(v[column] or 0 for v in values)
        reply_time = _weighted(values, _REPLY_TIME)
        row["reply_percentage"] = _weighted(values, _REPLY_PCT) if row["chat_cnt"] else None
        row["avg_reply_time"] = (
            None if reply_time is None or not row["chat_cnt"] else round(reply_time)
        )
        rows.append(row)
    return rows
