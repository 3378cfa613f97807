"""Rows that break a data contract go to ``rejected_rows``: never dropped, never duplicated.

Every source has one ``rejected_rows`` table in its raw dataset. A rejected row
keeps the table it was meant for, one-sentence reason, where it came from (file
and line, or endpoint and cursor) and the raw payload as JSON text. The key is a
hash of those, so loading the same bad input twice keeps one row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import dlt
from dlt.extract.resource import DltResource

REJECTED_TABLE = "rejected_rows"

REJECTED_COLUMNS: dict[str, dict[str, Any]] = {
    "reject_id": {"data_type": "text", "nullable": False, "primary_key": True},
    "table_name": {"data_type": "text", "nullable": False},
    "reason": {"data_type": "text", "nullable": False},
    "source_ref": {"data_type": "text", "nullable": False},
    "raw_payload": {"data_type": "text", "nullable": True},
    "rejected_at": {"data_type": "timestamp", "nullable": False},
}


def _canonical_json(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)


def rejected_row(table_name: str, reason: str, payload: Any, source_ref: str) -> dict[str, Any]:
    """Build one rejected-row record.

    Args:
        table_name: The raw table the row was meant for.
        reason: One sentence saying what is wrong (e.g. "unparseable phone '12x'").
        payload: The row as received (dict, list or string); stored as JSON text.
        source_ref: Where it came from: ``file.csv:line 12`` or ``GET /leads cursor=...``.

    Returns:
        A record for the ``rejected_rows`` table.
    """
    raw = payload if isinstance(payload, str) else _canonical_json(payload)
    key = hashlib.sha256(f"{table_name}\x1f{source_ref}\x1f{raw}".encode()).hexdigest()
    return {
        "reject_id": key[:32],
        "table_name": table_name,
        "reason": reason,
        "source_ref": source_ref,
        "raw_payload": raw,
        "rejected_at": dt.datetime.now(dt.UTC),
    }


def with_rejected_rows_table(resource: DltResource) -> DltResource:
    """Give a resource a clean ``rejected_rows`` table variant and return it.

    dlt starts a table variant from the resource's own hints, so a resource that
    declares columns (``id`` NOT NULL) or a frozen contract would pass them on to
    ``rejected_rows``. Call this on every resource that declares column hints.
    """
    resource.apply_hints(
        table_name=REJECTED_TABLE,
        create_table_variant=True,
        # Empty clears the inherited columns (a dict would be merged into them);
        # as_rejected() then declares the rejected_rows columns on every yield.
        columns={},
        primary_key="reject_id",
        write_disposition="merge",
        schema_contract="evolve",
    )
    return resource


def as_rejected(records: list[dict[str, Any]]) -> Any:
    """Mark rejected records so a resource can yield them beside its good rows.

    A resource yields its good rows as usual and ``yield as_rejected(rejects)`` for
    the bad ones; dlt routes them to the source's ``rejected_rows`` table, merged on
    ``reject_id`` so re-runs stay idempotent.
    """
    return dlt.mark.with_hints(
        records,
        dlt.mark.make_hints(
            table_name=REJECTED_TABLE,
            write_disposition="merge",
            primary_key="reject_id",
            columns=REJECTED_COLUMNS,
        ),
        create_table_variant=True,
    )
