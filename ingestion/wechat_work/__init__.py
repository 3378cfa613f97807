"""dlt source for WeChat Work (企业微信): follow users, external contacts, contact statistics.

Tables in ``raw_wechat_work`` (see README.md for the data contract):

* ``follow_users`` — members with customer contact enabled (key ``userid``).
* ``external_contacts`` — customers (key ``external_userid``).
* ``contact_follow_users`` — one row per (customer, follower) (key
  ``external_userid, userid``). It and ``external_contacts`` are transformers of
  one crawl (``contact_pages``, not a table), since one ``batch/get_by_user``
  answer carries both.
* ``behavior_daily`` — per member and China-time day (key ``userid, stat_date``).
* ``rejected_rows`` — records that break the contract.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import dlt
import pyarrow as pa
import pyarrow.compute as pc
from dlt.sources import DltResource

from ingestion.common.first_load import as_appended, first_load
from ingestion.common.gc_pause import gc_paused
from ingestion.common.rejects import as_rejected
from ingestion.wechat_work.contacts import ContactChunk, await_briefly, crawl_contacts
from ingestion.wechat_work.helpers import (
    WeChatWorkApiError,
    WeChatWorkClient,
    WeChatWorkConnectionError,
    behavior_plan,
    china_today,
)
from ingestion.wechat_work.limits import HOURLY_WINDOW, CallLimiter
from ingestion.wechat_work.records import behavior_table, keep_first
from ingestion.wechat_work.settings import (
    BEHAVIOR_HISTORY_DAYS,
    BEHAVIOR_PATH,
    DEFAULT_BASE_URL,
    FOLLOW_USERS_SCHEMA,
    SCHEMA_CONTRACT,
    SOURCE_NAME,
    UPSERT,
)

__all__ = [
    "WeChatWorkApiError",
    "WeChatWorkClient",
    "WeChatWorkConnectionError",
    "wechat_work_source",
]


def _rows(table: pa.Table) -> Any:
    """A table (each key once) for dlt: appended on the first load, upserted afterwards.

    Appending costs half of an upsert, which on a first load has nothing to match.
    """
    return as_appended(table) if first_load() else table


@dlt.source(name=SOURCE_NAME)
def wechat_work_source(
    base_url: str = DEFAULT_BASE_URL,
    corpid: str = dlt.config.value,
    corpsecret: str = dlt.secrets.value,
    behavior_days: int = BEHAVIOR_HISTORY_DAYS,
    repull_days: int = 3,
    today: str | None = None,
    max_workers: int = 4,
    rate_limit_wait: float = 60.0,
    busy_wait: float = 1.0,
    calls_per_minute: int = 9_000,
) -> list[DltResource]:
    """The WeChat Work resources of one company.

    Args:
        base_url: API host; an emulator's URL in the sandbox.
        corpid: Company id (``SOURCES__WECHAT_WORK__CORPID``).
        corpsecret: Secret of an app with customer-contact permission
            (``SOURCES__WECHAT_WORK__CORPSECRET``).
        behavior_days: Days of contact statistics to keep loaded (≤ 180, the API's limit).
        repull_days: Trailing days re-pulled on every run, since the API backfills
            the most recent days' figures.
        today: The API's statistics day as ``YYYY-MM-DD`` (default: today in China
            time; the sandbox sets its world's as-of date).
        max_workers: Concurrent HTTP calls (the real API allows 10,000 calls/min).
        rate_limit_wait: Seconds to wait after 45009 before retrying (real block: 60 s).
        busy_wait: Seconds before the first retry of -1 (system busy); doubles each time.
        calls_per_minute: Client-side limit under the API's 10,000 calls/min (and
            140,000 an hour); 0 turns both off (e.g. against the sandbox emulator).

    Returns:
        The ``follow_users``, ``external_contacts``, ``contact_follow_users`` and
        ``behavior_daily`` resources.
    """
    if not 1 <= behavior_days <= BEHAVIOR_HISTORY_DAYS:
        raise ValueError(f"behavior_days must be 1..{BEHAVIOR_HISTORY_DAYS}, not {behavior_days}")
    if repull_days < 0:
        raise ValueError("repull_days must not be negative")
    windows = ((calls_per_minute, 60.0), HOURLY_WINDOW) if calls_per_minute > 0 else ()
    client = WeChatWorkClient(
        base_url,
        corpid,
        corpsecret,
        rate_limit_wait=rate_limit_wait,
        busy_wait=busy_wait,
        limiter=CallLimiter(windows),
        max_in_flight=max_workers,
    )
    stat_today = dt.date.fromisoformat(str(today)) if today else china_today()
    pages = contact_pages(client, max_workers)
    # The statistics come first: dlt starts them, and crawls contacts while they run.
    return [
        follow_users(client),
        behavior_daily(client, behavior_days, repull_days, stat_today, max_workers),
        pages | external_contacts,
        pages | contact_follow_users,
    ]


@dlt.resource(
    name="follow_users",
    write_disposition=UPSERT,
    primary_key="userid",
    schema_contract=SCHEMA_CONTRACT,
)
def follow_users(client: WeChatWorkClient) -> Iterator[pa.Table]:
    """Members with customer contact enabled (``get_follow_user_list``)."""
    userids = list(dict.fromkeys(client.follow_userids()))
    yield _rows(
        pa.Table.from_pydict(
            {"userid": userids, "_source_system": [SOURCE_NAME] * len(userids)},
            schema=FOLLOW_USERS_SCHEMA,
        )
    )


@dlt.resource(name="contact_pages", selected=False)
def contact_pages(client: WeChatWorkClient, max_workers: int = 4) -> Iterator[ContactChunk | None]:
    """The crawl behind external_contacts and contact_follow_users (not a table itself).

    It yields None while its calls are in flight, so that dlt reads the statistics
    meanwhile (dlt's ``parallelized`` did not overlap the two: measured).
    """
    yield from crawl_contacts(client, max_workers)


@dlt.transformer(
    name="external_contacts",
    write_disposition=UPSERT,
    primary_key="external_userid",
    schema_contract=SCHEMA_CONTRACT,
)
def external_contacts(chunk: ContactChunk) -> Iterator[Any]:
    """Customers, merged on ``external_userid``.

    The API has no "updated since" filter, so every run reads every relation and
    merges: a re-run changes nothing unless the data did.
    """
    yield _rows(chunk.contacts)
    if rejects := chunk.rejects_for("external_contacts"):
        yield as_rejected(rejects)


@dlt.transformer(
    name="contact_follow_users",
    write_disposition=UPSERT,
    primary_key=("external_userid", "userid"),
    schema_contract=SCHEMA_CONTRACT,
)
def contact_follow_users(chunk: ContactChunk) -> Iterator[Any]:
    """One row per (customer, follower), merged on both ids."""
    yield _rows(chunk.follows)
    if rejects := chunk.rejects_for("contact_follow_users"):
        yield as_rejected(rejects)


@dlt.resource(
    name="behavior_daily",
    write_disposition=UPSERT,
    primary_key=("userid", "stat_date"),
    schema_contract=SCHEMA_CONTRACT,
)
def behavior_daily(
    client: WeChatWorkClient,
    behavior_days: int,
    repull_days: int,
    today: dt.date,
    max_workers: int = 4,
) -> Iterator[Any]:
    """Daily contact statistics, one call per member per ≤ 30-day window.

    Incremental per member (resource state ``last_stat_date``): a run asks for the
    days after the last one loaded plus the trailing ``repull_days`` (the API
    backfills recent figures) and merges on ``(userid, stat_date)``. A member seen
    for the first time gets the whole ``behavior_days`` history. Yields None while
    its calls are in flight, so that dlt crawls the contacts meanwhile.
    """
    state = dlt.current.resource_state().setdefault("last_stat_date", {})
    plan = behavior_plan(client.follow_userids(), state, today, behavior_days, repull_days)

    def fetch(task: tuple[str, dt.date, dt.date]) -> tuple[str, pa.Table, list[dict[str, Any]]]:
        userid, first_day, last_day = task
        ref = f"POST {BEHAVIOR_PATH} userid={userid} {first_day}..{last_day}"
        with gc_paused():
            days = client.behavior(userid, first_day, last_day)
            table, rejects = behavior_table(userid, days, ref)
        return userid, table, rejects

    tables: list[pa.Table] = []
    rejects: list[dict[str, Any]] = []
    newest: dict[str, dt.date] = {}
    pool = ThreadPoolExecutor(max_workers, thread_name_prefix="wechat_work")
    try:
        for future in [pool.submit(fetch, task) for task in plan]:
            while not await_briefly(future):
                yield None
            userid, table, bad = future.result()
            tables.append(table)
            rejects.extend(bad)
            if table.num_rows:
                last_day = pc.max(table.column("stat_date")).as_py()
                newest[userid] = max(newest.get(userid, last_day), last_day)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    # dlt commits this state only together with the rows of a successful load.
    for userid, last_day in newest.items():
        state[userid] = last_day.isoformat()
    if tables:
        yield _rows(keep_first(pa.concat_tables(tables), ("userid", "stat_date"), set()))
    if rejects:
        yield as_rejected(rejects)
