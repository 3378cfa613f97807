"""Character-level clean-up shared by every normaliser."""

from __future__ import annotations

# Full-width ASCII (U+FF01..U+FF5E) sits exactly 0xFEE0 above its half-width twin;
# U+3000 is the ideographic (full-width) space. Chinese IMEs produce both.
_HALFWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_HALFWIDTH[0x3000] = 0x20

_FULLWIDTH = {code - 0xFEE0: code for code in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x20] = 0x3000


def to_halfwidth(text: str | None) -> str | None:
    """Turn full-width ASCII letters, digits, punctuation and spaces into half-width.

    Only the full-width block and the ideographic space change; CJK characters
    and everything else stay as they are (unlike NFKC, which also rewrites
    circled digits, ligatures and the like).

    Args:
        text: Any string, or None.

    Returns:
        The half-width string (None stays None).

    Examples:
        >>> to_halfwidth("１３８－００１３")
        '138-0013'
    """
    if text is None:
        return None
    return text.translate(_HALFWIDTH)


def to_fullwidth(text: str | None) -> str | None:
    """The inverse of :func:`to_halfwidth` (used by the sandbox to make messy cells)."""
    if text is None:
        return None
    return text.translate(_FULLWIDTH)


def to_pinyin(text: str) -> str:
    """Toneless pinyin of a Chinese name, lower case, ü as u (张志华 → zhangzhihua, 吕波 → lubo).

    For Chinese characters only: latin letters would have their v turned into u.
    """
    # pypinyin loads its dictionaries on import (about 0.3 s): pay for them only when a
    # name is romanised, not in every process that imports the normalisers.
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(text)).lower().replace("ü", "u").replace("v", "u")
