"""Aggregated conversion paths: the one input every attribution model reads.

A path is the ordered tuple of channels a prospect touched; a row carries how
many such journeys converted, their conversion value and how many did not
convert (``nulls``). Identical paths are summed, so per-person journeys (one
row each, ``conversions`` 1 or 0) and pre-aggregated exports give the same
table.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import pandas as pd

PATH_SEPARATOR = ">"

PATH_COLUMN = "path"
CONVERSIONS_COLUMN = "total_conversions"
VALUE_COLUMN = "total_conversion_value"
NULLS_COLUMN = "total_null"

PathRecord = tuple[Any, ...]
"""``(path, conversions)``, ``(path, conversions, value)`` or ``(path, conversions, value, nulls)``;
``path`` a sequence of channel names or a ``"A > B"`` string, ``value``/``nulls`` may be None."""


@dataclass(frozen=True)
class PathRow:
    """One distinct path and what its journeys amounted to."""

    path: tuple[str, ...]
    conversions: float
    value: float = 0.0
    nulls: float = 0.0


@dataclass(frozen=True)
class PathTable:
    """Distinct paths, plus whether the input had a value and a non-conversion count."""

    rows: tuple[PathRow, ...]
    has_value: bool
    has_nulls: bool

    @property
    def channels(self) -> tuple[str, ...]:
        """Every channel on any path, sorted by name."""
        return tuple(sorted({channel for row in self.rows for channel in row.path}))

    @property
    def total_conversions(self) -> float:
        """Conversions over all paths."""
        return math.fsum(row.conversions for row in self.rows)

    @property
    def total_value(self) -> float:
        """Conversion value over all paths (0 when the input had none)."""
        return math.fsum(row.value for row in self.rows)


class Credit(NamedTuple):
    """What one model gives one channel."""

    conversions: float
    value: float


def _is_missing(raw: Any) -> bool:
    # pd.isna also catches pd.NA and NaT, which a frame read from a warehouse may hold.
    return raw is None or (pd.api.types.is_scalar(raw) and bool(pd.isna(raw)))


def split_path(text: str, separator: str = PATH_SEPARATOR) -> tuple[str, ...]:
    """Split ``"Email >Search>  Display"`` into stripped channel names.

    Args:
        text: Channel names joined by ``separator``, spacing irregular or not.
        separator: What joins the names.

    Returns:
        The channel names in order.

    Raises:
        ValueError: The path is empty or has an empty channel name (``"A > > B"``).
    """
    if not text.strip():
        raise ValueError("the path is empty")
    channels = tuple(part.strip() for part in text.split(separator))
    if not all(channels):
        raise ValueError(f"path {text.strip()!r} has an empty channel name between {separator!r}")
    return channels


def _as_path(raw: Any) -> tuple[str, ...]:
    if isinstance(raw, str):
        return split_path(raw)
    channels = tuple(str(channel).strip() for channel in raw)
    if not channels or not all(channels):
        raise ValueError(f"path {channels!r} is empty or has an empty channel name")
    return channels


def _as_count(raw: Any, name: str, *, missing_is_zero: bool) -> float:
    if _is_missing(raw):
        if missing_is_zero:
            return 0.0
        raise ValueError(f"{name} is missing")
    number = float(raw)
    if not math.isfinite(number) or number < 0:
        raise ValueError(f"{name} is {raw!r}; it must be a finite number ≥ 0")
    return number


def table_from_records(
    records: Iterable[PathRecord], *, has_value: bool, has_nulls: bool
) -> PathTable:
    """Sum records into a :class:`PathTable`, with the flags the caller knows.

    Args:
        records: ``(path, conversions[, value[, nulls]])``; missing or None value and
            nulls count as 0.
        has_value: Whether the input carried a conversion value at all.
        has_nulls: Whether the input carried non-converting journeys at all.

    Returns:
        The distinct paths with summed counts, in order of first appearance.

    Raises:
        ValueError: A path or count is unusable; the message names the record by index.
    """
    totals: dict[tuple[str, ...], list[float]] = {}
    for index, record in enumerate(records):
        try:
            if not 2 <= len(record) <= 4:
                raise ValueError(f"expected 2 to 4 fields, got {len(record)}")
            raw_value = record[2] if len(record) > 2 else None
            raw_nulls = record[3] if len(record) > 3 else None
            path = _as_path(record[0])
            numbers = (
                _as_count(record[1], CONVERSIONS_COLUMN, missing_is_zero=False),
                _as_count(raw_value, VALUE_COLUMN, missing_is_zero=True),
                _as_count(raw_nulls, NULLS_COLUMN, missing_is_zero=True),
            )
        except (TypeError, ValueError) as error:
            raise ValueError(f"path record {index}: {error}") from error
        sums = totals.setdefault(path, [0.0, 0.0, 0.0])
        for position, number in enumerate(numbers):
            sums[position] += number
    rows = tuple(PathRow(path, *sums) for path, sums in totals.items())
    return PathTable(rows=rows, has_value=has_value, has_nulls=has_nulls)


def _from_frame(frame: pd.DataFrame) -> PathTable:
    missing = [c for c in (PATH_COLUMN, CONVERSIONS_COLUMN) if c not in frame.columns]
    if missing:
        raise ValueError(f"the paths frame has no column {', '.join(missing)}")
    has_value = VALUE_COLUMN in frame.columns
    has_nulls = NULLS_COLUMN in frame.columns
    columns = [
        frame[PATH_COLUMN],
        frame[CONVERSIONS_COLUMN],
        frame[VALUE_COLUMN] if has_value else [None] * len(frame),
        frame[NULLS_COLUMN] if has_nulls else [None] * len(frame),
    ]
    return table_from_records(zip(*columns, strict=True), has_value=has_value, has_nulls=has_nulls)


def to_path_table(paths: pd.DataFrame | Iterable[PathRecord] | PathTable) -> PathTable:
    """Normalise any accepted input into a :class:`PathTable`.

    Args:
        paths: A :class:`PathTable`; a DataFrame with columns ``path`` (a ``"A > B"``
            string or a sequence of channels), ``total_conversions`` and optionally
            ``total_conversion_value`` and ``total_null``; or records
            ``(path, conversions[, value[, nulls]])``. For records, the input "has a
            value" (or "has nulls") when any record gives one that is not None.

    Returns:
        The distinct paths with summed counts; missing values and nulls count as 0.

    Raises:
        ValueError: A column is missing, or a path or count is unusable (the message
            names the record).
    """
    if isinstance(paths, PathTable):
        return paths
    if isinstance(paths, pd.DataFrame):
        return _from_frame(paths)
    records: Sequence[PathRecord] = [tuple(record) for record in paths]
    has_value = any(len(r) > 2 and not _is_missing(r[2]) for r in records)
    has_nulls = any(len(r) > 3 and not _is_missing(r[3]) for r in records)
    return table_from_records(records, has_value=has_value, has_nulls=has_nulls)
