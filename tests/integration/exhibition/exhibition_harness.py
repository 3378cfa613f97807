"""Helpers for the exhibition integration tests: load, query, and the world's expectations."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from ingestion.common.normalize import to_halfwidth
from ingestion.common.pipeline import LoadSummary, make_pipeline, run_pipeline
from ingestion.exhibition import exhibition_source
from ingestion.settings import Home
from sandbox.world.tables import read_system_table, read_truth_table


def load(home: Home, landing: Path) -> LoadSummary:
    """One run of the exhibition source into the home's warehouse."""
    return run_pipeline(
        make_pipeline("exhibition", home),
        exhibition_source(landing_dir=str(landing)),
        source_name="exhibition",
    )


def query(home: Home, sql: str) -> list[tuple[Any, ...]]:
    """Rows of a query on the warehouse (read-only)."""
    with duckdb.connect(str(home.warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def loaded_scans(home: Home) -> list[tuple[str, str, dt.datetime]]:
    """(exhibition name, badge id, scanned_at) of every loaded row."""
    return [
        (e, b, t.astimezone(dt.UTC))
        for e, b, t in query(
            home, "select exhibition_name, badge_id, scanned_at from raw_exhibition.badge_scans"
        )
    ]


def defect_ids(sandbox_dir: Path) -> set[str]:
    """scan_ids the world marks as defective (they must be rejected, not loaded)."""
    defects = read_truth_table(sandbox_dir, "defects")
    mask = pc.and_(
        pc.equal(defects["system"], "exhibition"), pc.equal(defects["table"], "badge_scans")
    )
    return set(defects.filter(mask)["record_id"].to_pylist())


@dataclass
class WorldScans:
    """The world's badge scans keyed the way the files identify them."""

    rows: list[dict[str, Any]]  # every world scan with its exhibition name
    good: list[dict[str, Any]]  # the ones not marked as defects
    bad: list[dict[str, Any]]

    def good_keys(
        self, exclude: set[str] = frozenset(), exhibitions: set[str] | None = None
    ) -> list[tuple[str, str, dt.datetime]]:
        """(exhibition name, badge id, scanned_at) of the good scans, minus ``exclude``."""
        return [
            (r["exhibition_name"], r["badge_id"], r["scanned_at"])
            for r in self.good
            if r["scan_id"] not in exclude
            and (exhibitions is None or r["exhibition_id"] in exhibitions)
        ]

    def same_second_repeats(self) -> int:
        """Good scans repeating an earlier scan's badge and second.

        The generator can give two repeat scans of one badge the same time; such a
        pair is one scan by the source's key, so one row loads and the other is
        rejected as a duplicate.
        """
        return sum(n - 1 for n in Counter(self.good_keys()).values())


def assert_each_loaded_once(home: Home, expected: list[tuple[str, str, dt.datetime]]) -> None:
    """Every expected scan is in badge_scans exactly once, and nothing else is."""
    loaded = Counter(loaded_scans(home))
    assert [k for k, n in loaded.items() if n > 1] == []
    missing = set(expected) - set(loaded)
    unexpected = set(loaded) - set(expected)
    assert (sorted(missing), sorted(unexpected)) == ([], [])


def world_scans(sandbox_dir: Path) -> WorldScans:
    """Read the world's scans, with exhibition names, split into good and defective."""
    scans = read_system_table(sandbox_dir, "exhibition", "badge_scans")
    exhibitions = read_system_table(sandbox_dir, "exhibition", "exhibitions")
    names = dict(
        zip(exhibitions["exhibition_id"].to_pylist(), exhibitions["name"].to_pylist(), strict=True)
    )
    bad_ids = defect_ids(sandbox_dir)
    rows = scans.to_pylist()
    for row in rows:
        row["exhibition_name"] = names[row["exhibition_id"]]
        row["badge_id"] = to_halfwidth(row["badge_id"])
        row["scanned_at"] = row["scanned_at"].astimezone(dt.UTC).replace(microsecond=0)
    return WorldScans(
        rows=rows,
        good=[r for r in rows if r["scan_id"] not in bad_ids],
        bad=[r for r in rows if r["scan_id"] in bad_ids],
    )


def true_phones_by_badge(sandbox_dir: Path) -> dict[str, str | None]:
    """badge_id -> the person's true phone (truth.identities -> truth.persons)."""
    identities = read_truth_table(sandbox_dir, "identities")
    identities = identities.filter(pc.equal(identities["source_system"], "exhibition"))
    persons = read_truth_table(sandbox_dir, "persons")
    phone = dict(
        zip(persons["person_id"].to_pylist(), persons["phone_e164"].to_pylist(), strict=True)
    )
    return {
        source_id: phone.get(person)
        for source_id, person in zip(
            identities["source_id"].to_pylist(), identities["person_id"].to_pylist(), strict=True
        )
    }


def table_rows(table: pa.Table, **equals: Any) -> list[dict[str, Any]]:
    """Rows of an Arrow table whose columns equal the given values."""
    mask = None
    for column, value in equals.items():
        this = pc.equal(table[column], value)
        mask = this if mask is None else pc.and_(mask, this)
    return (table.filter(mask) if mask is not None else table).to_pylist()
