"""Search and lead ads: Baidu 百度营销 reports and leads, Ocean Engine 巨量引擎 (Douyin) clues.

The data contract (raw tables, keys, cursors, rejects) is in this package's README.
"""

import datetime as dt
import logging
from collections.abc import Iterator
from typing import Any

import dlt
import pyarrow as pa
from dlt.common.typing import TDataItem

from ingestion.common.first_load import as_appended, first_load
from ingestion.common.rejects import as_rejected, with_rejected_rows_table
from ingestion.sem import paging, records, settings
from ingestion.sem.helpers import (
    BaiduClient,
    OceanClient,
    Refresh,
    RetryPolicy,
    SemApiError,
    SemAuthError,
)
from ingestion.sem.paging import china_date, china_today

__all__ = ["SemApiError", "SemAuthError", "parse_id_list", "sem_source"]

log = logging.getLogger(__name__)


def parse_id_list(value: Any) -> list[int]:
    """Advertiser ids from config: ``"1,2"``, ``"[1, 2]"``, ``[1, "2"]`` or one number."""
    if value is None or value == "":
        return []
    if isinstance(value, int | str):
        text = str(value).strip().strip("[]")
        value = [part for part in text.replace(";", ",").split(",") if part.strip()]
    return [int(str(item).strip().strip("'\"")) for item in value]


def _codes(value: Any, default: frozenset[int]) -> frozenset[int]:
    return frozenset(parse_id_list(value)) if value not in (None, "") else default


def _midnight_utc(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), paging.CHINA).astimezone(dt.UTC)


def _batched(tasks: Iterator[list[records.Page]]) -> Iterator[TDataItem]:
    """Good rows in Arrow tables of about ``BATCH_ROWS`` rows, rejects in few lists.

    dlt has a fixed cost per yielded item, so many small pages (one per window) are
    joined before they are handed over; for rejects, which carry their table's hints,
    the cost is ~25 ms an item (a list of three rejects per page cost 0.8 s a load).
    """
    buffer: list[pa.Table] = []
    size = 0
    bad: list[dict[str, Any]] = []
    for table, rejects in (page for pages in tasks for page in pages):
        if table is not None:
            buffer.append(table)
            size += table.num_rows
            if size >= settings.BATCH_ROWS:
                yield pa.concat_tables(buffer)
                buffer, size = [], 0
        bad.extend(rejects)
        if len(bad) >= settings.BATCH_REJECTS:
            yield as_rejected(bad)
            bad = []
    if buffer:
        yield pa.concat_tables(buffer)
    if bad:
        yield as_rejected(bad)


def _load_items(tasks: Iterator[list[records.Page]], key: tuple[str, ...]) -> Iterator[TDataItem]:
    """The resource's items, each key once per run; the first load of a table appends.

    Appending costs half of dlt's merge (staging table, delete, insert), and a first
    load has nothing to merge with. Keys are unique per run either way (a record can
    come twice when the API shifts a page between two requests).
    """
    append = first_load()
    seen: set[Any] = set()
    for item in _batched(tasks):
        if isinstance(item, pa.Table):
            item = records.unique_rows(item, key, seen)
            if append:
                item = as_appended(item)
        yield item


def _incremental(cursor: str, initial: Any, lag: float) -> Any:
    # primary_key=() turns boundary deduplication off: keys are made unique per run and
    # merged across runs, and rejects (which have no cursor) pass through untouched.
    return dlt.sources.incremental(
        cursor, initial_value=initial, lag=lag, primary_key=(), on_cursor_value_missing="include"
    )


@dlt.source(name="sem", max_table_nesting=0, schema_contract=settings.SCHEMA_CONTRACT)
def sem_source(
    baidu_base_url: str | None = dlt.config.value,
    baidu_user_name: str | None = dlt.config.value,
    baidu_access_token: str | None = dlt.secrets.value,
    ocean_base_url: str | None = dlt.config.value,
    ocean_access_token: str | None = dlt.secrets.value,
    ocean_advertiser_ids: str | list[int] | None = dlt.config.value,
    start_date: str = "2025-01-01",
    repull_days: int = 3,
    end_date: str | None = None,
    baidu_oauth_url: str | None = None,
    baidu_app_id: str | None = None,
    baidu_user_id: str | None = None,
    baidu_secret_key: str | None = dlt.secrets.value,
    baidu_refresh_token: str | None = dlt.secrets.value,
    ocean_app_id: str | None = None,
    ocean_secret: str | None = dlt.secrets.value,
    ocean_refresh_token: str | None = dlt.secrets.value,
    baidu_solution_types: Any = None,
    window_days: int = settings.WINDOW_DAYS,
    report_rows: int = settings.BAIDU_REPORT_ROWS,
    leads_page_size: int = settings.BAIDU_LEADS_PAGE,
    ocean_page_size: int = settings.OCEAN_PAGE,
    max_retries: int = settings.MAX_RETRIES,
    backoff_seconds: float = settings.BACKOFF_SECONDS,
    max_workers: int = settings.MAX_WORKERS,
    baidu_auth_codes: Any = None,
    baidu_retry_codes: Any = None,
    ocean_auth_codes: Any = None,
    ocean_retry_codes: Any = None,
) -> Any:
    """Baidu keyword reports and leads, Ocean Engine promotion reports and clues.

    Either half is skipped when its URL, credentials (or, for Ocean Engine, advertiser
    ids) are not configured. Every resource re-pulls the last ``repull_days`` days
    (reports are revised, clues fill in late) and merges on its primary key.

    Args:
        baidu_base_url: Baidu API root, e.g. ``https://api.baidu.com``.
        baidu_user_name: Baidu account (``header.userName``).
        baidu_access_token: Baidu OAuth access token (``header.accessToken``).
        ocean_base_url: Ocean Engine API root, e.g. ``https://ad.oceanengine.com``.
        ocean_access_token: Ocean Engine access token (``Access-Token`` header).
        ocean_advertiser_ids: Advertiser ids: a list or a comma-separated string.
        start_date: First day loaded on the first run (China date, ``YYYY-MM-DD``).
        repull_days: Trailing days pulled again on every run.
        end_date: Last day to load (default: today in China).
        baidu_oauth_url: Baidu OAuth root for token refresh (``https://u.baidu.com``).
        baidu_app_id: Baidu app id (refresh).
        baidu_user_id: Baidu account id (refresh).
        baidu_secret_key: Baidu app secret (refresh).
        baidu_refresh_token: Baidu refresh token; refresh is off when missing.
        ocean_app_id: Ocean Engine app id (refresh).
        ocean_secret: Ocean Engine app secret (refresh).
        ocean_refresh_token: Ocean Engine refresh token; refresh is off when missing.
        baidu_solution_types: Lead types to ask for one by one (default: all at once).
        window_days: Days per request window (Baidu notices allow at most 30).
        report_rows: Baidu report rows per page.
        leads_page_size: Baidu notices per page.
        ocean_page_size: Ocean Engine rows per page.
        max_retries: Retries on rate limits, 5xx and dropped connections.
        backoff_seconds: First backoff; doubles on each retry.
        max_workers: Calls in flight per system (1: one call at a time).
        baidu_auth_codes: Override of the Baidu token error codes (comma list).
        baidu_retry_codes: Override of the Baidu retried codes.
        ocean_auth_codes: Override of the Ocean Engine token error codes.
        ocean_retry_codes: Override of the Ocean Engine retried codes.

    Returns:
        The resources of the configured systems.
    """
    first = dt.date.fromisoformat(start_date)
    last = dt.date.fromisoformat(end_date) if end_date else china_today()
    policy = RetryPolicy(max_retries=max_retries, backoff_seconds=backoff_seconds)
    resources: list[Any] = []
    if baidu_base_url and baidu_user_name and baidu_access_token:
        client = BaiduClient(
            baidu_base_url,
            baidu_user_name,
            baidu_access_token,
            policy=policy,
            refresh=Refresh(
                baidu_oauth_url or baidu_base_url,
                baidu_app_id,
                baidu_secret_key,
                baidu_refresh_token,
                baidu_user_id,
            ),
            auth_codes=_codes(baidu_auth_codes, settings.BAIDU_AUTH_CODES),
            retry_codes=_codes(baidu_retry_codes, settings.BAIDU_RETRY_CODES),
            max_in_flight=max_workers,
        )
        types = baidu_solution_types
        kinds = [t.strip() for t in types.split(",")] if isinstance(types, str) else types
        resources += [
            baidu_keyword_daily(
                client, last, report_rows, window_days, _incremental("date", first, repull_days)
            ),
            baidu_leads(
                client,
                last,
                leads_page_size,
                window_days,
                kinds or None,
                _incremental("commit_time", _midnight_utc(first), repull_days * 86400),
            ),
        ]
    else:
        log.info("sem: Baidu is not configured (base URL, user name, access token): skipped")
    advertisers = parse_id_list(ocean_advertiser_ids)
    if ocean_base_url and ocean_access_token and advertisers:
        client = OceanClient(
            ocean_base_url,
            ocean_access_token,
            policy=policy,
            refresh=Refresh(ocean_base_url, ocean_app_id, ocean_secret, ocean_refresh_token),
            auth_codes=_codes(ocean_auth_codes, settings.OCEAN_AUTH_CODES),
            retry_codes=_codes(ocean_retry_codes, settings.OCEAN_RETRY_CODES),
            max_in_flight=max_workers,
        )
        resources += [
            douyin_promotion_daily(
                client,
                advertisers,
                last,
                ocean_page_size,
                window_days,
                _incremental("stat_date", first, repull_days),
            ),
            douyin_clues(
                client,
                advertisers,
                last,
                ocean_page_size,
                window_days,
                _incremental("create_time", _midnight_utc(first), repull_days * 86400),
            ),
        ]
    else:
        log.info("sem: Ocean Engine is not configured (base URL, token, advertiser ids): skipped")
    return [with_rejected_rows_table(resource) for resource in resources]


@dlt.resource(
    name="baidu_keyword_daily",
    write_disposition="merge",
    primary_key=("date", "keyword_id"),
    columns=settings.KEYWORD_HINTS,
)
def baidu_keyword_daily(
    client: BaiduClient,
    last: dt.date,
    rows: int,
    window_days: int,
    cursor: dlt.sources.incremental[Any] = None,
) -> Iterator[TDataItem]:
    """Baidu keyword report (reportType 2602783): one row per day x keyword."""

    def fetch(window: tuple[dt.date, dt.date]) -> list[records.Page]:
        pages = paging.baidu_report_pages(client, *window, rows)
        return [records.keyword_page(page, ref) for page, ref in pages]

    tasks = paging.windows(china_date(cursor.start_value), last, window_days)
    items = paging.ordered_map(fetch, tasks, client.max_in_flight)
    yield from _load_items(items, ("date", "keyword_id"))


@dlt.resource(
    name="baidu_leads",
    write_disposition="merge",
    primary_key="clue_id",
    columns=settings.LEAD_HINTS,
)
def baidu_leads(
    client: BaiduClient,
    last: dt.date,
    page_size: int,
    window_days: int,
    solution_types: list[str] | None,
    cursor: dlt.sources.incremental[Any] = None,
) -> Iterator[TDataItem]:
    """Baidu lead notices (LeadsNoticeService), windows of at most ``window_days`` days."""

    def fetch(task: tuple[str | None, dt.date, dt.date]) -> list[records.Page]:
        pages = paging.baidu_notice_pages(client, *task, page_size)
        return [records.notice_page(page, ref) for page, ref in pages]

    first = china_date(cursor.start_value)
    tasks = paging.notice_tasks(first, last, min(window_days, 30), solution_types)
    yield from _load_items(paging.ordered_map(fetch, tasks, client.max_in_flight), ("clue_id",))


@dlt.resource(
    name="douyin_promotion_daily",
    write_disposition="merge",
    primary_key=("stat_date", "promotion_id"),
    columns=settings.PROMOTION_HINTS,
)
def douyin_promotion_daily(
    client: OceanClient,
    advertisers: list[int],
    last: dt.date,
    page_size: int,
    window_days: int,
    cursor: dlt.sources.incremental[Any] = None,
) -> Iterator[TDataItem]:
    """Ocean Engine custom report: one row per day x promotion, per advertiser."""

    def fetch(task: tuple[int, tuple[dt.date, dt.date]]) -> list[records.Page]:
        advertiser, (start, end) = task
        pages = paging.ocean_report_pages(client, advertiser, start, end, page_size)
        return [records.promotion_page(page, advertiser, ref) for page, ref in pages]

    spans = list(paging.windows(china_date(cursor.start_value), last, min(window_days, 30)))
    tasks = [(advertiser, span) for advertiser in advertisers for span in spans]
    items = paging.ordered_map(fetch, tasks, client.max_in_flight)
    yield from _load_items(items, ("stat_date", "promotion_id"))


@dlt.resource(
    name="douyin_clues",
    write_disposition="merge",
    primary_key="clue_id",
    columns=settings.CLUE_HINTS,
)
def douyin_clues(
    client: OceanClient,
    advertisers: list[int],
    last: dt.date,
    page_size: int,
    window_days: int,
    cursor: dlt.sources.incremental[Any] = None,
) -> Iterator[TDataItem]:
    """Ocean Engine clues (2/tools/clue/get/) of all advertisers, window by window."""

    def fetch(window: tuple[dt.date, dt.date]) -> list[records.Page]:
        pages = paging.ocean_clue_pages(client, advertisers, *window, page_size)
        return [records.clue_page(page, ref) for page, ref in pages]

    tasks = paging.windows(china_date(cursor.start_value), last, window_days)
    yield from _load_items(paging.ordered_map(fetch, tasks, client.max_in_flight), ("clue_id",))
