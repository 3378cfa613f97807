"""Bank statement parsers: MT940, camt.053 and Chinese CSV exports, recognised by content.

``parse_file(path)`` / ``parse_bytes(data)`` detect the format from the bytes
(never the file name), decode the text and return a :class:`ParsedFile` whose
statements are already balance-checked (``check_statement``). Pure Python: no
dlt, no I/O beyond reading the one file.
"""

from __future__ import annotations

import re
from pathlib import Path

from ingestion.bank.parsers.camt053 import parse_camt053
from ingestion.bank.parsers.cn_csv import looks_like_cn_export, parse_cn_csv
from ingestion.bank.parsers.encoding import bom_encoding, decode
from ingestion.bank.parsers.model import (
    CAMT053,
    CN_CSV,
    FORMATS,
    MT940,
    Entry,
    ParsedFile,
    Statement,
    UnreadableFileError,
    check_statement,
    money_str,
)
from ingestion.bank.parsers.mt940 import parse_mt940

__all__ = [
    "CAMT053",
    "CN_CSV",
    "FORMATS",
    "MT940",
    "Entry",
    "ParsedFile",
    "Statement",
    "UnreadableFileError",
    "detect_format",
    "money_str",
    "parse_bytes",
    "parse_file",
]

_SNIFF_BYTES = 8192
_MT940_TAGS = re.compile(rb"(?m)^[ \t]*(?:\{4:)?:(20|25|28C?|60[FM]|61|62[FM]):")
_XML_ENCODING = re.compile(rb"""<\?xml[^>]*encoding=["']([A-Za-z0-9_.:-]+)["']""")


def _head_bytes(data: bytes) -> bytes:
    """The start of the file as ASCII-compatible bytes (UTF-16 re-encoded)."""
    head = data[: _SNIFF_BYTES * 2]
    if bom_encoding(head) == "utf-16":
        return head.decode("utf-16", errors="ignore").encode("utf-8", errors="ignore")
    return head.removeprefix(b"\xef\xbb\xbf")


def detect_format(data: bytes) -> str | None:
    """Recognise the format from the content: ``mt940``, ``camt053``, ``xml`` or None.

    None means "not MT940 or XML": it may still be a Chinese CSV export, which
    needs decoding before its header can be recognised.
    """
    head = _head_bytes(data).lstrip()
    if head.startswith(b"<"):
        return CAMT053 if b"camt.053" in head or b"BkToCstmrStmt" in head else "xml"
    tags = {m.group(1) for m in _MT940_TAGS.finditer(head[:_SNIFF_BYTES])}
    if len(tags) >= 2:
        return MT940
    return None


def parse_bytes(data: bytes) -> ParsedFile:
    """Parse one statement file's content.

    Args:
        data: The raw bytes.

    Returns:
        The parsed file with balance-checked statements.

    Raises:
        UnreadableFileError: Empty, not a statement format, undecodable or not
            well-formed; the message says why in one line.
    """
    if not data.strip():
        raise UnreadableFileError("file is empty")
    kind = detect_format(data)
    if kind in (CAMT053, "xml"):
        statements, version, error = parse_camt053(data)
        declared = _XML_ENCODING.search(data[:200])
        encoding = bom_encoding(data) or (
            declared.group(1).decode().lower() if declared else "utf-8"
        )
        parsed = ParsedFile(CAMT053, encoding, statements, variant=version, error=error)
    elif kind == MT940:
        text, encoding = decode(data, family="latin")
        parsed = ParsedFile(MT940, encoding, parse_mt940(text), variant=None)
    else:
        try:
            text, encoding = decode(data, family="chinese")
        except UnreadableFileError as exc:
            raise UnreadableFileError(f"not a bank statement: {exc}") from exc
        if not looks_like_cn_export(text):
            raise UnreadableFileError(
                "not a bank statement: no MT940 tags, camt.053 XML or Chinese statement "
                "header row (交易日期 … 金额) found"
            )
        statements, layout = parse_cn_csv(text)
        parsed = ParsedFile(CN_CSV, encoding, statements, variant=layout)
    for statement in parsed.statements:
        check_statement(statement)
    return parsed


def parse_file(path: str | Path) -> ParsedFile:
    """Read and parse one statement file (see :func:`parse_bytes`)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise UnreadableFileError(f"cannot read file: {exc.strerror or exc}") from exc
    return parse_bytes(data)
