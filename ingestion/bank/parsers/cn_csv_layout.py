"""The vocabulary of Chinese online-banking exports: header synonyms, preamble keys, cells.

Every bank names the same columns differently (交易日期 / 记账日期, 借方发生额 /
支出, 对方户名 / 对方名称 …), pads cells with spaces, tabs and full-width spaces,
writes ``-`` for empty, quotes amounts with thousands separators and puts
account, currency and period in preamble lines above the header.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

# Column role -> header names (compared after removing spaces and a unit in brackets).
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "booking_date": (
        "交易日期", "记账日期", "入账日期", "交易日", "记账日", "日期", "账务日期", "交易日期时间",
    ),
    "booking_time": ("交易时间", "记账时间"),  # a date only when no date column exists
    "value_date": ("起息日", "起息日期"),
    "debit": (
        "借方金额", "借方发生额", "支出", "支出金额", "付款金额", "借方", "转出金额", "支取金额",
    ),
    "credit": (
        "贷方金额", "贷方发生额", "收入", "收入金额", "收款金额", "贷方", "转入金额", "存入金额",
    ),
    "amount": ("金额", "交易金额", "发生额", "交易额"),
    "direction": ("借/贷", "借贷", "借贷标志", "借贷方向", "收支", "收/支", "交易方向", "方向"),
    "balance": ("余额", "账户余额", "当前余额", "联机余额", "交易后余额", "可用余额"),
    "counterparty_name": (
        "对方户名", "对方名称", "对方账户名称", "对方账户名", "对方单位", "收/付方名称",
        "对方户名称", "交易对手", "对手方名称",
    ),
    "counterparty_account": (
        "对方账号", "对方账户", "收/付方账号", "对方卡号", "对方账户账号", "对手方账号",
    ),
    "counterparty_bank": ("对方开户行", "对方行名", "对方银行", "收/付方开户行", "对方开户机构"),
    "summary": ("摘要", "交易摘要"),
    "purpose": ("用途", "交易用途"),
    "postscript": ("附言", "交易附言", "备注", "交易备注"),
    "serial_no": (
        "流水号", "交易流水号", "银行流水号", "交易流水", "流水", "交易序号", "交易参考号",
    ),
    "voucher_no": ("凭证号", "凭证号码", "传票号", "凭证编号"),
    "currency": ("币种", "货币", "币别"),
    "account": ("本方账号", "账号", "帐号", "卡号", "查询账号"),
    "transaction_type": ("交易类型", "业务类型", "交易种类"),
}  # fmt: skip
_HEADER_INDEX = {name: role for role, names in HEADER_SYNONYMS.items() for name in names}
_UNIT = re.compile(r"[（(\[【][^）)\]】]*[）)\]】]")

CURRENCY_NAMES = {
    "人民币": "CNY", "RMB": "CNY", "CNY": "CNY", "美元": "USD", "USD": "USD",
    "港币": "HKD", "港元": "HKD", "HKD": "HKD", "欧元": "EUR", "EUR": "EUR",
    "日元": "JPY", "JPY": "JPY", "英镑": "GBP", "GBP": "GBP",
}  # fmt: skip

DEBIT_MARKS = {"借", "借方", "D", "DR", "支出", "支", "出", "付", "付款", "-"}
CREDIT_MARKS = {"贷", "贷方", "C", "CR", "收入", "收", "入", "存", "收款", "+"}

TOTAL_MARKERS = ("合计", "总计", "小计")
FOOTER_MARKERS = ("以上", "注：", "注:", "说明", "打印", "导出", "温馨提示", "备注：", "制表")
_EMPTY = {"", "-", "--", "---", "—", "——", "－", "/", "null", "NULL", "无"}
_PAD = " \t\u3000\"'\ufeff"

_DATE_FULL = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DATE_SHORT = re.compile(r"^(\d{1,2})[-/.月](\d{1,2})日?$")
_AMOUNT = re.compile(r"^[+-]?\d+(\.\d+)?$")


def header_role(cell: str) -> str | None:
    """The role of a header cell, e.g. ``'借方发生额（支取）'`` -> ``'debit'``."""
    name = _UNIT.sub("", clean_cell(cell)).replace(" ", "")
    return _HEADER_INDEX.get(name)


def clean_cell(cell: str) -> str:
    """Strip padding (spaces, tabs, full-width spaces, quotes) and Excel's ``="..."``."""
    value = cell.strip(_PAD)
    if value.startswith("="):
        value = value[1:].strip(_PAD)
    return "" if value in _EMPTY else value


def parse_amount(text: str) -> Decimal:
    """``'"1,234.50"'`` -> 1234.50, ``'¥-20.00'`` -> -20.00.

    Raises:
        ValueError: Not an amount.
    """
    value = text.replace(",", "").replace("，", "").replace(" ", "")
    value = value.lstrip("¥￥").removeprefix("RMB")
    if value.startswith("(") and value.endswith(")"):
        value = "-" + value[1:-1]
    if not _AMOUNT.match(value):
        raise ValueError(f"unreadable amount '{text}'")
    try:
        return Decimal(value)
    except InvalidOperation:
        raise ValueError(f"unreadable amount '{text}'") from None


def parse_date(text: str, period: tuple[dt.date, dt.date] | None) -> dt.date:
    """Read YYYY-MM-DD, YYYY/MM/DD, YYYYMMDD, YYYY年MM月DD日, or MM/DD within a period.

    A time after the date is ignored. For MM/DD the year is the one that puts the
    date inside ``period`` (the export period, or the title's year), else closest to it.

    Raises:
        ValueError: Not a date, an impossible date, or MM/DD without a year hint.
    """
    # Fast paths for the common shapes; anything odd falls through to the patterns below.
    if len(text) >= 10 and text[4] == text[7] and text[4] in "-/." and text[:4].isdigit():
        try:
            return dt.date(int(text[:4]), int(text[5:7]), int(text[8:10]))
        except ValueError:
            pass
    elif len(text) == 8 and text.isdigit():
        try:
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
        except ValueError:
            pass
    parts = text.split()
    token = parts[0].split("T")[0] if parts else ""
    for pattern in (_DATE_FULL, _DATE_COMPACT):
        match = pattern.match(token)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                raise ValueError(f"invalid date '{text}'") from None
    match = _DATE_SHORT.match(token)
    if match:
        if period is None:
            raise ValueError(f"date '{text}' has no year and the export names none")
        start, end = period
        middle = start + (end - start) / 2
        month, day = int(match.group(1)), int(match.group(2))
        candidates = []
        for year in (middle.year - 1, middle.year, middle.year + 1):
            try:
                candidates.append(dt.date(year, month, day))
            except ValueError:
                continue
        if not candidates:
            raise ValueError(f"invalid date '{text}'")
        inside = [d for d in candidates if start <= d <= end]
        return min(inside or candidates, key=lambda d: abs((d - middle).days))
    raise ValueError(f"unreadable date '{text}'")


def direction_sign(mark: str) -> int | None:
    """+1 for a credit mark (贷, 收入, C), -1 for a debit mark (借, 支出, D), else None."""
    value = mark.strip().upper()
    if value in DEBIT_MARKS:
        return -1
    if value in CREDIT_MARKS:
        return 1
    return None


# ------------------------------------------------------------------ preamble
_KEY_SEP = r"[\s\u3000]*[:：,，]?[\s\u3000]*"
_ACCOUNT = re.compile(
    r"(?:账号|帐号|卡号|账户号码|账户账号|查询账号|本方账号|账户(?!名))" + _KEY_SEP
    + r"\[?([0-9A-Z][0-9A-Z \-*]{4,}[0-9*])"
)  # fmt: skip
_CURRENCY = re.compile(
    r"(?:币种|货币|币别)" + _KEY_SEP + r"([A-Z]{3}|人民币|美元|港币|港元|欧元|日元|英镑|RMB)"
)
_DATE_TOKEN = r"(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?|\d{8})"
_RANGE = re.compile(_DATE_TOKEN + r"[\s\u3000]*(?:至|到|~|～|－|—|-{1,2})[\s\u3000]*" + _DATE_TOKEN)
_START = re.compile(r"(?:起始日期|开始日期|起始时间|起始日)" + _KEY_SEP + r"\[?" + _DATE_TOKEN)
_END = re.compile(
    r"(?:终止日期|结束日期|截止日期|终止时间|截止日)" + _KEY_SEP + r"\[?" + _DATE_TOKEN
)
_YEAR = re.compile(r"(\d{4})\s*年")
_OPENING = re.compile(r"(?:期初余额|上期余额|起始余额)" + _KEY_SEP + r"([-+]?[\d,]+(?:\.\d+)?)")
_CLOSING = re.compile(r"(?:期末余额|本期余额|终止余额)" + _KEY_SEP + r"([-+]?[\d,]+(?:\.\d+)?)")


_PREAMBLE_NOISE = re.compile(r'[="\[\]【】]')
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff])[\u3000 ]+(?=[\u4e00-\u9fff])")


class Preamble:
    """What the lines above the header say: account, currency, period, balances."""

    def __init__(self, lines: list[str]) -> None:
        text = _PREAMBLE_NOISE.sub(" ", "\n".join(lines))
        # "账　　号" / "币　　种": banks pad keys with full-width spaces to align them.
        text = _CJK_GAP.sub("", text)
        account = _ACCOUNT.search(text)
        self.account = account.group(1).replace(" ", "") if account else None
        currency = _CURRENCY.search(text)
        self.currency = CURRENCY_NAMES.get(currency.group(1)) if currency else None
        self.start: dt.date | None = None
        self.end: dt.date | None = None
        found_range = _RANGE.search(text)
        start = found_range.group(1) if found_range else _group(_START.search(text))
        end = found_range.group(2) if found_range else _group(_END.search(text))
        self.start = _quiet_date(start)
        self.end = _quiet_date(end)
        year = _YEAR.search(text)
        self.title_year = int(year.group(1)) if year else None
        self.opening = _quiet_amount(_group(_OPENING.search(text)))
        self.closing = _quiet_amount(_group(_CLOSING.search(text)))

    @property
    def period(self) -> tuple[dt.date, dt.date] | None:
        """The dates MM/DD cells fall in: the export period, else the title's year."""
        if self.start or self.end:
            start, end = self.start or self.end, self.end or self.start
            assert start is not None and end is not None
            return (start, end) if start <= end else (end, start)
        if self.title_year:
            return dt.date(self.title_year, 1, 1), dt.date(self.title_year, 12, 31)
        return None


def _group(match: re.Match[str] | None) -> str | None:
    return match.group(1) if match else None


def _quiet_date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return parse_date(text, None)
    except ValueError:
        return None


def _quiet_amount(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        return parse_amount(text)
    except ValueError:
        return None
