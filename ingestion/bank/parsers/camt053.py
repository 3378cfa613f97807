"""ISO 20022 camt.053 bank-to-customer statements (versions .001.02 to .001.13).

One ``Ntry`` is one bank line. Amounts are read as Decimal from the text (0
decimals for JPY, up to 5 in test files). Version differences handled: status
as text (up to .04) or ``Sts/Cd`` (.08), parties as ``Dbtr/Nm`` (up to .04) or
``Dbtr/Pty/Nm`` (.08), dates as ``Dt`` or ``DtTm``. A file cut short keeps the
statements that were complete before the cut.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from decimal import Decimal, InvalidOperation

from ingestion.bank.parsers.model import Entry, Statement, UnreadableFileError

_NAMESPACE = re.compile(r"urn:iso:std:iso:20022:tech:xsd:(camt\.\d{3}\.\d{3}\.\d{2})")
_NS0_TAG = re.compile(r"(</?)ns0:")
_NOT_PROVIDED = {"NOTPROVIDED", "NONREF", ""}
_REFERENCE_NAMES = {
    "EndToEndId": "end_to_end_id",
    "TxId": "bank_reference",
    "InstrId": "instruction_id",
    "MsgId": "message_id",
    "PmtInfId": "payment_information_id",
    "MndtId": "mandate_reference",
    "ChqNb": "cheque_number",
    "ClrSysRef": "clearing_reference",
    "UETR": "uetr",
}


class _Reader:
    """Namespace-qualified lookups, built once per file."""

    def __init__(self, namespace: str) -> None:
        self._prefix = f"{{{namespace}}}" if namespace else ""
        self._paths: dict[str, tuple[str, ...]] = {}

    def steps(self, path: str) -> tuple[str, ...]:
        cached = self._paths.get(path)
        if cached is None:
            cached = tuple(self._prefix + part for part in path.split("/"))
            self._paths[path] = cached
        return cached

    def find(self, element: ET.Element | None, path: str) -> ET.Element | None:
        # One child at a time: ElementTree's C code finds a plain tag without ElementPath.
        steps = self._paths.get(path) or self.steps(path)
        for step in steps:
            if element is None:
                return None
            element = element.find(step)
        return element

    def text(self, element: ET.Element, path: str) -> str | None:
        # find() inlined: called about twenty times per entry.
        found: ET.Element | None = element
        for step in self._paths.get(path) or self.steps(path):
            if found is None:
                return None
            found = found.find(step)
        if found is None or found.text is None:
            return None
        return found.text.strip() or None

    def findall(self, element: ET.Element, path: str) -> list[ET.Element]:
        elements = [element]
        for step in self.steps(path):
            elements = [child for parent in elements for child in parent.findall(step)]
        return elements

    def tag(self, name: str) -> str:
        return self._prefix + name

    def serialise(self, element: ET.Element) -> str:
        """The element as XML text, in the document's default namespace."""
        text = ET.tostring(element, encoding="unicode").strip()
        # ElementTree names the namespace ns0; write it back as the default namespace.
        return _NS0_TAG.sub(r"\1", text).replace("xmlns:ns0=", "xmlns=", 1)


def _date(reader: _Reader, element: ET.Element | None) -> dt.date | None:
    """``<X><Dt>2025-01-15</Dt></X>`` or ``<X><DtTm>2025-01-15T10:00:00+08:00</DtTm></X>``."""
    if element is None:
        return None
    text = reader.text(element, "Dt") or reader.text(element, "DtTm")
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise ValueError(f"invalid date '{text}'") from None


def _amount(element: ET.Element | None, what: str) -> tuple[Decimal, str | None]:
    if element is None or not (element.text or "").strip():
        raise ValueError(f"{what} has no amount")
    text = element.text.strip()  # type: ignore[union-attr]
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"unreadable {what} amount '{text}'") from None
    if not amount.is_finite():
        raise ValueError(f"unreadable {what} amount '{text}'")
    return amount, element.get("Ccy")


def _signed(reader: _Reader, element: ET.Element, what: str) -> tuple[Decimal, str | None]:
    amount, currency = _amount(reader.find(element, "Amt"), what)
    indicator = reader.text(element, "CdtDbtInd")
    if indicator not in ("CRDT", "DBIT"):
        raise ValueError(f"{what} has credit/debit indicator '{indicator}', not CRDT or DBIT")
    return (-amount if indicator == "DBIT" else amount), currency


def _balances(reader: _Reader, stmt: ET.Element, statement: Statement) -> None:
    found: dict[str, list[tuple[Decimal, dt.date | None]]] = {}
    for balance in reader.findall(stmt, "Bal"):
        code = reader.text(balance, "Tp/CdOrPrtry/Cd") or reader.text(balance, "Tp/CdOrPrtry/Prtry")
        try:
            amount, _ = _signed(reader, balance, f"balance {code}")
            date = _date(reader, reader.find(balance, "Dt"))
        except ValueError as exc:
            statement.error = statement.error or str(exc)
            continue
        found.setdefault((code or "").upper(), []).append((amount, date))
    interim = found.get("ITBD", [])
    opening = next((found[c][0] for c in ("OPBD", "PRCD") if c in found), None)
    if opening is None and interim:
        opening, interim = interim[0], interim[1:]  # a continuation page opens with ITBD
    closing = found["CLBD"][-1] if "CLBD" in found else None
    if closing is None:
        closing = interim[-1] if interim else (found["CLAV"][-1] if "CLAV" in found else None)
    if opening is not None:
        statement.opening_balance, statement.opening_date = opening
    if closing is not None:
        statement.closing_balance, statement.closing_date = closing
    if opening is None and statement.error is None:
        statement.error = "statement has no opening balance (OPBD/PRCD)"
    elif closing is None and statement.error is None:
        statement.error = "statement has no closing balance (CLBD/CLAV)"


def _party(reader: _Reader, details: ET.Element, role: str) -> tuple[str | None, str | None]:
    name = reader.text(details, f"RltdPties/{role}/Pty/Nm") or reader.text(
        details, f"RltdPties/{role}/Nm"
    )
    account = reader.text(details, f"RltdPties/{role}Acct/Id/IBAN") or reader.text(
        details, f"RltdPties/{role}Acct/Id/Othr/Id"
    )
    return name, account


def _details(reader: _Reader, ntry: ET.Element, entry: Entry, credit: bool) -> None:
    remittances: list[str] = []
    for index, details in enumerate(reader.findall(ntry, "NtryDtls/TxDtls")):
        refs = reader.find(details, "Refs")
        if refs is not None:
            for child in refs:
                name = child.tag.rsplit("}", 1)[-1]
                value = (child.text or "").strip()
                key = _REFERENCE_NAMES.get(name)
                if name == "AcctSvcrRef" and value:
                    key = "serial_no" if "serial_no" not in entry.references else "tx_serial_no"
                if key and value.upper() not in _NOT_PROVIDED:
                    entry.references.setdefault(key, value)
        first, second = ("Dbtr", "Cdtr") if credit != entry.is_reversal else ("Cdtr", "Dbtr")
        if index == 0:
            name, account = _party(reader, details, first)
            if name is None and account is None:
                name, account = _party(reader, details, second)
            entry.counterparty_name, entry.counterparty_account = name, account
            agent = "DbtrAgt" if first == "Dbtr" else "CdtrAgt"
            entry.counterparty_bic = reader.text(
                details, f"RltdAgts/{agent}/FinInstnId/BICFI"
            ) or reader.text(details, f"RltdAgts/{agent}/FinInstnId/BIC")
        lines = [t.strip() for t in (e.text or "" for e in reader.findall(details, "RmtInf/Ustrd"))]
        remittances.extend(t for t in lines if t)
        for strd in reader.findall(details, "RmtInf/Strd"):
            creditor_ref = reader.text(strd, "CdtrRefInf/Ref")
            if creditor_ref:
                entry.references.setdefault("creditor_reference", creditor_ref)
            document = reader.text(strd, "RfrdDocInf/Nb")
            if document:
                entry.references.setdefault("document_number", document)
            if not lines:
                remittances.extend(x for x in (document, creditor_ref) if x)
    if remittances:
        entry.remittance = " ".join(remittances)


def _entry(reader: _Reader, ntry: ET.Element, currency: str | None) -> Entry:
    entry = Entry(None, None, None, currency)
    status = reader.text(ntry, "Sts/Cd") or reader.text(ntry, "Sts")
    entry.status = status.upper() if status else None
    entry.is_reversal = (reader.text(ntry, "RvslInd") or "").lower() in ("true", "1")
    serial = reader.text(ntry, "AcctSvcrRef")
    if serial:
        entry.references["serial_no"] = serial
    code = reader.text(ntry, "BkTxCd/Prtry/Cd")
    if code is None:
        domain = [
            reader.text(ntry, f"BkTxCd/Domn/{p}") for p in ("Cd", "Fmly/Cd", "Fmly/SubFmlyCd")
        ]
        code = "/".join(d for d in domain if d) or None
    entry.transaction_code = code
    credit = True
    try:
        entry.amount, entry_currency = _signed(reader, ntry, "entry")
        credit = entry.amount >= 0
        entry.currency = entry_currency or currency
    except ValueError as exc:
        entry.error = str(exc)
    try:
        entry.booking_date = _date(reader, reader.find(ntry, "BookgDt"))
        entry.value_date = _date(reader, reader.find(ntry, "ValDt"))
    except ValueError as exc:
        entry.error = entry.error or f"{exc} in entry dates"
    if entry.booking_date is None and entry.error is None:
        entry.error = "entry has no booking date (BookgDt)"
    _details(reader, ntry, entry, credit)
    if entry.remittance is None:
        entry.remittance = reader.text(ntry, "AddtlNtryInf")
    if entry.error is not None:
        # Serialising every entry would cost more than parsing it: only bad ones keep raw XML.
        entry.raw = reader.serialise(ntry)
    return entry


def _statement(reader: _Reader, stmt: ET.Element) -> Statement:
    account = reader.text(stmt, "Acct/Id/IBAN") or reader.text(stmt, "Acct/Id/Othr/Id")
    statement = Statement(
        account=account,
        statement_id=reader.text(stmt, "Id"),
        currency=reader.text(stmt, "Acct/Ccy"),
        sequence=reader.text(stmt, "ElctrncSeqNb") or reader.text(stmt, "LglSeqNb"),
    )
    _balances(reader, stmt, statement)
    if statement.currency is None:
        amount = reader.find(stmt, "Bal/Amt")
        statement.currency = amount.get("Ccy") if amount is not None else None
    statement.entries = [
        _entry(reader, n, statement.currency) for n in reader.findall(stmt, "Ntry")
    ]
    if account is None:
        statement.error = statement.error or "statement has no account (Acct/Id)"
    return statement


def camt_version(head: bytes) -> str | None:
    """The camt message and version a document declares, e.g. ``camt.053.001.08``."""
    match = _NAMESPACE.search(head.decode("latin-1"))
    return match.group(1) if match else None


_DECLARATION = re.compile(
    rb"""^(\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding=["']([A-Za-z0-9_.:-]+)["']"""
)
_EXPAT_ENCODINGS = {
    "utf-8",
    "utf8",
    "utf-16",
    "utf16",
    "iso-8859-1",
    "latin-1",
    "latin1",
    "us-ascii",
}


def _as_expat_encoding(data: bytes) -> bytes:
    """Re-encode as UTF-8 a document declared in an encoding expat cannot read (GBK, GB18030)."""
    match = _DECLARATION.match(data[:300])
    if match is None or match.group(2).decode().lower() in _EXPAT_ENCODINGS:
        return data
    declared = match.group(2).decode()
    try:
        text = data.decode(declared)
    except (LookupError, UnicodeDecodeError) as exc:
        raise UnreadableFileError(f"XML declares encoding {declared} but is not: {exc}") from exc
    return text.replace(declared, "UTF-8", 1).encode("utf-8")


def parse_camt053(data: bytes) -> tuple[list[Statement], str | None, str | None]:
    """Parse a camt.053 document.

    Args:
        data: The raw XML bytes (the XML declaration or BOM names the encoding).

    Returns:
        The statements, the version (e.g. ``camt.053.001.08``) and a file-level
        error when the XML ended early after some complete statements.

    Raises:
        UnreadableFileError: Not well-formed XML before any statement, or not camt.053.
    """
    version = camt_version(data[:4096])
    if version is None or not version.startswith("camt.053"):
        what = version or "without an ISO 20022 camt namespace"
        raise UnreadableFileError(f"XML document is {what}, not a camt.053 statement")
    data = _as_expat_encoding(data)
    reader = _Reader(f"urn:iso:std:iso:20022:tech:xsd:{version}")
    stmt_tag = reader.tag("Stmt")
    try:
        # A whole document parses in C without a Python event per element (a third
        # faster); only a broken one needs the event loop below to keep what it can.
        root = ET.fromstring(data)
    except ET.ParseError:
        pass
    else:
        statements = [_statement(reader, element) for element in root.iter(stmt_tag)]
        if not statements:
            raise UnreadableFileError("camt.053 document holds no statement (Stmt)")
        return statements, version, None
    statements: list[Statement] = []
    try:
        for _, element in ET.iterparse(io.BytesIO(data), events=("end",)):
            if element.tag == stmt_tag:
                statements.append(_statement(reader, element))
                element.clear()
    except ET.ParseError as exc:
        where = f"line {exc.position[0]}, column {exc.position[1]}"
        if not statements:
            raise UnreadableFileError(
                f"XML is not well-formed at {where} (file truncated or damaged)"
            ) from exc
        return (
            statements,
            version,
            (
                f"XML is not well-formed at {where} (file truncated or damaged); "
                f"{len(statements)} complete statements were read before it"
            ),
        )
    if not statements:
        raise UnreadableFileError("camt.053 document holds no statement (Stmt)")
    return statements, version, None
