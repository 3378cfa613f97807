"""Windows and paging of the SEM APIs: which requests a load makes, and how many at once.

A load is split into independent tasks (a date window, times an advertiser for the
Ocean Engine report); each task pages through its window in order, since the next
page depends on the totals of the first. Tasks run in a small thread pool, so several
calls are in flight while earlier pages are parsed; the client caps the calls in
flight per system.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from ingestion.common.gc_pause import gc_paused
from ingestion.sem import settings
from ingestion.sem.helpers import BaiduClient, OceanClient

CHINA = dt.timezone(dt.timedelta(hours=8))
T = TypeVar("T")
R = TypeVar("R")
_DONE: Any = object()


def _decoding(function: Callable[[T], R], task: T) -> R:
    with gc_paused():
        return function(task)


def ordered_map(function: Callable[[T], R], tasks: Iterable[T], workers: int) -> Iterator[R]:
    """``function`` over ``tasks`` in ``workers`` threads; results in task order.

    At most ``2 * workers`` tasks are queued or running, so memory stays flat on large
    loads. An error surfaces where its result would have been; closing the iterator
    cancels the queued tasks and waits for the running ones.
    """
    workers = max(1, workers)
    todo = iter(tasks)
    pending: deque[Future[R]] = deque()
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sem")
    try:
        while True:
            while len(pending) < 2 * workers and (task := next(todo, _DONE)) is not _DONE:
                pending.append(pool.submit(_decoding, function, task))
            if not pending:
                return
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(wait=True)


def windows(first: dt.date, last: dt.date, days: int) -> Iterator[tuple[dt.date, dt.date]]:
    """Split ``[first, last]`` (both included) into windows of at most ``days`` days.

    >>> list(windows(dt.date(2025, 1, 1), dt.date(2025, 1, 5), 2))[-1]
    (datetime.date(2025, 1, 5), datetime.date(2025, 1, 5))
    """
    if days < 1:
        raise ValueError("a window has at least one day")
    while first <= last:
        end = min(first + dt.timedelta(days=days - 1), last)
        yield first, end
        first = end + dt.timedelta(days=1)


def china_today() -> dt.date:
    """Today's date in China (the date the APIs count in)."""
    return dt.datetime.now(CHINA).date()


def china_date(moment: dt.datetime | dt.date) -> dt.date:
    """The China-time date of a UTC datetime (a date stays itself)."""
    if isinstance(moment, dt.datetime):
        aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
        return aware.astimezone(CHINA).date()
    return moment


def baidu_report_pages(
    client: BaiduClient, start: dt.date, end: dt.date, rows: int
) -> Iterator[tuple[list[dict], str]]:
    """Keyword report rows of one window, page by page (startRow/rowCount)."""
    start_row = 0
    while True:
        body = {
            "reportType": settings.KEYWORD_REPORT_TYPE,
            "timeUnit": "DAY",
            "startDate": start.isoformat(),
            "endDate": end.isoformat(),
            "columns": settings.KEYWORD_COLUMNS,
            "filters": [],
            "startRow": start_row,
            "rowCount": rows,
        }
        data = client.call(settings.BAIDU_REPORT_PATH, body)
        block = data[0] if data else {}
        page = block.get("rows") or []
        yield page, f"getReportData {start}..{end} startRow={start_row}"
        start_row += len(page)
        if not page or start_row >= int(block.get("totalRowCount") or 0):
            break


def notices_of(block: Any) -> tuple[list[dict], int | None]:
    """Find the notices and the total in a getNoticeList ``body.data`` (shape unconfirmed)."""
    if isinstance(block, list):
        if block and isinstance(block[0], dict) and "clueId" in block[0]:
            return block, None
        block = block[0] if block else {}
    for key in ("notices", "list", "data", "rows"):
        if isinstance(block.get(key), list):
            total = block.get("totalCount", block.get("total"))
            return block[key], int(total) if total is not None else None
    return [], 0


def notice_tasks(
    first: dt.date, last: dt.date, window_days: int, solution_types: list[str] | None
) -> list[tuple[str | None, dt.date, dt.date]]:
    """The (lead type, window) pairs of a notices load (type None: all types at once)."""
    return [
        (kind, start, end)
        for kind in solution_types or [None]
        for start, end in windows(first, last, window_days)
    ]


def baidu_notice_pages(
    client: BaiduClient, kind: str | None, start: dt.date, end: dt.date, page_size: int
) -> Iterator[tuple[list[dict], str]]:
    """Lead notices of one window (and lead type), page by page."""
    page_no = 1
    while True:
        body: dict[str, Any] = {
            "startDate": start.isoformat(),
            "endDate": end.isoformat(),
            "pageNo": page_no,
            "pageSize": page_size,
        }
        if kind:
            body["solutionType"] = kind
        notices, total = notices_of(client.call(settings.BAIDU_LEADS_PATH, body))
        yield notices, f"getNoticeList {start}..{end} {kind or 'all'} pageNo={page_no}"
        done = total is not None and page_no * page_size >= total
        if done or len(notices) < page_size:
            break
        page_no += 1


def ocean_pages(
    client: OceanClient, path: str, params: dict[str, Any], list_key: str, page_size: int, ref: str
) -> Iterator[tuple[list[dict], str]]:
    """Pages of one Ocean Engine query (page/page_size until total_page)."""
    page = 1
    while True:
        data = client.get(path, {**params, "page": page, "page_size": page_size})
        rows = data.get(list_key) or []
        yield rows, f"{ref} page={page}"
        info = data.get("page_info") or {}
        if not rows or page >= int(info.get("total_page") or 0):
            break
        page += 1


def ocean_report_pages(
    client: OceanClient, advertiser: int, start: dt.date, end: dt.date, page_size: int
) -> Iterator[tuple[list[dict], str]]:
    """Custom report rows (day x promotion) of one advertiser and window."""
    params = {
        "advertiser_id": advertiser,
        "dimensions": settings.OCEAN_REPORT_DIMENSIONS,
        "metrics": settings.OCEAN_REPORT_METRICS,
        "filters": [],
        "order_by": [],
        "start_time": start.isoformat(),
        "end_time": end.isoformat(),
    }
    ref = f"report/custom/get advertiser={advertiser} {start}..{end}"
    yield from ocean_pages(client, settings.OCEAN_REPORT_PATH, params, "rows", page_size, ref)


def ocean_clue_pages(
    client: OceanClient, advertisers: list[int], start: dt.date, end: dt.date, page_size: int
) -> Iterator[tuple[list[dict], str]]:
    """Clues of all advertisers created in one window, page by page."""
    params = {
        "advertiser_ids": advertisers,
        "start_time": start.isoformat(),
        "end_time": end.isoformat(),
    }
    ref = f"tools/clue/get {start}..{end}"
    yield from ocean_pages(client, settings.OCEAN_CLUES_PATH, params, "list", page_size, ref)
