"""Phone numbers to E.164 (``+8613800138000``), the way Chinese B2B sources write them.

The rules, in the order they apply (each has unit tests in tests/unit/normalize):

1. Input: a string, or an int/whole float (Excel stores mobiles as numbers).
   None, "" and anything else give None.
2. Full-width digits, ``＋``, ``－``, ``（）`` and the ideographic space become
   half-width; dash variants (— – ‐ ‒) count as dashes; a ``tel:`` prefix goes.
3. Several numbers in one cell (separated by ``/ , ; 、 |`` or ``或``): the first one
   that parses wins.
4. A trailing extension is dropped: ``ext 12``, ``ext.12``, ``x12``, ``转12``,
   ``分机12``, ``#12``; and, when the number only parses without it, a last
   dash-group of 1–5 digits after a landline (``010-12345678-801``).
5. After that only digits, spaces, ``+ - . ( )`` may remain: a letter, a CJK
   character or any other symbol makes the number unparseable (None).
6. International form: a leading ``+`` (also inside brackets: ``(+86)``) or
   ``00`` (the IDD prefix used from China) is followed by the country calling
   code. A trunk ``0`` written after the country code (``+86 (0)21 ...``,
   ``+886 0912 ...``) is dropped, except for Italy (+39), which keeps it.
7. Without ``+``/``00`` the number is national to ``default_region`` (CN):
   an 11-digit mobile ``1[3-9]xxxxxxxxx`` becomes ``+86…``; a landline needs
   its trunk ``0`` and area code (``010-12345678`` → ``+861012345678``,
   ``0571 1234567`` → ``+865711234567``); ``86`` written without ``+``
   (``86-138 0013 8000``) is taken as the country code because no national
   number starts with 86; ``852``/``853``/``886`` without ``+`` likewise when the
   rest has the length of a Hong Kong/Macau/Taiwan number.
8. Chinese numbers must be a mobile (``1[3-9]`` + 9 digits) or a landline
   (area code ``10``/``2x`` + 8 digits, or a 3-digit area code + 7–8 digits).
   400/800 service numbers and 8-digit local numbers without an area code give
   None: they do not identify a person or cannot be completed.
9. Other countries keep their code; known countries are checked for their
   national length (HK/MO 8, TW 8–9, NANP 10, SG 8, UK 9–10, JP 9–10, KR 8–10,
   AU 9), any other for 8–15 digits in total (the E.164 maximum is 15).
10. Placeholders give None: a national number whose digits are all the same
    (``00000000000``) or whose last 8 digits are all the same (``13800000000``,
    ``13888888888``), which forms use for "no phone".
"""

from __future__ import annotations

import re

from ingestion.common.normalize.text import to_halfwidth

_DASHES = str.maketrans({"—": "-", "–": "-", "‐": "-", "‒": "-", "−": "-", "ー": "-"})
_SPLIT = re.compile(r"[/,;、|]|或")
_EXTENSION = re.compile(r"\s*(?:ext\.?|x|转|分机|#)\s*\d{1,6}\s*$", re.IGNORECASE)
_DASH_EXTENSION = re.compile(r"^(.*\d)\s*-\s*\d{1,5}$")
_ALLOWED = re.compile(r"[\d\s+\-.()]+")
_NON_DIGIT = re.compile(r"\D")

_CN_MOBILE = re.compile(r"1[3-9]\d{9}")
_CN_LANDLINE = re.compile(r"(?:10|2\d)\d{8}|[3-9]\d{2}\d{7,8}")
_CN_SERVICE = re.compile(r"[48]00\d{7}")

# Calling codes: 1 and 7 have one digit, these have two, the rest of the
# assigned ones three (first two digits listed in _THREE_DIGIT_PREFIXES).
_TWO_DIGIT_CODES = frozenset(
    "20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 "  # noqa: SIM905
    "61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98".split()
)
_THREE_DIGIT_PREFIXES = frozenset(
    "21 22 23 24 25 26 29 35 37 38 42 50 59 67 68 69 80 85 87 88 96 97 99".split()  # noqa: SIM905
)
_NATIONAL_LENGTHS: dict[str, frozenset[int]] = {
    "852": frozenset({8}),
    "853": frozenset({8}),
    "886": frozenset({8, 9}),
    "1": frozenset({10}),
    "65": frozenset({8}),
    "44": frozenset({9, 10}),
    "81": frozenset({9, 10}),
    "82": frozenset({8, 9, 10}),
    "61": frozenset({9}),
}
# Regions a caller may name as default_region, with their calling code.
REGION_CODES: dict[str, str] = {
    "CN": "86",
    "HK": "852",
    "MO": "853",
    "TW": "886",
    "SG": "65",
    "US": "1",
    "GB": "44",
    "JP": "81",
    "KR": "82",
    "AU": "61",
}
_GREATER_CHINA = ("852", "853", "886")


def _is_placeholder(national: str) -> bool:
    return len(set(national)) == 1 or len(set(national[-8:])) == 1


def _split_country_code(digits: str) -> tuple[str, str] | None:
    if not digits:
        return None
    if digits[0] in "17":
        return digits[:1], digits[1:]
    if digits[:2] in _TWO_DIGIT_CODES:
        return digits[:2], digits[2:]
    if digits[:2] in _THREE_DIGIT_PREFIXES:
        return digits[:3], digits[3:]
    return None


def _valid_national(country: str, national: str) -> bool:
    if country == "86":
        if _CN_SERVICE.fullmatch(national):
            return False
        return bool(_CN_MOBILE.fullmatch(national) or _CN_LANDLINE.fullmatch(national))
    lengths = _NATIONAL_LENGTHS.get(country)
    if lengths is not None:
        return len(national) in lengths
    return len(national) >= 4 and 8 <= len(country) + len(national) <= 15


def _international(digits: str) -> str | None:
    """Digits after ``+``/``00``: country code then national number."""
    split = _split_country_code(digits)
    if split is None:
        return None
    country, national = split
    if country != "39" and national.startswith("0"):
        national = national[1:]
    if not _valid_national(country, national) or _is_placeholder(national):
        return None
    return f"+{country}{national}"


def _national_cn(digits: str) -> str | None:
    if _CN_MOBILE.fullmatch(digits):
        return None if _is_placeholder(digits) else f"+86{digits}"
    if digits.startswith("0"):
        if digits.startswith("00"):
            return None
        national = digits[1:]
        if _valid_national("86", national) and not _is_placeholder(national):
            return f"+86{national}"
        return None
    if digits.startswith("86"):
        return _international(digits)
    if digits.startswith(_GREATER_CHINA):
        return _international(digits)
    return None


def _national(digits: str, country: str) -> str | None:
    if country == "86":
        return _national_cn(digits)
    if digits.startswith(country) and (found := _international(digits)):
        return found
    national = digits[1:] if digits.startswith("0") and country != "39" else digits
    return _international(country + national)


def _parse_one(text: str, country: str) -> str | None:
    text = _EXTENSION.sub("", text).strip()
    if not text or not _ALLOWED.fullmatch(text):
        return None
    digits = _NON_DIGIT.sub("", text)
    if len(digits) < 7 or len(digits) > 17:
        return None
    if text.lstrip("( ").startswith("+"):
        return _international(digits)
    if digits.startswith("00"):
        return _international(digits[2:])
    return _national(digits, country)


def normalize_phone(raw: object, default_region: str = "CN") -> str | None:
    """Normalise a phone number as typed in a Chinese source system to E.164.

    See the module docstring for every rule.

    Args:
        raw: The phone as the source holds it (string, or a number from Excel).
        default_region: Region of numbers written without a country code
            (a key of ``REGION_CODES``).

    Returns:
        The E.164 string (``+8613800138000``), or None when the value is not a
        usable phone number.

    Raises:
        ValueError: For an unknown ``default_region``.

    Examples:
        >>> normalize_phone("+86 138-0013-8000")
        '+8613800138000'
        >>> normalize_phone("010-12345678")
        '+861012345678'
        >>> normalize_phone("13800000000") is None
        True
    """
    country = REGION_CODES.get(default_region.upper())
    if country is None:
        raise ValueError(f"unknown default_region {default_region!r}")
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        raw = str(raw)
    elif isinstance(raw, float):
        if not raw.is_integer():
            return None
        raw = str(int(raw))
    elif not isinstance(raw, str):
        return None
    text = to_halfwidth(raw).translate(_DASHES).strip()  # type: ignore[union-attr]
    if text[:4].lower() == "tel:":
        text = text[4:]
    for candidate in _SPLIT.split(text):
        candidate = candidate.strip()
        if not candidate:
            continue
        found = _parse_one(candidate, country)
        if found is None and (short := _DASH_EXTENSION.match(candidate)):
            retry = _parse_one(short.group(1), country)
            # Only a landline carries a dash extension; a mobile plus digits is a typo.
            if retry is not None and not _CN_MOBILE.fullmatch(retry.removeprefix("+86")):
                found = retry
        if found is not None:
            return found
    return None
