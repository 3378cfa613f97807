"""MT940 ``:86:`` information to account owner, in the dialects banks actually send.

- Subfields ``?00``–``?63`` (German DFÜ layout, Deutsche Bank, ING-DiBa), also with
  ``^`` or ``~`` as the subfield mark (several Polish banks): ``?20``–``?29`` and
  ``?60``–``?63`` purpose, ``?30`` BIC, ``?31``/``?38`` account, ``?32``–``?33`` name.
- SEPA keywords inside the purpose or the free text: EREF+, MREF+, CRED+, KREF+,
  SVWZ+, IBAN+, BIC+, ABWA+ …
- Dutch structured ``/KEY/value`` (ING, Rabobank, ABN AMRO): /EREF/, /CNTP/,
  /REMI/, /NAME/, /IBAN/, /BIC/, /TRTP/ …
- Anything else is free text: the remittance.

Lines are at most 65 characters: a full line continues on the next without a
space (banks cut words), a shorter one ends a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

LINE_WIDTH = 65
_NOT_PROVIDED = {"NOTPROVIDED", "NONREF", "NONE", ""}

SEPA_KEYWORDS = (
    "EREF", "KREF", "MREF", "CRED", "DEBT", "SVWZ", "ABWA", "ABWE", "IBAN", "BIC",
    "COAM", "OAMT", "SQTP", "PURP", "BREF", "RREF",
)  # fmt: skip
_SEPA_SPLIT = re.compile(r"(?:(?<=\s)|^)(" + "|".join(SEPA_KEYWORDS) + r")\+")
_SEPA_PREFIX = re.compile(r"^(" + "|".join(SEPA_KEYWORDS) + r")\+")
_SUBFIELD_START = re.compile(r"^\s*(\d{3})?([?^~])\d\d")

DUTCH_KEYS = (
    "EREF", "MARF", "CSID", "CNTP", "REMI", "NAME", "IBAN", "BIC", "ORDP", "BENM", "TRTP",
    "TRCD", "PREF", "RTRN", "ADDR", "ISDT", "ULTC", "ULTD", "ULTB", "PURP", "SUM",
    "CDTRREFTP", "CDTRREF", "ISSR", "CODE", "ID",
)  # fmt: skip
_DUTCH_KEY = re.compile(r"/(" + "|".join(DUTCH_KEYS) + r")/")

_PURPOSE_CODES = {f"{n:02d}" for n in (*range(20, 30), *range(60, 64))}
_BIC = re.compile(r"^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$")
# Subfield widths: a part filled to the width was cut mid-word, a shorter one ends a word.
SUBFIELD_WIDTH = {"?": 27, "^": 35, "~": 35}
NAME_WIDTH = 27


def join_parts(parts: list[str], width: int) -> str:
    """Join subfield parts: no space after a part filled to ``width``, one after a shorter."""
    text = ""
    for index, part in enumerate(parts):
        if index and len(parts[index - 1]) < width:
            text += " "
        text += part
    return text


@dataclass(slots=True)
class Information:
    """What an ``:86:`` field says about one line."""

    remittance: str | None = None
    counterparty_name: str | None = None
    counterparty_account: str | None = None
    counterparty_bic: str | None = None
    transaction_text: str | None = None  # ?00 posting text or /TRTP/
    references: dict[str, str] = field(default_factory=dict)


def join_wrapped(lines: list[str]) -> str:
    """Join 65-character lines: no space after a full line, one after a shorter one."""
    text = ""
    for index, line in enumerate(lines):
        if index and len(lines[index - 1]) < LINE_WIDTH:
            text += " "
        text += line
    return text.strip()


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    return value or None


def _apply_sepa(info: Information, segments: list[tuple[str | None, str]]) -> str | None:
    """Map (keyword, value) segments onto ``info``; return the text outside keywords."""
    loose: list[str] = []
    for keyword, raw_value in segments:
        value = _clean(raw_value)
        if keyword is None:
            if value:
                loose.append(value)
            continue
        if value is None:
            continue
        if keyword == "SVWZ":
            info.remittance = value
        elif keyword == "EREF":
            if value.upper() not in _NOT_PROVIDED:
                info.references["end_to_end_id"] = value
        elif keyword == "MREF":
            info.references["mandate_reference"] = value
        elif keyword == "CRED":
            info.references["creditor_id"] = value
        elif keyword == "KREF":
            info.references["customer_reference"] = value
        elif keyword == "IBAN":
            info.counterparty_account = info.counterparty_account or value.replace(" ", "")
        elif keyword == "BIC":
            info.counterparty_bic = info.counterparty_bic or value
        elif keyword in ("ABWA", "ABWE"):
            info.references["ultimate_party"] = value
        else:
            info.references[keyword.lower()] = value
    return " ".join(loose) or None


def _parse_subfields(text: str, mark: str) -> Information:
    info = Information()
    parts = re.split(re.escape(mark) + r"(\d\d)", text)
    prefix = parts[0].strip()
    if prefix:
        info.references["gvc"] = prefix
    width = SUBFIELD_WIDTH[mark]
    purpose: list[str] = []
    names: list[str] = []
    for code, value in zip(parts[1::2], parts[2::2], strict=True):
        if code in _PURPOSE_CODES:
            purpose.append(value)
        elif code == "00":
            info.transaction_text = _clean(value)
        elif code == "10":
            if _clean(value):
                info.references["primanota"] = value.strip()
        elif code == "30":
            bank = (value or "").strip()
            if _BIC.match(bank):
                info.counterparty_bic = bank
            elif bank:
                info.references["counterparty_bank_code"] = bank
        elif code in ("31", "38"):
            account = (value or "").replace(" ", "")
            if account and (code == "38" or not info.counterparty_account):
                info.counterparty_account = account
        elif code in ("32", "33"):
            names.append(value)
    info.counterparty_name = _clean(join_parts(names, NAME_WIDTH))
    # A purpose part that starts with a SEPA keyword starts a new segment; the others
    # continue the current one.
    grouped: list[tuple[str | None, list[str]]] = []
    for part in purpose:
        match = _SEPA_PREFIX.match(part)
        if match:
            grouped.append((match.group(1), [part]))
        elif grouped:
            grouped[-1][1].append(part)
        else:
            grouped.append((None, [part]))
    segments: list[tuple[str | None, str]] = []
    for keyword, parts in grouped:
        text = join_parts(parts, width)
        segments.append((keyword, text[len(keyword) + 1 :] if keyword else text))
    loose = _apply_sepa(info, segments)
    if info.remittance is None:
        info.remittance = loose
    return info


def _parse_sepa_text(text: str) -> Information:
    info = Information()
    pieces = _SEPA_SPLIT.split(text)
    segments: list[tuple[str | None, str]] = [(None, pieces[0])]
    segments += list(zip(pieces[1::2], pieces[2::2], strict=True))
    loose = _apply_sepa(info, segments)
    if info.remittance is None:
        info.remittance = loose
    return info


def _parse_dutch(text: str) -> Information:
    info = Information()
    matches = list(_DUTCH_KEY.finditer(text))
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        key, value = match.group(1), text[match.end() : end].strip().strip("/").strip()
        if not value:
            continue
        if key == "EREF":
            if value.upper() not in _NOT_PROVIDED:
                info.references["end_to_end_id"] = value
        elif key == "MARF":
            info.references["mandate_reference"] = value
        elif key == "CSID":
            info.references["creditor_id"] = value
        elif key == "CNTP":
            fields = [f.strip() for f in value.split("/")]
            fields += [""] * (4 - len(fields))
            info.counterparty_account = fields[0] or info.counterparty_account
            info.counterparty_bic = fields[1] or info.counterparty_bic
            info.counterparty_name = fields[2] or info.counterparty_name
        elif key == "REMI":
            info.remittance = _dutch_remittance(value, info)
        elif key == "NAME":
            info.counterparty_name = info.counterparty_name or _clean(value)
        elif key == "IBAN":
            info.counterparty_account = info.counterparty_account or value.replace(" ", "")
        elif key == "BIC":
            info.counterparty_bic = info.counterparty_bic or value
        elif key in ("TRTP", "TRCD"):
            info.transaction_text = info.transaction_text or _clean(value)
        elif key == "PREF":
            info.references["payment_reference"] = value
        elif key == "CDTRREF":
            info.references["creditor_reference"] = value
        elif key == "RTRN":
            info.references["return_reason"] = value
    return info


def _dutch_remittance(value: str, info: Information) -> str | None:
    if value.startswith("USTD"):
        return _clean(value[4:].lstrip("/"))
    if value.startswith("STRD"):
        reference = value.split("/")[-1].strip()
        if reference:
            info.references["creditor_reference"] = reference
        return reference or None
    return _clean(value)


def parse_information(lines: list[str]) -> Information:
    """Parse the lines of one ``:86:`` field (the tag already removed).

    Args:
        lines: The field's lines, without line breaks.

    Returns:
        Remittance, counterparty and references found in it.
    """
    subfields = _SUBFIELD_START.match(lines[0]) if lines else None
    if subfields is not None:
        # Subfield layouts cut anywhere, even after a space: join the lines as they are.
        return _parse_subfields("".join(lines), subfields.group(2))
    text = join_wrapped([line.rstrip() for line in lines])
    if text.startswith("/") and _DUTCH_KEY.search(text):
        return _parse_dutch(text)
    if _SEPA_SPLIT.search(text):
        return _parse_sepa_text(text)
    return Information(remittance=_clean(text))
