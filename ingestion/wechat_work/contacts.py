"""The contacts crawl: ``batch/get_by_user`` over every member, pages parsed into Arrow.

One crawl feeds two tables (``external_contacts`` and ``contact_follow_users``):
each element of the API is a (customer, follower) pair carrying both.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from ingestion.common.gc_pause import gc_paused
from ingestion.wechat_work.helpers import WeChatWorkClient
from ingestion.wechat_work.records import ContactBatch, keep_first
from ingestion.wechat_work.settings import FLUSH_ROWS, MAX_USERIDS_PER_CALL, PAGE_LIMIT

AWAIT_SECONDS = 0.005


@dataclass
class ContactChunk:
    """Up to ~FLUSH_ROWS pairs of a crawl, ready for dlt."""

    contacts: pa.Table  # one row per customer not seen earlier in this run
    follows: pa.Table  # one row per (customer, follower)
    rejects: list[dict[str, Any]] = field(default_factory=list)

    def rejects_for(self, table_name: str) -> list[dict[str, Any]]:
        """The rejected rows meant for one table."""
        return [r for r in self.rejects if r["table_name"] == table_name]


def member_groups(userids: list[str], workers: int) -> list[list[str]]:
    """Split members into ≤ 100-id groups, enough of them to keep every worker busy."""
    if not userids:
        return []
    size = max(1, min(MAX_USERIDS_PER_CALL, -(-len(userids) // (workers * 4))))
    return [userids[i : i + size] for i in range(0, len(userids), size)]


def crawl_group(client: WeChatWorkClient, userids: list[str]) -> ContactBatch:
    """Every page of one member group, parsed."""
    batch = ContactBatch()
    with gc_paused():
        for source_ref, elements in client.contact_pages(userids, PAGE_LIMIT):
            batch.add_elements(elements, source_ref)
    return batch


def merge_batches(batches: list[ContactBatch], seen: dict[str, set[Any]]) -> ContactChunk:
    """One chunk of several groups; keys already in ``seen`` (this run) are not repeated.

    A customer comes once per follower, so only its first occurrence is kept; a pair
    comes once per crawl unless the API repeats it across pages.
    """
    contacts = pa.concat_tables([b.contacts_table() for b in batches])
    follows = pa.concat_tables([b.follows_table() for b in batches])
    return ContactChunk(
        contacts=keep_first(contacts, ("external_userid",), seen["contacts"]),
        follows=keep_first(follows, ("external_userid", "userid"), seen["pairs"]),
        rejects=[r for b in batches for r in b.rejects],
    )


def await_briefly(future: Future[Any]) -> bool:
    """Whether ``future`` is done after a short wait (the caller yields to dlt if not).

    dlt sleeps 10 ms when every resource answered None; waiting on the future itself
    first wakes up as soon as the answer is there.
    """
    return not wait([future], timeout=AWAIT_SECONDS).not_done


def crawl_contacts(client: WeChatWorkClient, max_workers: int) -> Iterator[ContactChunk | None]:
    """Crawl every member's customers with ``max_workers`` calls in flight.

    Yields:
        Chunks of about FLUSH_ROWS pairs, in member order; None while the next group
        is still in flight, so that dlt can run other resources meanwhile.
    """
    groups = iter(member_groups(client.follow_userids(), max_workers))
    seen: dict[str, set[Any]] = {"contacts": set(), "pairs": set()}
    pending: list[ContactBatch] = []
    with ThreadPoolExecutor(max_workers, thread_name_prefix="wechat_work") as pool:
        # A bounded window of groups in flight keeps memory flat at any scale.
        in_flight: deque[Future[ContactBatch]] = deque()
        try:
            while True:
                while len(in_flight) < 2 * max_workers and (group := next(groups, None)):
                    in_flight.append(pool.submit(crawl_group, client, group))
                if not in_flight:
                    break
                if not await_briefly(in_flight[0]):
                    yield None
                    continue
                pending.append(in_flight.popleft().result())
                if sum(b.pairs for b in pending) >= FLUSH_ROWS:
                    yield merge_batches(pending, seen)
                    pending = []
            if pending:
                yield merge_batches(pending, seen)
        finally:
            for future in in_flight:
                future.cancel()
