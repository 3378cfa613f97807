"""Orders and invoices of won deals (some invoices split, a few cancelled and reissued)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from sandbox.schema import CRM_TABLES
from sandbox.world.common import (
    CHINA_OFFSET_US,
    US_PER_DAY,
    US_PER_HOUR,
    Ctx,
    china_day,
    date_array,
    ids,
    money_array,
    table,
    ts_array,
)

if TYPE_CHECKING:
    from sandbox.world.deals import Deals


def make_orders(
    ctx: Ctx,
    rng: np.random.Generator,
    tables: dict[str, pa.Table],
    rows: np.ndarray,
    lead_opp: np.ndarray,
    opp_id: pa.Array,
    created: np.ndarray,
    close: np.ndarray,
    closed: np.ndarray,
    won: np.ndarray,
    is_won_now: np.ndarray,
    account: np.ndarray,
    owner_id: pa.Array,
    final_cents: np.ndarray,
    quote_id: pa.Array,
    crm_account_ids: pa.Array,
    crm_account: np.ndarray,
) -> Deals:
    """Orders for deals won by ``as_of``, and their invoices."""
    from sandbox.world.deals import Deals, _numbered

    as_of_day = china_day(np.array([ctx.end_us - 1]))[0]
    opp = np.flatnonzero(is_won_now)
    n = len(opp)
    order_day = np.minimum(china_day(close[opp]) + rng.integers(0, 6, n), as_of_day)
    order_ts = order_day * US_PER_DAY - CHINA_OFFSET_US + rng.integers(10, 18, n) * US_PER_HOUR
    order_ts = np.maximum(order_ts, close[opp] + US_PER_HOUR)
    order_ts = np.minimum(order_ts, ctx.end_us - 1)
    order_day = china_day(order_ts)
    order_no_rank = np.lexsort((opp, order_ts))
    cancelled = rng.random(n) < 0.015
    completed_ts = order_ts + rng.integers(5, 45, n) * US_PER_DAY
    completed = ~cancelled & (completed_ts < ctx.end_us) & (rng.random(n) < 0.95)
    status = np.where(cancelled, "cancelled", np.where(completed, "completed", "confirmed"))
    order_id = ids("SO", np.arange(1, n + 1), 7)
    order_no = _numbered("SO-", order_day, order_no_rank)
    updated = np.where(completed, completed_ts, order_ts)
    updated = np.where(cancelled, order_ts + rng.integers(1, 20, n) * US_PER_DAY, updated)
    updated = np.minimum(updated, ctx.end_us - 1)
    acc = crm_account[account[opp]]
    tables["orders"] = table(
        CRM_TABLES["orders"],
        {
            "id": order_id,
            "order_no": order_no,
            "account_id": crm_account_ids.take(pa.array(acc)),
            "opportunity_id": opp_id.take(pa.array(opp)),
            "quote_id": quote_id.take(pa.array(opp)),
            "owner_id": owner_id.take(pa.array(opp)),
            "amount": money_array(final_cents[opp]),
            "currency": pa.array(["CNY"] * n),
            "status": pa.array(status.tolist(), pa.string()),
            "order_date": date_array(order_day),
            "completed_at": ts_array(completed_ts, mask=~completed),
            "created_at": ts_array(order_ts),
            "updated_at": ts_array(updated),
            "is_deleted": np.zeros(n, dtype=bool),
        },
    )
    # Invoices: one (70%), two (20%) or three (10%) instalments.
    parts = np.where(
        cancelled, 0, np.select([rng.random(n) < 0.7, rng.random(n) < 0.67], [1, 2], 3)
    )
    inv_order = np.repeat(np.arange(n), parts)
    k = np.arange(len(inv_order)) - np.repeat(np.cumsum(parts) - parts, parts)
    share = np.select(
        [parts[inv_order] == 1, parts[inv_order] == 2],
        [np.ones(len(k)), np.where(k == 0, 0.5, 0.5)],
        np.array([0.3, 0.4, 0.3])[np.minimum(k, 2)],
    )
    cents = (np.round(final_cents[opp[inv_order]] * share / 100) * 100).astype(np.int64)
    last = k == parts[inv_order] - 1
    totals = np.bincount(inv_order, weights=cents, minlength=n).astype(np.int64)
    cents[last] += final_cents[opp[inv_order[last]]] - totals[inv_order[last]]
    gap = np.where(k == 0, rng.integers(0, 8, len(k)), rng.integers(30, 120, len(k)))
    issued = (
        order_day[inv_order]
        + np.cumsum(gap)
        - np.repeat(
            np.cumsum(np.bincount(inv_order, weights=gap, minlength=n))
            - np.bincount(inv_order, weights=gap, minlength=n),
            parts,
        ).astype(np.int64)
    )
    keep = issued <= as_of_day
    inv_order, cents, issued = inv_order[keep], cents[keep], issued[keep]
    # A few invoices are cancelled and reissued under a new number.
    m = len(inv_order)
    redo = rng.random(m) < 0.01
    redo_idx = np.flatnonzero(redo)
    re_issued = issued[redo_idx] + rng.integers(2, 10, len(redo_idx))
    ok = re_issued <= as_of_day
    redo_idx, re_issued = redo_idx[ok], re_issued[ok]
    cancelled_inv = np.zeros(m + len(redo_idx), dtype=bool)
    cancelled_inv[redo_idx] = True
    inv_order = np.concatenate([inv_order, inv_order[redo_idx]])
    cents = np.concatenate([cents, cents[redo_idx]])
    issued = np.concatenate([issued, re_issued])
    due = issued + rng.choice([30, 30, 30, 45, 60, 90], len(issued))
    order = np.lexsort((inv_order, issued))
    inv_order, cents, issued, due, cancelled_inv = (
        a[order] for a in (inv_order, cents, issued, due, cancelled_inv)
    )
    q = len(inv_order)
    inv_id = ids("IV", np.arange(1, q + 1), 7)
    inv_no = _numbered("INV-", issued, np.arange(q))
    created_ts = issued * US_PER_DAY - CHINA_OFFSET_US + rng.integers(9, 18, q) * US_PER_HOUR
    updated_ts = np.where(
        cancelled_inv, np.minimum(created_ts + 2 * US_PER_DAY, ctx.end_us - 1), created_ts
    )
    tables["invoices"] = table(
        CRM_TABLES["invoices"],
        {
            "id": inv_id,
            "invoice_no": inv_no,
            "order_id": order_id.take(pa.array(inv_order)),
            "account_id": crm_account_ids.take(pa.array(acc[inv_order])),
            "amount": money_array(cents),
            "currency": pa.array(["CNY"] * q),
            "issued_date": date_array(issued),
            "due_date": date_array(due),
            "status": pa.array(
                np.where(cancelled_inv, "cancelled", "issued").tolist(), pa.string()
            ),
            "created_at": ts_array(created_ts),
            "updated_at": ts_array(updated_ts),
            "is_deleted": np.zeros(q, dtype=bool),
        },
    )
    return Deals(
        tables=tables,
        opp_lead=rows,
        opp_id=opp_id,
        opp_created_us=created,
        opp_close_us=close,
        opp_closed=closed,
        opp_won=won,
        lead_opp=lead_opp,
        inv_id=inv_id,
        inv_no=inv_no,
        inv_order=inv_order,
        inv_account=account[opp[inv_order]],
        inv_cents=cents,
        inv_issued_day=issued,
        inv_due_day=due,
        inv_cancelled=cancelled_inv,
        order_id=order_id,
        order_no=order_no,
    )
