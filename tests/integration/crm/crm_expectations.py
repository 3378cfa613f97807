"""What the raw CRM tables must hold, computed from the world tables (the ground truth)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pyarrow as pa

from ingestion.common.normalize import normalize_phone, to_halfwidth
from sandbox.schema import CRM_TABLES
from sandbox.world.tables import read_system_table


def world_table(sandbox_dir: Path, name: str) -> pa.Table:
    """A world CRM table with timestamps at the CRM's millisecond precision, sorted by id."""
    table = read_system_table(sandbox_dir, "crm", name)
    for index, field in enumerate(table.schema):
        if pa.types.is_timestamp(field.type):
            ms = table[field.name].cast(pa.timestamp("ms", tz="UTC"), safe=False)
            table = table.set_column(index, field.name, ms.cast(pa.timestamp("us", tz="UTC")))
    return table.sort_by("id")


def is_no_phone_filler(value: str) -> bool:
    """Digits only, all the same at the end (13800000000): a form's "no phone"."""
    digits = re.sub(r"\D", "", to_halfwidth(value) or "")
    return len(digits) >= 7 and len(set(digits[-8:])) == 1


def expected_phone_rejects(world: pa.Table) -> set[str]:
    """Ids whose non-empty mobile the shared normaliser cannot read."""
    if "mobile" not in world.schema.names:
        return set()
    bad = set()
    for record_id, mobile in zip(world["id"].to_pylist(), world["mobile"].to_pylist(), strict=True):
        unreadable = mobile and mobile.strip() and normalize_phone(mobile) is None
        if unreadable and not is_no_phone_filler(mobile):
            bad.add(record_id)
    return bad


def assert_rows_equal(world: pa.Table, loaded: pa.Table, name: str) -> None:
    """Every world column equals the loaded column, row by row (both sorted by id)."""
    assert loaded.num_rows == world.num_rows, name
    for field in CRM_TABLES[name]:
        expected: list[Any] = world[field.name].to_pylist()
        actual: list[Any] = loaded[field.name].to_pylist()
        mismatches = [
            (i, e, a) for i, (e, a) in enumerate(zip(expected, actual, strict=True)) if e != a
        ]
        assert not mismatches, f"{name}.{field.name}: {mismatches[:3]}"
    if "mobile" in world.schema.names:
        e164 = [normalize_phone(m) for m in world["mobile"].to_pylist()]
        assert loaded["mobile_e164"].to_pylist() == e164, f"{name}.mobile_e164"
    assert set(loaded["_source_system"].to_pylist()) <= {"crm"}
