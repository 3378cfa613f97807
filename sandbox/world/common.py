"""Shared helpers for the world generator: context, time, ids, money and Arrow casting.

Everything here is vectorised: helpers take and return numpy arrays or Arrow arrays
of any length, so a million leads cost the same Python overhead as ten.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

US_PER_SECOND = 1_000_000
US_PER_MINUTE = 60 * US_PER_SECOND
US_PER_HOUR = 60 * US_PER_MINUTE
US_PER_DAY = 24 * US_PER_HOUR
# China Standard Time is UTC+8 all year (no daylight saving).
CHINA_OFFSET_US = 8 * US_PER_HOUR
HISTORY_START = dt.date(2025, 1, 1)
_EPOCH = dt.date(1970, 1, 1)


@dataclass
class Ctx:
    """Generation context: scale, seed, the history window and per-topic random streams."""

    scale: float
    seed: int
    as_of: dt.date
    start: dt.date = HISTORY_START
    _streams: dict[str, np.random.Generator] = field(default_factory=dict)

    def rng(self, topic: str) -> np.random.Generator:
        """A random stream per topic, so adding draws to one topic leaves others unchanged."""
        if topic not in self._streams:
            key = [ord(ch) for ch in topic]
            self._streams[topic] = np.random.default_rng([self.seed, *key])
        return self._streams[topic]

    @property
    def start_us(self) -> int:
        """Midnight China time on the first day of history, in UTC microseconds."""
        return date_to_day(self.start) * US_PER_DAY - CHINA_OFFSET_US

    @property
    def end_us(self) -> int:
        """Midnight China time after ``as_of`` (exclusive end of history), UTC microseconds."""
        return (date_to_day(self.as_of) + 1) * US_PER_DAY - CHINA_OFFSET_US

    @property
    def n_days(self) -> int:
        """Number of China-time days in the history, both ends included."""
        return (self.as_of - self.start).days + 1

    def count(self, at_scale_one: float, minimum: int = 1) -> int:
        """A row count that grows linearly with scale."""
        return max(minimum, round(at_scale_one * self.scale))


def date_to_day(value: dt.date) -> int:
    """Days since 1970-01-01."""
    return (value - _EPOCH).days


def day_to_date(day: int) -> dt.date:
    """Inverse of :func:`date_to_day`."""
    return _EPOCH + dt.timedelta(days=int(day))


def china_day(ts_us: np.ndarray) -> np.ndarray:
    """The China-time calendar day (days since epoch) of UTC microsecond timestamps."""
    return (np.asarray(ts_us) + CHINA_OFFSET_US) // US_PER_DAY


def business_time(rng: np.random.Generator, day: np.ndarray) -> np.ndarray:
    """A UTC timestamp during China office hours (mostly 9-18h) on each China day."""
    day = np.asarray(day, dtype=np.int64)
    hour = np.clip(rng.normal(13.5, 2.6, len(day)), 7.5, 22.5)
    offset = (hour * US_PER_HOUR).astype(np.int64) + rng.integers(0, US_PER_MINUTE, len(day))
    return day * US_PER_DAY - CHINA_OFFSET_US + offset


def ts_array(values: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """UTC timestamp array from int64 microseconds (``mask`` True = null)."""
    return pa.array(
        np.asarray(values, dtype=np.int64), type=pa.timestamp("us", tz="UTC"), mask=mask
    )


def date_array(days: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """date32 array from days since epoch."""
    return pa.array(np.asarray(days, dtype=np.int32), type=pa.date32(), mask=mask)


def money_array(cents: np.ndarray, scale: int = 2, precision: int = 18) -> pa.Array:
    """Exact decimal array from int64 minor units (no float rounding on the way)."""
    cents = np.ascontiguousarray(np.asarray(cents, dtype=np.int64))
    words = np.empty((len(cents), 2), dtype=np.int64)
    words[:, 0] = cents
    words[:, 1] = np.where(cents < 0, -1, 0)  # sign-extend to 128 bits
    buf = pa.py_buffer(words.tobytes())
    return pa.Array.from_buffers(pa.decimal128(precision, scale), len(cents), [None, buf])


def ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """Zero-padded ids like ``L00000042`` from integers."""
    text = pc.cast(pa.array(np.asarray(numbers, dtype=np.int64)), pa.string())
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(text, width, "0"), "")


def seq_ids(prefix: str, n: int, width: int, start: int = 1) -> pa.Array:
    """Sequential ids ``prefix`` + ``start`` .. ``start + n - 1``."""
    return ids(prefix, np.arange(start, start + n), width)


def tokens(rng: np.random.Generator, n: int, length: int, alphabet: str) -> pa.Array:
    """``n`` random strings of fixed ``length`` drawn from ``alphabet`` (ASCII)."""
    letters = np.frombuffer(alphabet.encode("ascii"), dtype=np.uint8)
    data = letters[rng.integers(0, len(letters), n * length)]
    offsets = np.arange(0, (n + 1) * length, length, dtype=np.int32)
    return pa.Array.from_buffers(
        pa.string(), n, [None, pa.py_buffer(offsets.tobytes()), pa.py_buffer(data.tobytes())]
    )


ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
DIGITS = "0123456789"


def pick(vocab: list[str] | tuple[str, ...] | pa.Array, index: np.ndarray) -> pa.Array:
    """Strings of ``vocab`` at ``index`` (vectorised lookup)."""
    arr = vocab if isinstance(vocab, pa.Array) else pa.array(list(vocab), pa.string())
    return arr.take(pa.array(np.asarray(index, dtype=np.int64)))


def choose(variants: list[pa.Array], which: np.ndarray) -> pa.Array:
    """Row-wise choice among equally long string arrays: row i takes variants[which[i]][i]."""
    n = len(variants[0])
    stacked = pa.concat_arrays([v.cast(pa.string()) for v in variants])
    index = np.asarray(which, dtype=np.int64) * n + np.arange(n)
    return stacked.take(pa.array(index))


def join(*parts: pa.Array | str) -> pa.Array:
    """Concatenate string arrays and literals element-wise."""
    return pc.binary_join_element_wise(*parts, "")


def null_where(arr: pa.Array, mask: np.ndarray) -> pa.Array:
    """Set rows where ``mask`` is True to null."""
    return pc.if_else(pa.array(np.asarray(mask, dtype=bool)), pa.scalar(None, arr.type), arr)


def weighted_index(rng: np.random.Generator, weights: np.ndarray, n: int) -> np.ndarray:
    """``n`` indexes drawn with probability proportional to ``weights``."""
    weights = np.asarray(weights, dtype=np.float64)
    cdf = np.cumsum(weights)
    return np.searchsorted(cdf, rng.random(n) * cdf[-1], side="right").clip(0, len(weights) - 1)


def table(schema: pa.Schema, columns: dict[str, pa.Array | np.ndarray | list]) -> pa.Table:
    """Build a table cast exactly to ``schema``; missing columns become all-null.

    Raises:
        KeyError: a column not in the schema was passed (a typo would lose data).
    """
    unknown = set(columns) - set(schema.names)
    if unknown:
        raise KeyError(f"columns not in schema: {sorted(unknown)}")
    lengths = {len(v) for v in columns.values()}
    if len(lengths) > 1:
        raise ValueError(f"columns differ in length: {lengths}")
    n = lengths.pop() if lengths else 0
    arrays = []
    for fld in schema:
        value = columns.get(fld.name)
        if value is None:
            arrays.append(pa.nulls(n, fld.type))
            continue
        arr = value if isinstance(value, pa.Array | pa.ChunkedArray) else pa.array(value)
        if not arr.type.equals(fld.type):
            arr = arr.cast(fld.type)
        arrays.append(arr)
    return pa.Table.from_arrays(arrays, schema=schema)
