"""Window splitting, paging shapes, config parsing and the emulator's pure helpers."""

from __future__ import annotations

import datetime as dt
import gc
import threading

import pytest

from ingestion.sem import parse_id_list
from ingestion.sem.paging import china_date, notices_of, ordered_map, windows
from sandbox.emulators.sem.faults import corrupted_positions, page_info
from sandbox.emulators.sem.store import parse_as_of

D = dt.date


def test_windows_cover_every_day_once_and_respect_the_limit() -> None:
    first, last = D(2025, 1, 1), D(2025, 4, 15)
    parts = list(windows(first, last, 30))
    assert parts[0] == (D(2025, 1, 1), D(2025, 1, 30))
    assert parts[-1][1] == last
    assert all((end - start).days + 1 <= 30 for start, end in parts)
    days = [
        start + dt.timedelta(days=i) for start, end in parts for i in range((end - start).days + 1)
    ]
    assert days == [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def test_windows_edge_cases() -> None:
    assert list(windows(D(2025, 1, 1), D(2025, 1, 1), 30)) == [(D(2025, 1, 1), D(2025, 1, 1))]
    assert list(windows(D(2025, 1, 2), D(2025, 1, 1), 30)) == []
    assert len(list(windows(D(2025, 1, 1), D(2025, 1, 31), 30))) == 2
    with pytest.raises(ValueError):
        list(windows(D(2025, 1, 1), D(2025, 1, 2), 0))


def test_china_date_of_utc_instants() -> None:
    late_utc = dt.datetime(2025, 1, 1, 17, 0, tzinfo=dt.UTC)  # 01:00 on Jan 2 in China
    assert china_date(late_utc) == D(2025, 1, 2)
    assert china_date(D(2025, 1, 1)) == D(2025, 1, 1)


def test_notices_of_tolerates_shapes() -> None:
    notice = {"clueId": "1"}
    assert notices_of([{"notices": [notice], "totalCount": 5}]) == ([notice], 5)
    assert notices_of([{"list": [notice], "total": "2"}]) == ([notice], 2)
    assert notices_of([notice, notice]) == ([notice, notice], None)
    assert notices_of([]) == ([], 0)


def test_parse_id_list() -> None:
    assert parse_id_list("1700000001, 1700000002") == [1700000001, 1700000002]
    assert parse_id_list("[1, 2]") == [1, 2]
    assert parse_id_list([3, "4"]) == [3, 4]
    assert parse_id_list(5) == [5]
    assert parse_id_list(None) == parse_id_list("") == []


def test_every_nth_record_is_corrupted() -> None:
    assert corrupted_positions(0, 10, 4) == [3, 7]
    assert corrupted_positions(3, 10, 4) == [0, 4, 8]  # records 4, 8, 12
    assert corrupted_positions(5, 10, 0) == []
    served = [
        p + 1 for start in (0, 7, 14) for p in [start + q for q in corrupted_positions(start, 7, 5)]
    ]
    assert served == [5, 10, 15, 20]


def test_page_info() -> None:
    assert page_info(2, 100, 250) == {
        "page": 2,
        "page_size": 100,
        "total_number": 250,
        "total_page": 3,
    }


def test_as_of_date_means_the_end_of_that_china_day() -> None:
    assert parse_as_of("2025-06-30") == dt.datetime(2025, 6, 30, 16, 0, tzinfo=dt.UTC)
    assert parse_as_of("2025-06-30T12:00:00Z") == dt.datetime(2025, 6, 30, 12, tzinfo=dt.UTC)


def test_ordered_map_keeps_task_order_and_bounds_the_queue() -> None:
    started: list[int] = []
    lock = threading.Lock()

    def work(n: int) -> int:
        with lock:
            started.append(n)
        return n * n

    results = ordered_map(work, iter(range(50)), workers=3)
    assert next(results) == 0
    assert len(started) <= 2 * 3 + 1  # at most 2 x workers queued ahead of the consumer
    assert list(results) == [n * n for n in range(1, 50)]


def test_ordered_map_raises_where_the_failed_result_would_be() -> None:
    def work(n: int) -> int:
        if n == 3:
            raise ValueError("task 3")
        return n

    results = ordered_map(work, range(10), workers=2)
    assert [next(results) for _ in range(3)] == [0, 1, 2]
    with pytest.raises(ValueError, match="task 3"):
        next(results)


def test_the_garbage_collector_runs_again_after_the_tasks() -> None:
    assert gc.isenabled()
    assert list(ordered_map(lambda n: gc.isenabled(), range(4), workers=2)) == [False] * 4
    assert gc.isenabled()
