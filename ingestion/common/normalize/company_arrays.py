"""Company keys over Arrow columns, equal value for value to :mod:`.company`.

Most names in Chinese sources are Chinese characters, digits, spaces (also the
ideographic one) and brackets, e.g. ``上海云帆信息科技有限公司`` or
``联嘉金属制品（成都）有限公司``. For exactly those characters every rule of the
scalar functions has a form Arrow's RE2 runs over a whole column: half-width and
lower-case change nothing but the space and the brackets, ``[\\W_]+`` splits only at
spaces and brackets, and no English legal-form word can occur. Every other name (Latin
letters, other punctuation, other brackets) goes through the scalar function, once
per distinct value.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingestion.common.normalize.company import (
    _REGIONS_EN,
    _REGIONS_ZH,
    _ZH_SUFFIXES,
    company_core_key,
    company_match_key,
)

# Han ideographs (all assigned in the Unicode version Python uses), ASCII digits, space,
# the ideographic space and round brackets in both widths.
_FAST_NAME = r"^[\x{4e00}-\x{9fff}0-9 \x{3000}()（）]*$"
_REGIONS = "|".join(sorted(_REGIONS_ZH, key=len, reverse=True))
_CHINA = r"\( *中国 *\)"
_TRAILING = rf"公司 *\( *(?:{_REGIONS})[省市]? *\) *$"
_REGION_IN_BRACKETS = rf"\( *(?:(?:{_REGIONS})[省市]?|{'|'.join(_REGIONS_EN)}) *\)"
_SEPARATORS = r"[ ()]+"
_BRANCH = r"(?:有限责任|股份有限|有限)?公司.{1,10}?分公司$"
_REGIONS_BY_SIZE = {
    size: pa.array([r for r in _REGIONS_ZH if len(r) == size], pa.string())
    for size in {len(r) for r in _REGIONS_ZH}
}
_PROVINCE_CITY = pa.array(["省", "市"], pa.string())
_REGION_INITIALS = pa.array(sorted({r[0] for r in _REGIONS_ZH}), pa.string())
_NULL = pa.scalar(None, pa.string())
_LEGAL_FORMS = pa.array(_ZH_SUFFIXES, pa.string())


def _where(values: pa.Array, mask: pa.Array, step: Callable[[pa.Array], pa.Array]) -> pa.Array:
    """``step`` applied only to the values under ``mask`` (most names need no bracket rule)."""
    mask = pc.fill_null(mask, False)
    if not pc.any(mask).as_py():
        return values
    return pc.replace_with_mask(values, mask, step(values.filter(mask)))


def _prepare(values: pa.Array) -> pa.Array:
    """``_prepare`` for fast names: half-width spaces and brackets, stripped, empty -> null."""
    text = pc.replace_substring(values, "\u3000", " ")
    text = pc.replace_substring(pc.replace_substring(text, "（", "("), "）", ")")
    text = pc.utf8_trim(text, " ")
    text = pc.if_else(pc.equal(text, ""), _NULL, text)
    bracketed = pc.match_substring(text, "(")
    text = _where(text, bracketed, lambda t: pc.replace_substring_regex(t, _CHINA, " "))
    # The scalar rule keeps the legal form and drops the bracketed region after it.
    return _where(text, bracketed, lambda t: pc.replace_substring_regex(t, _TRAILING, "公司"))


def _until_stable(values: pa.Array, step: Callable[[pa.Array], pa.Array]) -> pa.Array:
    """Apply ``step`` until nothing changes; each round only to the values the last changed."""
    positions = np.arange(len(values))
    subset = values
    while len(subset):
        after = step(subset)
        changed = pc.fill_null(pc.not_equal(after, subset), False)
        if not pc.any(changed).as_py():
            break
        moved = positions[changed.to_numpy(zero_copy_only=False)]
        mask = np.zeros(len(values), dtype=bool)
        mask[moved] = True
        values = pc.replace_with_mask(values, pa.array(mask), after.filter(changed))
        positions, subset = moved, after.filter(changed)
    return values


def _strip_suffix(key: pa.Array) -> pa.Array:
    """Drop the longest legal form that ends the key, unless it is the whole key."""
    cut = pa.nulls(len(key), pa.int64())
    for suffix in reversed(_ZH_SUFFIXES):  # the earlier (longer) suffix wins
        cut = pc.if_else(pc.fill_null(pc.ends_with(key, suffix), False), len(suffix), cut)
    longer = pc.greater(pc.utf8_length(key), cut)
    for size in sorted({len(s) for s in _ZH_SUFFIXES}):
        drop = pc.fill_null(pc.and_(pc.equal(cut, size), longer), False)
        key = pc.if_else(drop, pc.utf8_slice_codeunits(key, 0, -size), key)
    return key


def _finish(text: pa.Array) -> pa.Array:
    """``_finish``: words joined, branch and legal forms dropped; a bare legal form -> null."""
    key = pc.replace_substring_regex(text, _SEPARATORS, "")
    key = pc.if_else(pc.equal(key, ""), _NULL, key)
    branchless = pc.replace_substring_regex(key, _BRANCH, "")
    key = pc.if_else(pc.equal(branchless, ""), key, branchless)
    key = _until_stable(key, _strip_suffix)
    bare = pc.is_in(key, _LEGAL_FORMS)
    return pc.if_else(pc.fill_null(bare, False), _NULL, key)


def _shed_region(key: pa.Array) -> pa.Array:
    """One leading province or city (the longest that fits) and its 省/市, if 2 chars remain."""
    first = pc.is_in(pc.utf8_slice_codeunits(key, 0, 1), _REGION_INITIALS)
    return _where(key, first, _shed_region_of)


def _shed_region_of(key: pa.Array) -> pa.Array:
    region = pa.nulls(len(key), pa.int64())
    for size, names in sorted(_REGIONS_BY_SIZE.items()):  # the longer region wins
        prefix = pc.utf8_slice_codeunits(key, 0, size)
        region = pc.if_else(pc.fill_null(pc.is_in(prefix, names), False), size, region)
    cut = region
    for size in _REGIONS_BY_SIZE:
        marked = pc.is_in(pc.utf8_slice_codeunits(key, size, size + 1), _PROVINCE_CITY)
        cut = pc.if_else(pc.and_(pc.equal(region, size), marked), size + 1, cut)
    keep = pc.greater_equal(pc.utf8_length(key), pc.add(cut, 2))
    shorter = key
    for size in sorted({n + extra for n in _REGIONS_BY_SIZE for extra in (0, 1)}):
        drop = pc.fill_null(pc.and_(pc.equal(cut, size), keep), False)
        shorter = pc.if_else(drop, pc.utf8_slice_codeunits(key, size), shorter)
    return shorter


def _fast_keys(names: pa.Array) -> tuple[pa.Array, pa.Array]:
    text = _prepare(names)
    match = _finish(text)
    core = match
    # Without brackets the core key starts from the match key; with them, regions in
    # brackets go first.
    bracketed = pc.fill_null(pc.match_substring(text, "("), False)
    if pc.any(bracketed).as_py():
        unbracketed = pc.replace_substring_regex(text.filter(bracketed), _REGION_IN_BRACKETS, " ")
        core = pc.replace_with_mask(match, bracketed, _finish(unbracketed))
    return match, _until_stable(core, _shed_region)


def company_key_arrays(values: pa.Array) -> tuple[pa.Array, pa.Array]:
    """(:func:`~.company.company_match_key`, :func:`~.company.company_core_key`) of a column.

    Each distinct name is keyed once: through Arrow when it has only the characters
    above, else through the scalar functions.
    """
    encoded = values.dictionary_encode()
    names = encoded.dictionary
    usable = pc.fill_null(pc.match_substring_regex(names, _FAST_NAME), False)
    match, core = _fast_keys(pc.if_else(usable, names, _NULL))
    slow = pc.invert(usable)
    if pc.any(slow).as_py():
        others = names.filter(slow).to_pylist()
        match = pc.replace_with_mask(
            match, slow, pa.array([company_match_key(n) for n in others], pa.string())
        )
        core = pc.replace_with_mask(
            core, slow, pa.array([company_core_key(n) for n in others], pa.string())
        )
    return match.take(encoded.indices), core.take(encoded.indices)
