"""Write planned statements as MT940 in three bank dialects.

- 0 German style: SWIFT envelope per message, CRLF, ``:86:`` with ``?``
  subfields carrying EREF+/SVWZ+ (27-character parts), ``?31`` account, ``?32``/``?33`` name.
- 1 Central European style: ``-`` separators, ``^`` subfields (35-character
  parts), cp1250 when every character fits, else UTF-8.
- 2 Dutch style: ``ABNANL2A/940/ABNANL2A`` header lines before each message,
  ``/TRTP/…/IBAN/…/NAME/…/REMI/…/EREF/…`` wrapped at 65 characters.

The bank serial number (line_id) is the ``//`` reference of ``:61:`` and the
bank reference its second line.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from sandbox.files.bank.plan import PlannedStatement

DIALECTS = 3
_CODE = re.compile(r"^[NSF][A-Z0-9]{3}$")
_PURPOSE_CODES = [*range(20, 30), *range(60, 64)]


def amount_text(amount: Decimal) -> str:
    """SWIFT amount: no sign, comma decimal, e.g. ``1234,50`` or ``1200,``."""
    text = f"{abs(amount):f}"
    return text.replace(".", ",") if "." in text else text + ","


def _mark(amount: Decimal) -> str:
    return "D" if amount < 0 else "C"


def _chunks(text: str, width: int) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)] or [""]


def _clean(text: str | None, forbidden: str) -> str:
    text = " ".join((text or "").split())
    for char in forbidden:
        text = text.replace(char, " ")
    return text


def _subfield_info(line: dict, mark: str, width: int) -> list[str]:
    credit = Decimal(line["amount"]) >= 0
    head = f"{'166' if credit else '177'}{mark}00{'GUTSCHRIFT' if credit else 'UEBERWEISUNG'}"
    purpose: list[str] = []
    e2e = _clean(line.get("end_to_end_id"), mark)
    if e2e:
        purpose += _chunks("EREF+" + e2e, width)
    remittance = _clean(line.get("remittance"), mark)
    if remittance:
        purpose += _chunks("SVWZ+" + remittance, width)
    fields = [f"{mark}{code}{part}" for code, part in zip(_PURPOSE_CODES, purpose, strict=False)]
    account = _clean(line.get("counterparty_account"), mark).replace(" ", "")
    if account:
        fields.append(f"{mark}31{account}")
    name = _clean(line.get("counterparty_name"), mark)
    if name:
        first, rest = name[:27], name[27:]
        fields.append(f"{mark}32{first}")
        if rest:
            fields.append(f"{mark}33{rest}")
    return [":86:" + head, *fields]


def _dutch_info(line: dict) -> list[str]:
    parts = ["/TRTP/SEPA OVERBOEKING"]
    account = _clean(line.get("counterparty_account"), "/").replace(" ", "")
    if account:
        parts.append(f"/IBAN/{account}")
    name = _clean(line.get("counterparty_name"), "/")
    if name:
        parts.append(f"/NAME/{name}")
    remittance = _clean(line.get("remittance"), "")
    if remittance:
        parts.append(f"/REMI/{remittance}")
    parts.append(f"/EREF/{_clean(line.get('end_to_end_id'), '/') or 'NOTPROVIDED'}")
    wrapped = _chunks("".join(parts), 65)
    return [":86:" + wrapped[0], *wrapped[1:]]


def _yymmdd(day: dt.date) -> str:
    return f"{day:%y%m%d}"


def statement_lines(
    statement: PlannedStatement,
    dialect: int,
    *,
    broken: dict[str, str] | None = None,
    closing_offset: Decimal = Decimal(0),
) -> list[str]:
    """The tagged lines of one statement.

    Args:
        statement: What to write.
        dialect: 0, 1 or 2 (see the module docstring).
        broken: line_id -> fault kind; ``impossible_date`` writes a 30 February value date.
        closing_offset: Added to the printed closing balance (an unbalanced statement).
    """
    broken = broken or {}
    account = statement.account
    currency = account["currency"]
    out = [
        f":20:STMT{statement.end:%y%m%d}{statement.number % 1000:03d}",
        f":25:{account['account_no']}",
        f":28C:{statement.number:05d}/001",
        f":60F:{_mark(statement.opening)}{_yymmdd(statement.start)}{currency}"
        f"{amount_text(statement.opening)}",
    ]
    for line in statement.lines:
        amount = Decimal(line["amount"])
        booked: dt.date = line["booking_date"]
        value_date = _yymmdd(line["value_date"] or booked)
        if broken.get(line["line_id"]) == "impossible_date":
            value_date = f"{booked:%y}0230"
        code = line.get("transaction_code") or ""
        code = code if _CODE.match(code) else "NMSC"
        reference = (_clean(line.get("end_to_end_id"), "/") or "NONREF")[:16]
        if dialect == 2:
            reference = "NONREF"
        out.append(
            f":61:{value_date}{booked:%m%d}{_mark(amount)}{amount_text(amount)}{code}"
            f"{reference}//{line['line_id']}"
        )
        bank_reference = _clean(line.get("bank_reference"), "")
        if bank_reference:
            out.append(bank_reference[:34])
        if dialect == 2:
            out += _dutch_info(line)
        else:
            out += _subfield_info(line, "?" if dialect == 0 else "^", 27 if dialect == 0 else 35)
    closing = statement.closing + closing_offset
    out.append(f":62F:{_mark(closing)}{_yymmdd(statement.end)}{currency}{amount_text(closing)}")
    return out


def render_mt940(
    statements: list[PlannedStatement],
    dialect: int,
    *,
    broken: dict[str, str] | None = None,
    closing_offset: dict[int, Decimal] | None = None,
) -> bytes:
    """One MT940 file holding ``statements`` in ``dialect``.

    Args:
        statements: Statements in file order.
        dialect: 0, 1 or 2 (see the module docstring).
        broken: line_id -> fault kind for malformed lines.
        closing_offset: statement number -> amount added to its printed closing balance.

    Returns:
        The file's bytes in the dialect's encoding and line ends.
    """
    offsets = closing_offset or {}
    blocks: list[str] = []
    for statement in statements:
        body = statement_lines(
            statement,
            dialect,
            broken=broken,
            closing_offset=offsets.get(statement.number, Decimal(0)),
        )
        if dialect == 0:
            bic = (statement.account.get("bic") or "BANKDEFFXXX").ljust(11, "X")[:11]
            envelope = f"{{1:F01{bic[:8]}A{bic[8:]}0000000000}}{{2:O940{bic}N}}{{4:"
            blocks.append("\r\n".join([envelope, *body, "-}"]))
        elif dialect == 1:
            blocks.append("\n".join([*body, "-"]))
        else:
            blocks.append("\n".join(["ABNANL2A", "940", "ABNANL2A", *body, "-"]))
    text = ("\r\n" if dialect == 0 else "\n").join(blocks) + ("\r\n" if dialect == 0 else "\n")
    if dialect == 1:
        try:
            return text.encode("cp1250")
        except UnicodeEncodeError:
            pass
    return text.encode("utf-8")
