"""Remittance texts as payers type them, and the bank's noise lines (salaries, fees...)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sandbox.world.common import Ctx

_FULL = str.maketrans({**{chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}, " ": "\u3000"})
_GENERIC = (
    "货款",
    "服务费",
    "软件款",
    "合同款",
    "",
    "转账",
    "预付款",
    "技术服务费",
    "往来款",
    "软件服务费",
)
SUPPLIERS = (
    ("阿里云计算有限公司", "服务器费用"),
    ("深圳市腾讯计算机系统有限公司", "云服务费"),
    ("上海陆家嘴物业管理有限公司", "房租"),
    ("北京京东世纪贸易有限公司", "办公用品"),
    ("上海德勤税务师事务所有限公司", "咨询费"),
    ("中国移动通信集团上海有限公司", "通讯费"),
    ("上海携程国际旅行社有限公司", "差旅费"),
    ("国家税务总局上海市税务局", "税款"),
    ("上海市社会保险事业管理中心", "社保"),
    ("上海华联展览服务有限公司", "展位费"),
)


@dataclass
class Line:
    """One bank statement line before ids are assigned."""

    account: int
    day: int  # days since epoch
    cents: int  # signed, account currency
    payer: int  # truth account index, -1 for noise
    payer_code: int
    name: str | None  # noise counterparty name
    remittance: str
    code: str


def _variant(rng: np.random.Generator, ref: str) -> str:
    compact = ref.replace("-", "")
    options = (
        ref,
        f"货款 {ref}",
        f"付款{compact}",
        ref.lower(),
        ref.translate(_FULL),
        ref.replace("-", " "),
        f"支付合同款 {ref}",
        f"{ref}货款",
        f"{compact} 款",
    )
    return options[int(rng.integers(0, len(options)))]


def remittance(
    rng: np.random.Generator, kind: str, inv_nos: list[str], order_nos: list[str], usd: bool = False
) -> str:
    """The remittance text of a customer payment (may or may not carry a document number)."""
    refs = inv_nos if rng.random() < 0.6 else order_nos
    if kind == "refund":
        return f"退款 {refs[0]}" if rng.random() < 0.6 else "退货款"
    if rng.random() < 0.35:
        return _GENERIC[int(rng.integers(0, len(_GENERIC)))]
    if usd:
        return f"PAYMENT FOR {refs[0]}" if rng.random() < 0.5 else f"INV {refs[0].replace('-', '')}"
    if kind == "combined":
        sep = ("/", ",", "、", " ")[int(rng.integers(0, 4))]
        return "货款 " + sep.join(refs)
    if kind == "instalment":
        prefix = ("首付款 ", "第1期 ", "分期款 ", "")[int(rng.integers(0, 4))]
        return prefix + _variant(rng, refs[0])
    return _variant(rng, refs[0])


def noise_lines(
    ctx: Ctx,
    rng: np.random.Generator,
    lines: list[Line],
    first_day: int,
    last_day: int,
    fx_rate: np.ndarray,
    opening: list[int],
) -> list[Line]:
    """Salaries, suppliers, fees, interest and FX conversions around the customer payments.

    Monthly spending follows the trailing three months of receipts per account, so the
    balances stay plausible (positive, slowly growing) as the business grows.
    """
    n_months = (last_day - first_day) // 30 + 1
    receipts = np.zeros((4, n_months))
    for ln in lines:
        if ln.cents > 0:
            receipts[ln.account, (ln.day - first_day) // 30] += ln.cents
    out: list[Line] = []
    n_suppliers = max(2, round(5 * max(ctx.scale, 0.05) ** 0.5))
    usd_balance = float(opening[3])
    for m in range(n_months):
        start = first_day + 30 * m
        trailing = receipts[:, max(0, m - 3) : m].mean(axis=1) if m else receipts[:, 0] * 0.5
        cny_spend = trailing[:3].sum() * 0.8
        pay = start + 9
        if pay <= last_day and cny_spend > 0:  # payroll from the main account
            out.append(
                Line(
                    0,
                    pay,
                    -int(cny_spend * 0.45 * rng.uniform(0.95, 1.05)),
                    -1,
                    0,
                    "上海云智工业软件有限公司",
                    "代发工资",
                    "NTRF",
                )
            )
        share = trailing[:3] / trailing[:3].sum() if trailing[:3].sum() > 0 else np.ones(3) / 3
        k = int(rng.poisson(n_suppliers))
        for _ in range(k):
            name, purpose = SUPPLIERS[int(rng.integers(0, len(SUPPLIERS)))]
            d = start + int(rng.integers(0, 30))
            if d <= last_day and cny_spend > 0:
                acc = int(rng.choice(3, p=share))
                amount = -int(cny_spend * 0.55 / max(k, 1) * rng.uniform(0.7, 1.3))
                out.append(Line(acc, d, amount, -1, 0, name, purpose, "NTRF"))
        for acc in range(4):
            d = start + int(rng.integers(0, 30))
            if d <= last_day:
                text = ("手续费", "账户管理费", "网银服务费", "短信通知费")[int(rng.integers(0, 4))]
                fee = int(rng.integers(5, 200)) * 100
                out.append(Line(acc, d, -fee, -1, 0, None, text, "NCHG"))
                usd_balance -= fee if acc == 3 else 0
        usd_balance += receipts[3, m]
        if m % 3 == 2:  # quarterly interest and an FX conversion of USD receipts
            d = min(start + 20, last_day)
            for acc in range(4):
                out.append(
                    Line(
                        acc,
                        d,
                        int(rng.integers(50, 5000)) * 100,
                        -1,
                        0,
                        None,
                        ("结息", "利息", "活期利息")[acc % 3],
                        "NINT",
                    )
                )
            amount = int(max(usd_balance - opening[3], 0) * 0.6)
            if amount > 0:
                rate = fx_rate[min(max(d - first_day, 0), len(fx_rate) - 1)]
                out.append(Line(3, d, -amount, -1, 0, None, "FX CONVERSION USD/CNY", "NFEX"))
                out.append(
                    Line(
                        0,
                        d,
                        int(amount * rate * 0.998),
                        -1,
                        0,
                        "汇丰银行(中国)有限公司",
                        "结汇入账",
                        "NFEX",
                    )
                )
                usd_balance -= amount
    return out
