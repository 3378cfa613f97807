"""A tiny bank world conforming to sandbox/schema.py BANK_TABLES, for tests that must not
wait for the world generator: ten accounts (MT940, camt.053 and Chinese CSV), lines
from mid-December to mid-February (the MT940 entry date crosses the year end).
Deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

import pyarrow as pa

from sandbox.schema import BANK_TABLES
from sandbox.world.tables import world_dir, write_table

START = dt.date(2024, 12, 16)
END = dt.date(2025, 2, 14)

ACCOUNTS = (
    ("DE89370400440532013000", "Deutsche Bank", "DEUTDEFFXXX", "EUR", "mt940", "25000.00"),
    ("NL91ABNA0417164300", "ABN AMRO", "ABNANL2AXXX", "EUR", "mt940", "8000.00"),
    ("PL61109010140000071219812874", "PKO BP", "BPKOPLPWXXX", "PLN", "mt940", "-1200.50"),
    ("GB33BUKB20201555555555", "Barclays", "BUKBGB22XXX", "GBP", "camt053", "15000.00"),
    ("1001203409000012345", "中国工商银行上海分行", "ICBKCNBJSHI", "CNY", "camt053", "300000.00"),
    ("6214830012345678", "招商银行", "CMBCCNBS", "CNY", "cn_csv", "120000.00"),
    ("31001588888050012345", "中国建设银行", "PCBCCNBJ", "CNY", "cn_csv", "50000.00"),
    ("4563510000001234", "中国银行", "BKCHCNBJ", "USD", "cn_csv", "42000.00"),
    ("6228480012345678910", "中国农业银行", "ABOCCNBJ", "CNY", "cn_csv", "10000.00"),
    ("1001203409000099999", "中国工商银行", "ICBKCNBJ", "CNY", "cn_csv", "88000.00"),
)
PAYERS_CN = ("上海云帆信息科技有限公司", "杭州远景智能制造有限公司", "北京华信达科技股份有限公司",
             "深圳蓝海电子有限公司", "苏州工业园区精密机械有限公司（集团）")  # fmt: skip
PAYERS_EU = ("Maschinenbau Keller GmbH", "Van Dijk Industrie B.V.", "Harbour Freight Ltd",
             "Société Générale d'Essais", "Nordwind Logistik GmbH & Co. KG")  # fmt: skip


def _lines(rng: random.Random, end: dt.date, busy: int) -> list[dict]:
    rows: list[dict] = []
    invoice = 100
    for account_no, _, _, currency, _, _ in ACCOUNTS:
        chinese = currency in ("CNY", "USD") and not account_no[:2].isalpha()
        payers = PAYERS_CN if chinese else PAYERS_EU
        serial = 0
        day = START
        while day <= end:
            for _ in range(rng.choice((0, 0, 1, 2, 3)) * busy):
                serial += 1
                kind = rng.random()
                payer = rng.choice(payers)
                value = day - dt.timedelta(days=rng.choice((0, 0, 0, 1)))
                if kind < 0.6:
                    invoice += 1
                    amount = Decimal(rng.randrange(50_000, 5_000_000)) / 100
                    code, remit = "NTRF", f"INV-2025-{invoice:06d}"
                    if chinese and rng.random() < 0.5:
                        remit = f"货款 {remit}"
                elif kind < 0.8:
                    amount = -Decimal(rng.randrange(10_000, 900_000)) / 100
                    code, remit = "NTRF", f"PO-2025-{rng.randrange(1, 999):04d} payment"
                elif kind < 0.93:
                    amount = -Decimal(rng.choice((500, 1500, 2000, 650))) / 100
                    code, remit, payer = "NCHG", "手续费" if chinese else "Account fee", None
                else:
                    amount = -Decimal(rng.randrange(10_000, 200_000)) / 100
                    code, remit = "NRTI", f"Refund INV-2025-{max(invoice - 3, 100):06d}"
                rows.append({
                    "line_id": f"{account_no[-4:]}{day:%Y%m%d}{serial:05d}",
                    "account_no": account_no,
                    "booking_date": day,
                    "value_date": value,
                    "amount": amount,
                    "currency": currency,
                    "counterparty_name": payer,
                    "counterparty_account": (
                        None if payer is None else f"62220{rng.randrange(10**9)}"
                    ),
                    "remittance": remit,
                    "end_to_end_id": (
                        None if chinese or rng.random() < 0.3 else f"E2E{serial:07d}"
                    ),
                    "bank_reference": (
                        f"FT{rng.randrange(10**8):08d}" if rng.random() < 0.5 else None
                    ),
                    "transaction_code": code,
                })  # fmt: skip
            day += dt.timedelta(days=1)
    return rows


def build_tiny_bank_world(
    sandbox_dir: Path, seed: int = 7, *, end: dt.date = END, busy: int = 1
) -> Path:
    """Write world/bank/{bank_accounts,bank_lines}.parquet under ``sandbox_dir``.

    ``end`` and ``busy`` (a multiplier of lines per day) make bigger worlds for benchmarks.
    """
    rng = random.Random(seed)
    accounts = [
        dict(zip(("account_no", "bank_name", "bic", "currency", "file_format"), a[:5], strict=True))
        | {"opening_balance": Decimal(a[5])}
        for a in ACCOUNTS
    ]
    folder = world_dir(sandbox_dir) / "bank"
    write_table(
        folder / "bank_accounts.parquet",
        pa.Table.from_pylist(accounts, schema=BANK_TABLES["bank_accounts"]),
    )
    write_table(
        folder / "bank_lines.parquet",
        pa.Table.from_pylist(_lines(rng, end, busy), schema=BANK_TABLES["bank_lines"]),
    )
    return sandbox_dir
