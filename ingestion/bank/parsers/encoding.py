"""Decode statement files: byte-order marks, UTF-8, then the legacy code pages banks use.

Chinese exports come as UTF-8 (with or without BOM) or GBK/GB18030; MT940 files
as UTF-8/ASCII or a single-byte code page (cp1250 for Central Europe, cp852 from
DOS-era systems, latin-1). Single-byte code pages all "decode" any byte, so the
choice between them is a score: the one that turns the non-ASCII bytes into
letters rather than box-drawing or control characters wins.
"""

from __future__ import annotations

import unicodedata

from ingestion.bank.parsers.model import UnreadableFileError

CHINESE_ENCODINGS = ("gbk", "gb18030")
SINGLE_BYTE_ENCODINGS = ("cp1250", "cp852", "latin-1")

_ASCII_BYTES = bytes(range(0x80))

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark announces, if the data starts with one."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def _letter_score(text: str) -> int:
    """Letters score +1, anything else outside ASCII -3 (controls, symbols, box drawing)."""
    score = 0
    for char in text:
        if char < "\x80":
            continue
        category = unicodedata.category(char)
        score += 1 if category.startswith("L") else -3
    return score


def _best_single_byte(data: bytes) -> tuple[str, str]:
    non_ascii = data.translate(None, _ASCII_BYTES)
    best: tuple[int, str] | None = None
    for encoding in SINGLE_BYTE_ENCODINGS:
        try:
            score = _letter_score(non_ascii.decode(encoding))
        except UnicodeDecodeError:
            continue
        # Strictly greater: ties keep the earlier (more common) code page.
        if best is None or score > best[0]:
            best = (score, encoding)
    assert best is not None  # latin-1 decodes every byte
    return data.decode(best[1]), best[1]


def decode(data: bytes, *, family: str) -> tuple[str, str]:
    """Decode a statement file.

    Args:
        data: The raw file content.
        family: ``"chinese"`` (try GBK/GB18030 after UTF-8) or ``"latin"`` (try
            cp1250/cp852/latin-1 after UTF-8).

    Returns:
        The text and the name of the encoding that read it.

    Raises:
        UnreadableFileError: No candidate encoding reads the bytes.
    """
    announced = bom_encoding(data)
    if announced is not None:
        try:
            return data.decode(announced), announced
        except UnicodeDecodeError as exc:
            raise UnreadableFileError(
                f"file starts with a {announced} byte-order mark but is not valid {announced} "
                f"(byte {exc.start})"
            ) from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if family == "chinese":
        for encoding in CHINESE_ENCODINGS:
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                continue
        raise UnreadableFileError("file is neither UTF-8 nor GBK/GB18030 text")
    return _best_single_byte(data)
