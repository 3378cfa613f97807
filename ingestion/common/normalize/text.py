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
