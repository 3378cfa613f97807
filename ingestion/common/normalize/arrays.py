"""Vectorised normalisers for Arrow columns, equal value for value to the scalar ones.

Phones and e-mails take a fast path in Arrow compute for the common clean forms
(an 11-digit mobile with an optional +86/0086/86 prefix, a plain address) and
send every other value through the scalar function, so the rules live in one
place. Company keys and half-width text repeat a lot: they are computed once per
distinct value.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingestion.common.normalize import company_arrays
from ingestion.common.normalize.email import (
    EMAIL_PATTERN,
    PLACEHOLDER_DOMAINS,
    PLACEHOLDER_LOCALS,
    normalize_email,
)
from ingestion.common.normalize.phone import normalize_phone
from ingestion.common.normalize.text import to_halfwidth

ArrayLike = pa.Array | pa.ChunkedArray

_SPACE = r"[ \t\x{3000}]"
# A mobile with an optional (+86)/0086/86 prefix and single separators between
# digits: the scalar rules give "+86" + the last 11 digits for exactly these.
_FAST_MOBILE = (
    rf"^{_SPACE}*(?:[(（]?(?:[+＋]|00|００)?(?:86|８６)[)）]?)?[ \t\x{{3000}}\-－.]*"
    rf"[1１][3-9３-９](?:[ \-－.\x{{3000}}]?[0-9０-９]){{9}}{_SPACE}*$"
)
_PLACEHOLDER_TAIL = "(?:" + "|".join(f"{d}{{8}}" for d in range(10)) + ")$"
_FAST_EMAIL = rf"(?i)^[ \t]*{EMAIL_PATTERN}[ \t]*$"
_EMAIL_PLACEHOLDER = (
    "^(?:"
    + "|".join(local.replace(".", r"\.") for local in sorted(PLACEHOLDER_LOCALS))
    + ")@|@(?:"
    + "|".join(domain.replace(".", r"\.") for domain in sorted(PLACEHOLDER_DOMAINS))
    + ")$"
)


_NULL_STRING = pa.scalar(None, pa.string())


def _as_array(values: ArrayLike) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks() if values.num_chunks else pa.array([], pa.string())
    if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        values = values.cast(pa.string())
    return values


def _with_fallback(
    values: pa.Array, fast_mask: pa.Array, fast_values: pa.Array, scalar: Callable[[Any], Any]
) -> pa.Array:
    """Take ``fast_values`` where ``fast_mask``, else ``scalar`` of the original value."""
    fast_mask = pc.fill_null(fast_mask, False)
    slow_idx = pc.indices_nonzero(pc.invert(fast_mask)).to_numpy()
    if len(slow_idx) == 0:
        return fast_values.cast(pa.string())
    slow_inputs = values.take(pa.array(slow_idx)).to_pylist()
    slow_out: list[str | None] = [None] * len(values)
    for position, value in zip(slow_idx.tolist(), slow_inputs, strict=True):
        slow_out[position] = scalar(value)
    return pc.if_else(fast_mask, fast_values, pa.array(slow_out, pa.string()))


def normalize_phone_array(values: ArrayLike, default_region: str = "CN") -> pa.Array:
    """:func:`normalize_phone` over an Arrow string column (same results, faster).

    Args:
        values: Phone strings (nulls allowed).
        default_region: As for :func:`normalize_phone`.

    Returns:
        A string array of E.164 numbers (null where unusable).
    """
    values = _as_array(values)
    if default_region.upper() != "CN":
        return pa.array(
            [normalize_phone(v, default_region) for v in values.to_pylist()], pa.string()
        )
    digits = pc.replace_substring_regex(pc.utf8_normalize(values, "NFKC"), r"[^0-9]", "")
    mobile = pc.utf8_slice_codeunits(digits, -11)
    fast = pc.and_(
        pc.match_substring_regex(values, _FAST_MOBILE),
        pc.invert(pc.match_substring_regex(mobile, _PLACEHOLDER_TAIL)),
    )
    fast_values = pc.binary_join_element_wise("+86", mobile, "")
    return _with_fallback(values, fast, fast_values, normalize_phone)


def normalize_email_array(values: ArrayLike) -> pa.Array:
    """:func:`normalize_email` over an Arrow string column (same results, faster)."""
    values = _as_array(values)
    lowered = pc.utf8_lower(pc.utf8_trim(values, " \t"))
    fast = pc.and_(
        pc.match_substring_regex(values, _FAST_EMAIL),
        pc.invert(pc.match_substring_regex(lowered, _EMAIL_PLACEHOLDER)),
    )
    return _with_fallback(values, fast, lowered, normalize_email)


def map_unique(values: ArrayLike, function: Callable[[Any], Any]) -> pa.Array:
    """Apply a scalar string function once per distinct value of a column.

    Args:
        values: A string column.
        function: Called with each distinct non-null value; returns str or None.

    Returns:
        A string array aligned with ``values`` (null stays null).
    """
    values = _as_array(values)
    encoded = values.dictionary_encode()
    mapped = pa.array([function(v) for v in encoded.dictionary.to_pylist()], pa.string())
    return mapped.take(encoded.indices)


def to_halfwidth_array(values: ArrayLike) -> pa.Array:
    """:func:`to_halfwidth` over a column."""
    return map_unique(values, to_halfwidth)


def clean_text(value: str | None) -> str | None:
    """Half-width and trimmed; None for blank: how free-text cells are kept."""
    if value is None:
        return None
    return (to_halfwidth(value) or "").strip() or None


# Values whose cleaning Arrow cannot do the same way: full-width characters, and the
# separators \x1c-\x1f, which Python's strip() removes but Unicode's White_Space lacks.
_NEEDS_SCALAR_CLEAN = "[\uff01-\uff5e\u3000\x1c-\x1f]"


def clean_text_array(values: ArrayLike) -> pa.Array:
    """:func:`clean_text` over a column (vectorised unless a value holds full-width text)."""
    values = _as_array(values)
    if len(values) > 1000:
        # Most text columns repeat (company, title, rating): clean each distinct value once.
        encoded = values.dictionary_encode()
        if len(encoded.dictionary) * 4 < len(values):
            return clean_text_array(encoded.dictionary).take(encoded.indices)
    trimmed = pc.utf8_trim_whitespace(values)
    cleaned = pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)
    fast = pc.invert(pc.match_substring_regex(values, _NEEDS_SCALAR_CLEAN))
    return _with_fallback(values, fast, cleaned, clean_text)


def company_key_arrays(values: ArrayLike) -> tuple[pa.Array, pa.Array]:
    """(:func:`company_match_key`, :func:`company_core_key`) over a column, computed together
    (vectorised for Chinese names; see :mod:`.company_arrays`)."""
    return company_arrays.company_key_arrays(_as_array(values))


def company_match_key_array(values: ArrayLike) -> pa.Array:
    """:func:`company_match_key` over a column."""
    return company_key_arrays(values)[0]


def company_core_key_array(values: ArrayLike) -> pa.Array:
    """:func:`company_core_key` over a column."""
    return company_key_arrays(values)[1]


def hex_strings(
    digests: list[bytes], present: np.ndarray | None = None, chars: int = 64
) -> pa.Array:
    """Digests as lower-case hex strings of their first ``chars`` characters.

    ``present`` marks the rows that have a digest (the others are null); ``digests``
    holds only those. One ``bytes.hex()`` over all of them instead of a call per value.
    """
    size = len(digests) if present is None else len(present)
    text = b"".join(digests).hex().encode("ascii")
    if digests and chars != len(digests[0]) * 2:
        full = np.frombuffer(text, dtype=np.uint8).reshape(len(digests), -1)
        text = full[:, :chars].tobytes()
    offsets = np.zeros(size + 1, dtype=np.int32)
    if present is None:
        offsets[1:] = np.arange(1, size + 1, dtype=np.int32) * chars
        validity = None
    else:
        np.cumsum(present * chars, out=offsets[1:])
        validity = pa.py_buffer(np.packbits(present, bitorder="little"))
    return pa.Array.from_buffers(
        pa.string(), size, [validity, pa.py_buffer(offsets), pa.py_buffer(text)]
    )


def sha256_hex_array(values: ArrayLike, chars: int = 64) -> pa.Array:
    """sha256 of each UTF-8 value as hex (its first ``chars`` characters); null stays null."""
    values = _as_array(values)
    sha = hashlib.sha256
    if values.null_count == 0:
        return hex_strings(
            [sha(b).digest() for b in values.cast(pa.binary()).to_pylist()], None, chars
        )
    present = pc.is_valid(values).to_numpy(zero_copy_only=False)
    kept = values.filter(pc.is_valid(values)).cast(pa.binary()).to_pylist()
    return hex_strings([sha(b).digest() for b in kept], present, chars)


# ASCII characters Python's str.strip() removes (Unicode White_Space plus \x1c-\x1f).
_PY_SPACE_BYTES = np.zeros(256, dtype=bool)
_PY_SPACE_BYTES[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True


def _strip_is_noop(values: pa.Array) -> np.ndarray:
    """Per value: whether ``value.strip()`` would leave it unchanged (null: True).

    Judged from the first and last byte; only values that start or end outside ASCII
    ask Arrow (whose Unicode White_Space equals Python's outside ASCII).
    """
    offsets = np.frombuffer(values.buffers()[1], dtype=np.int32)[
        values.offset : values.offset + len(values) + 1
    ]
    filled = np.diff(offsets) > 0
    if values.null_count:
        filled &= pc.is_valid(values).to_numpy(zero_copy_only=False)
    noop = np.ones(len(values), dtype=bool)
    if not filled.any():
        return noop
    data = np.frombuffer(values.buffers()[2], dtype=np.uint8)
    first, last = data[offsets[:-1][filled]], data[offsets[1:][filled] - 1]
    noop[filled] = ~(_PY_SPACE_BYTES[first] | _PY_SPACE_BYTES[last])
    wide = np.zeros(len(values), dtype=bool)
    wide[filled] = (first >= 0x80) | (last >= 0x80)
    if wide.any():
        subset = values.filter(pa.array(wide))
        same = pc.equal(pc.utf8_trim_whitespace(subset), subset).to_numpy(zero_copy_only=False)
        noop[wide] &= same
    return noop


def hash_identifier_array(values: ArrayLike, chars: int = 64) -> pa.Array:
    """:func:`~ingestion.common.normalize.hashing.hash_identifier` over a column.

    ``chars`` keeps only the first hex characters (keys use 32).
    """
    values = _as_array(values)
    if _strip_is_noop(values).all():
        # Hashed as they are, straight from their UTF-8 bytes; empty means no identifier.
        present = pc.fill_null(pc.not_equal(values, ""), False)
        return sha256_hex_array(pc.if_else(present, values, _NULL_STRING), chars)
    sha = hashlib.sha256
    stripped = [value.strip() if value is not None else "" for value in values.to_pylist()]
    mask = np.array([bool(text) for text in stripped], dtype=bool)
    digests = [sha(text.encode("utf-8")).digest() for text in stripped if text]
    return hex_strings(digests, mask, chars)
