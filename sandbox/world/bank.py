"""Bank accounts, statement lines (payments with real-world mess plus noise) and true links.

Payment behaviours per invoice: on time, late, partial instalments, several invoices paid
by one transfer, net of a bank fee, in USD against a CNY invoice (at truth.fx_rates), never
paid; some paid invoices are partly refunded later. Payer names and remittance texts vary.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from sandbox.schema import BANK_TABLES, TRUTH_TABLES
from sandbox.world.common import CHINA_OFFSET_US, US_PER_DAY, Ctx, date_array, money_array, table
from sandbox.world.deals import Deals
from sandbox.world.firms import Accounts
from sandbox.world.remittance import Line as _Line
from sandbox.world.remittance import noise_lines, remittance

ACCOUNTS = (
    # account_no, bank, bic, currency, format, opening balance (CNY/USD at scale 1), id prefix
    ("121909876510201", "招商银行上海分行", "CMBCCNBS", "CNY", "cn_csv", 8_000_000, "88"),
    (
        "1001234509000123456",
        "中国工商银行上海市分行",
        "ICBKCNBJSHI",
        "CNY",
        "cn_csv",
        3_500_000,
        "20",
    ),
    ("437766001234", "中国银行上海市分行", "BKCHCNBJ300", "CNY", "camt053", 1_200_000, "BOC"),
    (
        "088123456011",
        "汇丰银行(中国)有限公司上海分行",
        "HSBCCNSHXXX",
        "USD",
        "mt940",
        250_000,
        "HS",
    ),
)
BEHAVIOURS = ("on_time", "late", "partial", "fee_net", "usd", "unpaid", "combined")
BEHAVIOUR_WEIGHTS = np.array([63, 16, 7, 5, 3, 4, 0.0])  # combined is chosen per group below
COMBINED_SHARE = 0.45  # of runs of 2-3 invoices of one payer issued within 60 days
# Payer-name variant codes (messy.CompanyParts.variants) and weights.
PAYER_CODES = np.array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
PAYER_WEIGHTS = np.array([45, 12, 5, 10, 5, 8, 2, 5, 5, 3.0])


@dataclass
class BankOut:
    """Bank tables plus truth.fx_rates and truth.payment_links."""

    tables: dict[str, pa.Table]
    fx_rates: pa.Table
    payment_links: pa.Table


def _fx(ctx: Ctx) -> tuple[np.ndarray, np.ndarray]:
    rng = ctx.rng("fx")
    first = (ctx.start_us + CHINA_OFFSET_US) // US_PER_DAY
    days = np.arange(ctx.n_days) + first
    walk = 7.18 + np.cumsum(rng.normal(0, 0.01, ctx.n_days))
    return days, np.round(np.clip(walk, 6.9, 7.4), 4)


def make_bank(ctx: Ctx, deals: Deals, accounts: Accounts) -> BankOut:
    """Generate bank statement lines, the exchange rates used and the true links."""
    rng = ctx.rng("bank")
    fx_days, fx_rate = _fx(ctx)
    first_day = int(fx_days[0])
    last_day = int(fx_days[-1])
    lines: list[_Line] = []
    links: list[tuple[int, int, int, str]] = []  # (line index, invoice, cents, kind)
    inv_no = deals.inv_no.to_pylist()
    order_no = deals.order_no.to_pylist()
    n_inv = len(deals.inv_cents)
    behaviour = rng.choice(len(BEHAVIOURS), n_inv, p=BEHAVIOUR_WEIGHTS / BEHAVIOUR_WEIGHTS.sum())
    cny_accounts = np.array([0, 1, 2])
    account_of_payer = cny_accounts[rng.choice(3, accounts.n, p=[0.5, 0.3, 0.2])]
    behaviour[_combined_runs(rng, deals)] = BEHAVIOURS.index("combined")

    def add(
        inv: int,
        day: int,
        cents: int,
        kind: str,
        ref_kind: str,
        account: int | None = None,
        refs: list[int] | None = None,
        code: str = "NTRF",
    ) -> int | None:
        if day > last_day:
            return None
        acc = int(account_of_payer[deals.inv_account[inv]]) if account is None else account
        payer = int(deals.inv_account[inv])
        pcode = (
            6 if acc == 3 else int(rng.choice(PAYER_CODES, p=PAYER_WEIGHTS / PAYER_WEIGHTS.sum()))
        )
        group = refs or [inv]
        text = remittance(
            rng,
            ref_kind,
            [inv_no[i] for i in group],
            [order_no[deals.inv_order[i]] for i in group],
            usd=acc == 3,
        )
        lines.append(_Line(acc, day, cents, payer, pcode, None, text, code))
        return len(lines) - 1

    def link(line: int | None, inv: int, cents: int, kind: str) -> None:
        if line is not None:
            links.append((line, inv, cents, kind))

    combined_pool: dict[int, list[int]] = {}
    for i in range(n_inv):  # invoices are few (thousands at scale 1): plain Python is clear
        if deals.inv_cancelled[i]:
            continue
        b = BEHAVIOURS[behaviour[i]]
        issued, due, cents = (
            int(deals.inv_issued_day[i]),
            int(deals.inv_due_day[i]),
            int(deals.inv_cents[i]),
        )
        on_time_day = issued + int(rng.integers(0, max(1, due - issued + 1)))
        paid_lines: list[int | None] = []
        if b == "on_time":
            paid_lines.append(add(i, on_time_day, cents, "full", "single"))
            link(paid_lines[-1], i, cents, "full")
        elif b == "late":
            day = due + 1 + int(rng.lognormal(np.log(20), 0.8))
            paid_lines.append(add(i, day, cents, "late", "single"))
            link(paid_lines[-1], i, cents, "late")
        elif b == "partial":
            k = int(rng.integers(2, 4))
            shares = rng.dirichlet(np.full(k, 4.0))
            parts = (np.round(cents * shares / 100) * 100).astype(np.int64)
            parts[-1] = cents - parts[:-1].sum()
            days = np.sort(issued + rng.integers(0, max(2, due - issued + 60), k))
            for part, day in zip(parts, days, strict=True):
                ln = add(i, int(day), int(part), "partial", "instalment")
                link(ln, i, int(part), "partial")
        elif b == "fee_net":
            fee = int(rng.integers(10, 51)) * 100 + int(rng.choice([0, 50]))
            ln = add(i, on_time_day, cents - fee, "fee_net", "single")
            link(ln, i, cents - fee, "fee_net")
            paid_lines.append(ln)
        elif b == "usd":
            rate = fx_rate[min(max(on_time_day - first_day, 0), len(fx_rate) - 1)]
            usd = round(cents / rate)
            ln = add(i, on_time_day, usd, "full", "single", account=3)
            link(ln, i, cents, "full")
            paid_lines.append(ln)
        elif b == "combined":
            combined_pool.setdefault(int(deals.inv_account[i]), []).append(i)
        # Refunds: a debit some weeks after a full payment.
        ln = paid_lines[0] if paid_lines else None
        if ln is not None and rng.random() < 0.015:
            paid = lines[ln]
            refund = -round(abs(paid.cents) * rng.uniform(0.1, 0.3) / 100) * 100
            r_line = add(
                i,
                paid.day + int(rng.integers(10, 60)),
                refund,
                "refund",
                "refund",
                account=paid.account,
                code="NRTI",
            )
            if r_line is not None:
                lines[r_line].payer_code = paid.payer_code
                rate_day = min(lines[r_line].day - first_day, len(fx_rate) - 1)
                amount_inv = refund if paid.account != 3 else round(refund * fx_rate[rate_day])
                link(r_line, i, amount_inv, "refund")
    for group_all in combined_pool.values():
        group_all.sort(key=lambda j: int(deals.inv_issued_day[j]))
        start = 0
        while start < len(group_all):
            group = [group_all[start]]
            while (
                len(group) < 3
                and start + len(group) < len(group_all)
                and deals.inv_issued_day[group_all[start + len(group)]]
                - deals.inv_issued_day[group[0]]
                <= 60
            ):
                group.append(group_all[start + len(group)])
            start += len(group)
            day = int(max(deals.inv_issued_day[j] for j in group)) + int(rng.integers(0, 30))
            total = int(sum(int(deals.inv_cents[j]) for j in group))
            kind = "combined" if len(group) > 1 else "full"
            ln = add(
                group[0], day, total, kind, "combined" if len(group) > 1 else "single", refs=group
            )
            for j in group:
                link(ln, j, int(deals.inv_cents[j]), kind)
    opening = [round(a[5] * max(ctx.scale, 0.02)) * 100 for a in ACCOUNTS]
    lines.extend(noise_lines(ctx, rng, lines, first_day, last_day, fx_rate, opening))
    return _assemble(ctx, rng, lines, links, deals, accounts, fx_days, fx_rate)


def _assemble(
    ctx: Ctx,
    rng: np.random.Generator,
    lines: list[_Line],
    links: list[tuple[int, int, int, str]],
    deals: Deals,
    accounts: Accounts,
    fx_days: np.ndarray,
    fx_rate: np.ndarray,
) -> BankOut:
    n = len(lines)
    acc = np.array([ln.account for ln in lines], dtype=np.int64)
    day = np.array([ln.day for ln in lines], dtype=np.int64)
    order = np.lexsort((np.arange(n), day, acc))
    position = np.empty(n, dtype=np.int64)
    position[order] = np.arange(n)
    seq = np.zeros(n, dtype=np.int64)
    for a in range(len(ACCOUNTS)):
        rows = order[acc[order] == a]
        seq[rows] = np.arange(1, len(rows) + 1)
    dates = (np.datetime64("1970-01-01") + day.astype("timedelta64[D]")).astype(str)
    line_id = [
        f"{ACCOUNTS[a][6]}{d.replace('-', '')}{s:06d}"
        for a, d, s in zip(acc, dates, seq, strict=True)
    ]
    payer = np.array([max(ln.payer, 0) for ln in lines], dtype=np.int64)
    codes = np.array([ln.payer_code for ln in lines], dtype=np.int64)
    payer_names = accounts.parts.take(payer).variants(codes).to_pylist()
    cp_account_no = rng.integers(10**15, 10**16, accounts.n)
    names, cp_accounts = [], []
    for i, ln in enumerate(lines):
        if ln.payer >= 0:
            names.append(payer_names[i])
            cp_accounts.append(str(cp_account_no[ln.payer]))
        else:
            names.append(ln.name)
            cp_accounts.append(
                None
                if ln.code in ("NCHG", "NINT")
                else str(10**15 + (hash_text(ln.name or "") % 10**15))
            )
    fmt = np.array([ACCOUNTS[a][4] for a in acc])
    value = day + (rng.random(n) < 0.2)
    e2e = [
        None
        if fmt[i] == "cn_csv" or lines[i].payer < 0
        else ("NOTPROVIDED" if rng.random() < 0.3 else f"E2E{rng.integers(10**11, 10**12)}")
        for i in range(n)
    ]
    bank_lines = table(
        BANK_TABLES["bank_lines"],
        {
            "line_id": pa.array(line_id),
            "account_no": pa.array([ACCOUNTS[a][0] for a in acc]),
            "booking_date": date_array(day),
            "value_date": date_array(value),
            "amount": money_array(np.array([ln.cents for ln in lines], dtype=np.int64)),
            "currency": pa.array([ACCOUNTS[a][3] for a in acc]),
            "counterparty_name": pa.array(names, pa.string()),
            "counterparty_account": pa.array(cp_accounts, pa.string()),
            "remittance": pa.array([ln.remittance for ln in lines], pa.string()),
            "end_to_end_id": pa.array(e2e, pa.string()),
            "bank_reference": pa.array([f"{rng.integers(10**9, 10**10)}" for _ in range(n)]),
            "transaction_code": pa.array([ln.code for ln in lines]),
        },
    ).take(pa.array(order))
    bank_accounts = table(
        BANK_TABLES["bank_accounts"],
        {
            "account_no": pa.array([a[0] for a in ACCOUNTS]),
            "bank_name": pa.array([a[1] for a in ACCOUNTS]),
            "bic": pa.array([a[2] for a in ACCOUNTS]),
            "currency": pa.array([a[3] for a in ACCOUNTS]),
            "file_format": pa.array([a[4] for a in ACCOUNTS]),
            "opening_balance": money_array(
                np.array([round(a[5] * max(ctx.scale, 0.02)) * 100 for a in ACCOUNTS])
            ),
        },
    )
    l_line = np.array([lk[0] for lk in links], dtype=np.int64)
    l_inv = np.array([lk[1] for lk in links], dtype=np.int64)
    l_order = np.lexsort((l_inv, position[l_line])) if links else np.zeros(0, dtype=np.int64)
    line_ids = pa.array(line_id)
    payment_links = table(
        TRUTH_TABLES["payment_links"],
        {
            "line_id": line_ids.take(pa.array(l_line[l_order])),
            "invoice_id": deals.inv_id.take(pa.array(l_inv[l_order])),
            "order_id": deals.order_id.take(pa.array(deals.inv_order[l_inv[l_order]])),
            "amount": money_array(np.array([links[i][2] for i in l_order], dtype=np.int64)),
            "kind": pa.array([links[i][3] for i in l_order], pa.string()),
        },
    )
    fx = table(
        TRUTH_TABLES["fx_rates"],
        {
            "date": date_array(fx_days),
            "currency": pa.array(["USD"] * len(fx_days)),
            "rate_to_cny": money_array(np.round(fx_rate * 1_000_000).astype(np.int64), scale=6),
        },
    )
    return BankOut(
        tables={"bank_accounts": bank_accounts, "bank_lines": bank_lines},
        fx_rates=fx,
        payment_links=payment_links,
    )


def _combined_runs(rng: np.random.Generator, deals: Deals) -> np.ndarray:
    """Invoices paid together: runs of 2-3 invoices of one payer issued within 60 days."""
    live = np.flatnonzero(~deals.inv_cancelled)
    order = live[np.lexsort((deals.inv_issued_day[live], deals.inv_account[live]))]
    chosen: list[int] = []
    i = 0
    while i < len(order) - 1:
        run = [order[i]]
        while (
            len(run) < 3
            and i + len(run) < len(order)
            and deals.inv_account[order[i + len(run)]] == deals.inv_account[run[0]]
            and deals.inv_issued_day[order[i + len(run)]] - deals.inv_issued_day[run[0]] <= 60
        ):
            run.append(order[i + len(run)])
        if len(run) > 1 and rng.random() < COMBINED_SHARE:
            chosen.extend(run)
        i += len(run)
    return np.array(chosen, dtype=np.int64)


def hash_text(text: str) -> int:
    """A stable (not per-process salted) hash for deterministic fake account numbers."""
    h = 1469598103934665603
    for ch in text.encode("utf-8"):
        h = ((h ^ ch) * 1099511628211) % (1 << 61)
    return h
