"""The emulator's opaque cursor and the in-memory paging it drives (ties, changes)."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from ingestion.crm.helpers import format_since
from sandbox.emulators.crm import decode_cursor, encode_cursor
from sandbox.emulators.crm.app import parse_since
from sandbox.emulators.crm.store import ObjectStore
from sandbox.schema import CRM_TABLES

T0 = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def _store(updated_offsets_ms: list[int]) -> ObjectStore:
    rows = [
        {
            "id": f"id{i:02d}",
            "name": f"n{i}",
            "updated_at": T0 + dt.timedelta(milliseconds=ms),
            "is_deleted": False,
        }
        for i, ms in enumerate(updated_offsets_ms)
    ]
    return ObjectStore(
        "users", pa.Table.from_pylist(rows, schema=CRM_TABLES["users"]), omit_nulls=True
    )


def _page_all(store: ObjectStore, limit: int, since_us: int | None = None) -> list[str]:
    import json

    served, after = [], None
    while True:
        page = store.page(since_us, after, limit)
        served += [json.loads(r)["id"] for r in page.records]
        if page.next_position is None:
            return served
        after = decode_cursor(encode_cursor(page.next_position))


@pytest.mark.parametrize("position", [(0, ""), (1735689600123000, "L-001"), (5, "线索/7=")])
def test_cursor_round_trips(position: tuple[int, str]) -> None:
    cursor = encode_cursor(position)
    assert decode_cursor(cursor) == position
    assert "=" not in cursor and "/" not in cursor  # safe in a query string


@pytest.mark.parametrize("cursor", ["", "abc", "W10", "WyJ4IiwgMV0"])
def test_a_foreign_cursor_is_refused(cursor: str) -> None:
    with pytest.raises(ValueError, match="invalid cursor"):
        decode_cursor(cursor)


def test_pages_split_inside_a_run_of_equal_timestamps() -> None:
    # Seven records share one updated_at: a page boundary falls inside the tie.
    store = _store([5, 1, 1, 1, 1, 1, 1, 1, 0, 9])
    for limit in (1, 2, 3, 4, 10):
        assert _page_all(store, limit) == [
            "id08",
            "id01",
            "id02",
            "id03",
            "id04",
            "id05",
            "id06",
            "id07",
            "id00",
            "id09",
        ]


def test_updated_since_is_an_inclusive_bound() -> None:
    store = _store([0, 1, 2, 3])
    since = parse_since(format_since(T0 + dt.timedelta(milliseconds=2)))
    assert _page_all(store, 10, since) == ["id02", "id03"]


def test_an_upserted_record_moves_to_the_end_with_a_later_stamp() -> None:
    store = _store([0, 1, 2])
    first = store.page(None, None, 2)
    store.upsert({"id": "id00", "name": "renamed"})
    rest = store.page(None, first.next_position, 10)
    import json

    assert [json.loads(r)["id"] for r in rest.records] == ["id02", "id00"]
    assert json.loads(rest.records[-1])["name"] == "renamed"
    assert store.size == 3


def test_timestamps_render_in_utc_milliseconds_and_nulls_are_left_out() -> None:
    import json

    store = _store([0])
    (record,) = store.page(None, None, 1).records
    assert json.loads(record) == {
        "id": "id00",
        "name": "n0",
        "updated_at": "2025-01-01T00:00:00.000Z",
        "is_deleted": False,
    }


def test_since_and_iso_format() -> None:
    moment = dt.datetime(2025, 3, 1, 16, 0, 0, 123456, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert format_since(moment) == "2025-03-01T08:00:00.123Z"
    assert parse_since("2025-03-01T08:00:00.123Z") == int(
        dt.datetime(2025, 3, 1, 8, 0, 0, 123000, tzinfo=dt.UTC).timestamp() * 1e6
    )
