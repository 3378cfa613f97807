"""Write a planned statement as a Chinese online-banking export, in five bank layouts.

0 招商银行-like: UTF-8 with BOM, ``# 账号: […]`` preamble, 收入/支出, tab-padded
  quoted cells, dates YYYYMMDD.
1 工商银行-like: UTF-8 with BOM, newest first, 借方发生额/贷方发生额, ``-`` for
  empty, a trailing comma on every row, ``查询期间 … 至 …``.
2 建设银行-like: GBK, keys padded with full-width spaces (``账　　号``), 交易时间
  ``YYYY/MM/DD hh:mm:ss``, a 合计金额 totals row and a 以上数据仅供参考 footer.
3 中国银行-like: GBK, tab-separated, amount with a 借/贷 column, ``="…"`` cells.
4 no balance: UTF-8 with BOM, dates MM/DD with the year in the title line and the
  period, signed amounts, a 人民币合计 totals row.

The bank serial number (line_id) is 流水号 / 交易流水号; the bank reference 凭证号.
GBK files are written as GB18030, which is GBK for every GBK character.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from sandbox.files.bank.plan import PlannedStatement

LAYOUTS = 5
CURRENCY_NAMES = {"CNY": "人民币", "USD": "美元", "EUR": "欧元", "JPY": "日元", "HKD": "港币"}
TYPE_NAMES = {"NTRF": "转账", "NCHG": "手续费", "NRTI": "退款", "NINT": "结息"}
_HEADERS = (
    ["交易日期", "交易时间", "收入", "支出", "余额", "交易类型", "对方户名", "对方账号", "交易备注",
     "流水号"],
    ["交易日期", "凭证号", "借方发生额", "贷方发生额", "余额", "对方单位", "对方账号", "摘要",
     "交易流水号", ""],
    ["交易时间", "借方发生额（支取）", "贷方发生额（收入）", "余额", "币种", "对方户名", "对方账号",
     "摘要", "交易流水号", "凭证号"],
    ["交易日期", "起息日", "交易金额", "借贷标志", "余额", "对方账号", "对方户名", "附言", "凭证号",
     "流水号"],
    ["日期", "摘要", "金额", "对方户名", "对方账号", "交易流水号", ""],
)  # fmt: skip


def _money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def _date_cell(day: dt.date, layout: int, position: int, broken: bool) -> str:
    month, date = (2, 30) if broken else (day.month, day.day)
    if layout == 0:
        return f"{day.year}{month:02d}{date:02d}"
    if layout == 2:
        return f"{day.year}/{month:02d}/{date:02d} {9 + position % 9:02d}:{position % 60:02d}:07"
    if layout == 3:
        return f"{day.year}{month:02d}{date:02d}"
    if layout == 4:
        return f"{month:02d}/{date:02d}"
    return f"{day.year}-{month:02d}-{date:02d}"


def _row(
    line: dict,
    layout: int,
    position: int,
    broken: str | None,
    balance_offset: Decimal,
    currency: str,
) -> list[str]:
    amount = Decimal(line["amount"])
    balance = _money(line["_balance"] + balance_offset)
    debit = _money(-amount) if amount < 0 else ""
    credit = _money(amount) if amount >= 0 else ""
    date = _date_cell(line["booking_date"], layout, position, broken == "impossible_date")
    name = line.get("counterparty_name") or ""
    account = line.get("counterparty_account") or ""
    remittance = line.get("remittance") or ""
    serial, voucher = line["line_id"], line.get("bank_reference") or ""
    if layout == 0:
        kind = TYPE_NAMES.get(line.get("transaction_code") or "", "转账")
        cells = [
            date,
            f"{9 + position % 9:02d}:00:00",
            credit,
            debit,
            balance,
            kind,
            name,
            account,
            remittance,
            serial,
        ]
        return [f"\t{c}\t" if c else "" for c in cells]
    if layout == 1:
        return [
            date,
            voucher or "-",
            debit or "-",
            credit or "-",
            balance,
            name or "-",
            account or "-",
            remittance or "-",
            serial,
            "",
        ]
    if layout == 2:
        return [
            date,
            debit,
            credit,
            balance,
            CURRENCY_NAMES.get(currency, currency),
            name,
            account,
            remittance,
            serial,
            voucher,
        ]
    if layout == 3:
        value = (line["value_date"] or line["booking_date"]).strftime("%Y%m%d")
        return [
            date,
            value,
            _money(abs(amount)),
            "借" if amount < 0 else "贷",
            balance,
            f'="{account}"' if account else "-",
            name or "-",
            remittance,
            voucher,
            serial,
        ]
    return [date, remittance, _money(amount), name or "-", account or "-", serial, ""]


def _preamble(statement: PlannedStatement, layout: int) -> list[str]:
    account = statement.account["account_no"]
    currency = CURRENCY_NAMES.get(statement.account["currency"], statement.account["currency"])
    start, end = statement.start, statement.end
    if layout == 0:
        return [
            "# 招商银行交易记录",
            f"# 账号: [{account}]",
            f"# 币种: [{currency}]",
            f"# 起始日期: [{start:%Y%m%d}]   终止日期: [{end:%Y%m%d}]",
        ]
    if layout == 1:
        return [
            "中国工商银行对公账户明细",
            f"账号：{account}　　币种：{currency}",
            f"查询期间：{start:%Y-%m-%d} 至 {end:%Y-%m-%d}",
        ]
    if layout == 2:
        return [
            "中国建设银行单位客户账户明细",
            f"账　　号：{account}",
            f"币　　种：{currency}",
            f"起始日期：{start:%Y/%m/%d}　　终止日期：{end:%Y/%m/%d}",
        ]
    if layout == 3:
        return [
            "中国银行交易流水明细清单",
            f'账号\t="{account}"',
            f"币种\t{statement.account['currency']}",
        ]
    return [
        f"{end.year}年交易明细",
        f"卡号：{account}　　币种：{currency}",
        f"起止日期：{start:%Y-%m-%d} 至 {end:%Y-%m-%d}",
    ]


def render_cn_csv(
    statement: PlannedStatement,
    layout: int,
    *,
    broken: dict[str, str] | None = None,
    balance_offset_line: str | None = None,
    offset: Decimal = Decimal(0),
) -> bytes:
    """One export file for ``statement`` in ``layout`` (0-4, see the module docstring).

    Args:
        statement: What to write.
        layout: Which bank's layout.
        broken: line_id -> fault kind (``impossible_date`` prints 30 February).
        balance_offset_line: A line_id whose printed balance is off by ``offset`` (an
            export whose running balance breaks).
        offset: The amount the balance is off by.

    Returns:
        The file's bytes in the layout's encoding.
    """
    broken = broken or {}
    delimiter = "\t" if layout == 3 else ","
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL
    )
    for text in _preamble(statement, layout):
        buffer.write(text + "\r\n")
    writer.writerow(_HEADERS[layout])
    lines = statement.lines[::-1] if layout == 1 else statement.lines
    currency = statement.account["currency"]
    for position, line in enumerate(lines):
        extra = offset if line["line_id"] == balance_offset_line else Decimal(0)
        writer.writerow(_row(line, layout, position, broken.get(line["line_id"]), extra, currency))
    if layout == 2:
        debit = sum((-Decimal(r["amount"]) for r in lines if Decimal(r["amount"]) < 0), Decimal(0))
        credit = sum((Decimal(r["amount"]) for r in lines if Decimal(r["amount"]) >= 0), Decimal(0))
        writer.writerow(["合计金额", _money(debit), _money(credit), "", "", "", "", "", "", ""])
        buffer.write("以上数据仅供参考，具体以银行记账为准。\r\n")
    if layout == 4:
        total = sum((Decimal(r["amount"]) for r in lines), Decimal(0))
        writer.writerow(["人民币合计", "", _money(total), "", "", "", ""])
    text = buffer.getvalue()
    if layout in (2, 3):
        return text.encode("gb18030")
    return b"\xef\xbb\xbf" + text.encode("utf-8")
