"""Windows and paging of the SEM APIs: which requests a load makes, in which order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from ingestion.sem import settings
from ingestion.sem.helpers import BaiduClient, OceanClient

CHINA = dt.timezone(dt.timedelta(hours=8))
T = TypeVar("T")
_DONE = object()


def prefetched(pages: Iterator[T]) -> Iterator[T]:
    """Fetch the next page in a background thread while the caller parses this one.

    The page iterator only ever runs in one thread at a time (one request in
    flight); errors surface where the page would have been; closing this
    iterator waits for the request in flight, then closes ``pages``.
    """
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sem-prefetch")
    try:
        future = pool.submit(next, pages, _DONE)
        while True:
            item = future.result()
            if item is _DONE:
                return
            future = pool.submit(next, pages, _DONE)
            yield item  # type: ignore[misc]
    finally:
        pool.shutdown(wait=True)
        close = getattr(pages, "close", None)
        if close is not None:
            close()


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
    client: BaiduClient, first: dt.date, last: dt.date, rows: int, window_days: int
) -> Iterator[tuple[list[dict], str]]:
    """Keyword report rows page by page (startRow/rowCount), per window of dates."""
    for start, end in windows(first, last, window_days):
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


def baidu_notice_pages(
    client: BaiduClient,
    first: dt.date,
    last: dt.date,
    page_size: int,
    window_days: int,
    solution_types: list[str] | None,
) -> Iterator[tuple[list[dict], str]]:
    """Lead notices page by page, per window of at most ``window_days`` days."""
    for kind in solution_types or [None]:
        for start, end in windows(first, last, window_days):
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
    client: OceanClient,
    advertisers: list[int],
    first: dt.date,
    last: dt.date,
    page_size: int,
    window_days: int,
) -> Iterator[tuple[list[dict], int, str]]:
    """Custom report rows (day x promotion) per advertiser and window: (rows, advertiser, ref)."""
    for advertiser in advertisers:
        for start, end in windows(first, last, window_days):
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
            for rows, page_ref in ocean_pages(
                client, settings.OCEAN_REPORT_PATH, params, "rows", page_size, ref
            ):
                yield rows, advertiser, page_ref


def ocean_clue_pages(
    client: OceanClient,
    advertisers: list[int],
    first: dt.date,
    last: dt.date,
    page_size: int,
    window_days: int,
) -> Iterator[tuple[list[dict], str]]:
    """Clues of all advertisers, window by window and page by page."""
    for start, end in windows(first, last, window_days):
        params = {
            "advertiser_ids": advertisers,
            "start_time": start.isoformat(),
            "end_time": end.isoformat(),
        }
        yield from ocean_pages(
            client,
            settings.OCEAN_CLUES_PATH,
            params,
            "list",
            page_size,
            f"tools/clue/get {start}..{end}",
        )
