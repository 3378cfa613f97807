"""dlt source for the CRM: every object as a typed, incrementally merged raw table.

``crm_source`` yields one resource per object of :data:`~ingestion.crm.settings.CRM_OBJECTS`
(table ``raw_crm.<object>``), each incremental on ``updated_at`` (sent as
``updated_since``), merged on ``id``, built as Arrow tables, with records that
break the contract landing in ``raw_crm.rejected_rows``. See README.md for the
data contract.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

import dlt
import pyarrow as pa
import pyarrow.compute as pc
from dlt.common.pendulum import pendulum
from dlt.extract.items_transform import YieldMapItem
from dlt.extract.resource import DltResource

from ingestion.common.rejects import (
    as_rejected,
    rejected_row,
    with_rejected_rows_table,
)
from ingestion.crm.helpers import CrmRESTClient, fetch_pages, make_client
from ingestion.crm.records import (
    REJECT_COLUMNS,
    REJECT_PAYLOAD,
    REJECT_REASON,
    REJECT_REF,
    parse_records,
)
from ingestion.crm.schema import column_hints
from ingestion.crm.settings import CRM_API, CRM_OBJECTS, CrmApi, CrmObject

__all__ = ["crm_source", "split_rejects"]


def split_rejects(
    table_name: str, table: pa.Table, not_null: frozenset[str] = frozenset()
) -> Iterator[Any]:
    """Yield a page's good rows as Arrow and its rejected rows as ``rejected_rows`` records.

    Args:
        table_name: The raw table the rows were meant for.
        table: A page from :func:`~ingestion.crm.records.parse_records`.
        not_null: Columns the good rows always fill (marked non-nullable in Arrow so
            the Arrow schema agrees with the dlt column hints).
    """
    reasons = table[REJECT_REASON]
    if reasons.null_count == table.num_rows:
        good, bad = table, []
    else:
        is_rejected = pc.is_valid(reasons)
        good = table.filter(pc.invert(is_rejected))
        bad = table.filter(is_rejected).select(list(REJECT_COLUMNS)).to_pylist()
    if good.num_rows:
        good = good.drop_columns(list(REJECT_COLUMNS))
        schema = pa.schema(
            [f.with_nullable(f.name not in not_null) for f in good.schema], metadata=None
        )
        yield pa.Table.from_arrays(good.columns, schema=schema)
    if bad:
        yield as_rejected(
            [
                rejected_row(table_name, row[REJECT_REASON], row[REJECT_PAYLOAD], row[REJECT_REF])
                for row in bad
            ]
        )


class _SplitRejectsStep(YieldMapItem):
    # Rejected rows ride inside the Arrow pages through dlt's incremental step: dicts
    # yielded there would get a second (JSON) incremental transformer whose cursor state
    # overwrites the Arrow one's. This step splits them off right after it (affinity 1)
    # and before add_limit (1.1).
    placement_affinity = 1.05


# dlt spends ~10 ms of bookkeeping per yielded item whatever its size: hand it a few
# pages at a time.
BATCH_ROWS = 20_000


def _object_resource(
    client: CrmRESTClient,
    obj: CrmObject,
    api: CrmApi,
    page_size: int,
    initial: dt.datetime,
    batch_rows: int = BATCH_ROWS,
) -> DltResource:
    def pages(
        updated: dlt.sources.incremental[dt.datetime] = dlt.sources.incremental(  # noqa: B008
            obj.cursor_field, initial_value=initial, on_cursor_value_missing="include"
        ),
    ) -> Iterator[pa.Table]:
        batch: list[pa.Table] = []
        rows = 0
        for records, source_ref, raw in fetch_pages(
            client, obj, api, updated.start_value, page_size
        ):
            batch.append(parse_records(records, obj, source_ref, raw))
            rows += len(records)
            if rows >= batch_rows:
                yield pa.concat_tables(batch, promote_options="default")
                batch, rows = [], 0
        if batch:
            yield pa.concat_tables(batch, promote_options="default")

    hints = column_hints(obj)
    resource = dlt.resource(
        pages,
        name=obj.name,
        table_name=obj.name,
        primary_key=obj.primary_key,
        write_disposition="merge",
        columns=hints,
        schema_contract=obj.schema_contract,
    )
    with_rejected_rows_table(resource)
    not_null = frozenset(name for name, hint in hints.items() if hint.get("nullable") is False)
    resource.add_step(_SplitRejectsStep(lambda table: split_rejects(obj.name, table, not_null)))
    return resource


@dlt.source(name="crm", max_table_nesting=0)
def crm_source(
    base_url: str = dlt.config.value,
    client_id: str = dlt.config.value,
    client_secret: str = dlt.secrets.value,
    objects: Sequence[str] | None = None,
    page_size: int = 2000,
    initial_updated_since: str = "2000-01-01T00:00:00Z",
    request_max_attempts: int = 5,
    request_backoff_factor: float = 1.0,
    request_max_retry_delay: float = 30.0,
) -> list[DltResource]:
    """The CRM's objects as raw tables, loaded incrementally.

    Args:
        base_url: The CRM's base URL (``SOURCES__CRM__BASE_URL``).
        client_id: OAuth2 client id (``SOURCES__CRM__CLIENT_ID``).
        client_secret: OAuth2 client secret (``SOURCES__CRM__CLIENT_SECRET``).
        objects: Names of the objects to load (default: all of ``CRM_OBJECTS``).
        page_size: Records per request (capped by the API's maximum, 2,000).
        initial_updated_since: Where the first run starts (ISO 8601).
        request_max_attempts: Attempts per request on 429, 5xx and dropped connections.
        request_backoff_factor: Backoff multiplier in seconds (small in tests).
        request_max_retry_delay: Longest single wait, also caps ``Retry-After``.

    Returns:
        One resource per object.

    Raises:
        ValueError: For an object name the mapping does not know.
    """
    chosen = list(objects) if objects else list(CRM_OBJECTS)
    unknown = sorted(set(chosen) - set(CRM_OBJECTS))
    if unknown:
        raise ValueError(f"unknown CRM object(s) {unknown}; known: {sorted(CRM_OBJECTS)}")
    initial = pendulum.parse(initial_updated_since)
    client = make_client(
        base_url,
        client_id,
        client_secret,
        CRM_API,
        request_max_attempts=request_max_attempts,
        request_backoff_factor=request_backoff_factor,
        request_max_retry_delay=request_max_retry_delay,
    )
    return [
        _object_resource(client, CRM_OBJECTS[name], CRM_API, page_size, initial) for name in chosen
    ]
