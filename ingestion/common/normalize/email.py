"""E-mail addresses to one canonical, lower-case form.

Rules, in order:

1. None, non-strings and blank strings give None.
2. Full-width characters become half-width (``＠`` → ``@``, ``．`` → ``.``) and the
   ideographic full stops ``。``/``｡`` become dots; ``[at]``/``(at)`` become ``@``.
3. ``Name <addr>``: only what is inside the angle brackets counts; a ``mailto:``
   prefix and a ``?subject=...`` query go.
4. Spaces around ``@`` are removed; the cell is then split on
   whitespace, ``, ; / 、`` and the first piece holding ``@`` is the address.
5. Surrounding quotes and brackets and trailing punctuation are stripped; the
   address is lower-cased (mailbox names are case-insensitive in practice).
6. The result must be ``local@domain.tld``: an ASCII local part of letters,
   digits and ``. _ % + -`` without leading, trailing or doubled dots, a
   domain of dot-separated labels and a TLD of at least two letters.
   Otherwise None.
7. Placeholders give None: local parts such as ``none``, ``null``, ``noemail``,
   ``test``, ``na``, ``xxx`` and the reserved example domains.

Dots and ``+tags`` in the local part are kept: they may be different people's
mailboxes on a company server, so only a display-level normalisation is done.
"""

from __future__ import annotations

import re

from ingestion.common.normalize.text import to_halfwidth

_STOPS = str.maketrans({"。": ".", "｡": ".", "．": "."})
_AT_WORD = re.compile(r"\s*[\[(]\s*at\s*[\])]\s*", re.IGNORECASE)
_ANGLE = re.compile(r"<([^<>]*@[^<>]*)>")
_SPACE_AROUND = re.compile(r"\s*@\s*")
_PIECES = re.compile(r"[\s,;/、]+")
_LEAD_STRIP = "\"'([{<"
_TRAIL_STRIP = "\"')]}>.,;:!?"
EMAIL_PATTERN = (
    r"[a-z0-9_%+-]+(?:\.[a-z0-9_%+-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}"
)
_EMAIL = re.compile(EMAIL_PATTERN)
PLACEHOLDER_LOCALS = frozenset(
    {
        "none",
        "null",
        "nil",
        "na",
        "n.a",
        "noemail",
        "no-email",
        "no_email",
        "nomail",
        "test",
        "xxx",
        "xx",
        "x",
        "email",
        "unknown",
    }
)
PLACEHOLDER_DOMAINS = frozenset(
    {
        "example.com",
        "example.org",
        "example.net",
        "test.com",
        "none.com",
        "email.com",
        "xxx.com",
        "xx.com",
    }
)


def is_placeholder_email(address: str) -> bool:
    """True for addresses forms use for "no e-mail" (``none@none.com``, ``test@…``)."""
    local, _, domain = address.partition("@")
    return local in PLACEHOLDER_LOCALS or domain in PLACEHOLDER_DOMAINS


def normalize_email(raw: object) -> str | None:
    """Normalise an e-mail address as typed into a form, a CRM or a badge scanner.

    See the module docstring for every rule.

    Args:
        raw: The value as the source holds it.

    Returns:
        The lower-case address, or None when the value holds no usable address.

    Examples:
        >>> normalize_email(" ZhangSan＠YunFan.com ")
        'zhangsan@yunfan.com'
        >>> normalize_email("mailto:<li.si@example.cn>")
        'li.si@example.cn'
        >>> normalize_email("zhangsan@qq") is None
        True
    """
    if not isinstance(raw, str):
        return None
    text = to_halfwidth(raw).translate(_STOPS).strip()  # type: ignore[union-attr]
    if not text:
        return None
    text = _AT_WORD.sub("@", text)
    if bracketed := _ANGLE.search(text):
        text = bracketed.group(1)
    text = text.strip()
    if text[:7].lower() == "mailto:":
        text = text[7:]
    text = text.split("?", 1)[0]
    text = _SPACE_AROUND.sub("@", text)
    for piece in _PIECES.split(text):
        if "@" not in piece:
            continue
        address = piece.lstrip(_LEAD_STRIP).rstrip(_TRAIL_STRIP).lower()
        if address[:7] == "mailto:":
            address = address[7:]
        if _EMAIL.fullmatch(address) and not is_placeholder_email(address):
            return address
        return None
    return None
