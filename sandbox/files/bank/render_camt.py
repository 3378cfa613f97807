"""Write planned statements as camt.053 documents (.001.02 or .001.08).

Version .02 writes ``Sts`` as text, ``Dbtr/Nm`` and date-only ``Dt``; version .08
writes ``Sts/Cd``, ``Dbtr/Pty/Nm`` and the booking date as ``DtTm``. The bank
serial number (line_id) is the entry's ``AcctSvcrRef``, the bank reference
``Refs/TxId``; long remittance text is split into several ``Ustrd`` lines at spaces.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from xml.sax.saxutils import escape

from sandbox.files.bank.plan import PlannedStatement

VERSIONS = ("camt.053.001.08", "camt.053.001.02")
_IBAN = re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$")
_USTRD_MAX = 140


def _account_id(account_no: str) -> str:
    if _IBAN.match(account_no):
        return f"<Id><IBAN>{escape(account_no)}</IBAN></Id>"
    return f"<Id><Othr><Id>{escape(account_no)}</Id></Othr></Id>"


def _ustrd_lines(text: str) -> list[str]:
    """Split at spaces into lines of at most 140 characters (the parser joins with a space)."""
    words = text.split(" ")
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= _USTRD_MAX:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return [line for line in lines if line]


def _balance(code: str, amount: Decimal, currency: str, day: dt.date, v08: bool) -> str:
    indicator = "DBIT" if amount < 0 else "CRDT"
    date = (
        f"<DtTm>{day.isoformat()}T23:59:59+08:00</DtTm>" if v08 else f"<Dt>{day.isoformat()}</Dt>"
    )
    return (
        f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>"
        f'<Amt Ccy="{currency}">{abs(amount):f}</Amt><CdtDbtInd>{indicator}</CdtDbtInd>'
        f"<Dt>{date}</Dt></Bal>"
    )


def _party(role: str, name: str | None, account: str | None, v08: bool) -> str:
    out = ""
    if name:
        inner = f"<Pty><Nm>{escape(name)}</Nm></Pty>" if v08 else f"<Nm>{escape(name)}</Nm>"
        out += f"<{role}>{inner}</{role}>"
    if account:
        out += f"<{role}Acct>{_account_id(account.replace(' ', ''))}</{role}Acct>"
    return out


def _entry(line: dict, currency: str, v08: bool, broken: str | None) -> str:
    amount = Decimal(line["amount"])
    booked: dt.date = line["booking_date"]
    booking = booked.isoformat() if broken != "impossible_date" else f"{booked.year}-02-30"
    value = (line["value_date"] or booked).isoformat()
    booking_xml = f"<DtTm>{booking}T10:00:00+08:00</DtTm>" if v08 else f"<Dt>{booking}</Dt>"
    status = "<Sts><Cd>BOOK</Cd></Sts>" if v08 else "<Sts>BOOK</Sts>"
    refs = f"<EndToEndId>{escape(line.get('end_to_end_id') or 'NOTPROVIDED')}</EndToEndId>"
    if line.get("bank_reference"):
        refs += f"<TxId>{escape(line['bank_reference'])}</TxId>"
    role = "Dbtr" if amount >= 0 else "Cdtr"
    parties = _party(role, line.get("counterparty_name"), line.get("counterparty_account"), v08)
    remittance = "".join(
        f"<Ustrd>{escape(text)}</Ustrd>" for text in _ustrd_lines(line.get("remittance") or "")
    )
    code = line.get("transaction_code")
    return (
        f'<Ntry><Amt Ccy="{currency}">{abs(amount):f}</Amt>'
        f"<CdtDbtInd>{'DBIT' if amount < 0 else 'CRDT'}</CdtDbtInd>{status}"
        f"<BookgDt>{booking_xml}</BookgDt><ValDt><Dt>{value}</Dt></ValDt>"
        f"<AcctSvcrRef>{escape(line['line_id'])}</AcctSvcrRef>"
        + (f"<BkTxCd><Prtry><Cd>{escape(code)}</Cd></Prtry></BkTxCd>" if code else "")
        + f"<NtryDtls><TxDtls><Refs>{refs}</Refs>"
        + (f"<RltdPties>{parties}</RltdPties>" if parties else "")
        + (f"<RmtInf>{remittance}</RmtInf>" if remittance else "")
        + "</TxDtls></NtryDtls></Ntry>"
    )


def render_camt(
    statements: list[PlannedStatement],
    version: str,
    *,
    broken: dict[str, str] | None = None,
    closing_offset: dict[int, Decimal] | None = None,
) -> bytes:
    """One camt.053 document holding ``statements``.

    Args:
        statements: Statements in file order.
        version: ``camt.053.001.08`` or ``camt.053.001.02``.
        broken: line_id -> fault kind (``impossible_date`` books on 30 February).
        closing_offset: statement number -> amount added to its printed CLBD.

    Returns:
        The UTF-8 encoded XML.
    """
    broken = broken or {}
    offsets = closing_offset or {}
    v08 = version.endswith(".08")
    first = statements[0]
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:{version}">',
        "<BkToCstmrStmt><GrpHdr>"
        f"<MsgId>MSG-{escape(first.account['account_no'])}-{first.number:05d}</MsgId>"
        f"<CreDtTm>{statements[-1].end.isoformat()}T23:59:59+08:00</CreDtTm></GrpHdr>",
    ]
    for statement in statements:
        account = statement.account
        currency = account["currency"]
        closing = statement.closing + offsets.get(statement.number, Decimal(0))
        parts.append(
            f"<Stmt><Id>{escape(statement.statement_id)}</Id>"
            f"<ElctrncSeqNb>{statement.number}</ElctrncSeqNb>"
            f"<CreDtTm>{statement.end.isoformat()}T23:59:59+08:00</CreDtTm>"
            f"<Acct>{_account_id(account['account_no'])}<Ccy>{currency}</Ccy></Acct>"
            + _balance("OPBD", statement.opening, currency, statement.start, v08)
            + _balance("CLBD", closing, currency, statement.end, v08)
        )
        for line in statement.lines:
            parts.append(_entry(line, currency, v08, broken.get(line["line_id"])))
        parts.append("</Stmt>")
    parts.append("</BkToCstmrStmt></Document>")
    return "\n".join(parts).encode("utf-8")
