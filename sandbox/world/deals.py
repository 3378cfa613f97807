"""Opportunities with stage history, quotes with discount authority, orders and invoices."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sandbox.schema import CRM_TABLES, OPPORTUNITY_STAGES
from sandbox.world import vocab
from sandbox.world.common import (
    US_PER_DAY,
    US_PER_HOUR,
    Ctx,
    china_day,
    date_array,
    ids,
    join,
    money_array,
    pick,
    table,
    ts_array,
    weighted_index,
)
from sandbox.world.firms import Accounts, Reps
from sandbox.world.journeys import Leads

FORECAST = ("pipeline", "pipeline", "best_case", "commit", "closed", "omitted")
STAGE_SHARE = np.array([0.0, 0.2, 0.45, 0.7])  # of the cycle spent before entering stage k


@dataclass
class Deals:
    """Deal-side facts needed by the CRM leads table, activities, bank and truth."""

    tables: dict[str, pa.Table]
    opp_lead: np.ndarray  # lead index per opportunity
    opp_id: pa.Array
    opp_created_us: np.ndarray
    opp_close_us: np.ndarray
    opp_closed: np.ndarray
    opp_won: np.ndarray
    lead_opp: np.ndarray  # opportunity index per lead, or -1
    # invoices (for the bank)
    inv_id: pa.Array
    inv_no: pa.Array
    inv_order: np.ndarray  # order index
    inv_account: np.ndarray  # truth account index
    inv_cents: np.ndarray
    inv_issued_day: np.ndarray  # days since epoch
    inv_due_day: np.ndarray
    inv_cancelled: np.ndarray
    order_id: pa.Array
    order_no: pa.Array


def _numbered(prefix: str, days: np.ndarray, order: np.ndarray) -> pa.Array:
    """Document numbers like SO-2025-000123, sequential per year in ``order``."""
    years = (np.datetime64("1970-01-01") + days.astype("timedelta64[D]")).astype("datetime64[Y]")
    years = years.astype(np.int64) + 1970
    seq = np.zeros(len(days), dtype=np.int64)
    for y in np.unique(years):
        rows = order[years[order] == y]
        seq[rows] = np.arange(1, len(rows) + 1)
    return join(
        prefix,
        pc.cast(pa.array(years), pa.string()),
        "-",
        pc.utf8_lpad(pc.cast(pa.array(seq), pa.string()), 6, "0"),
    )


def _approver(reps: Reps, owner: np.ndarray, level: np.ndarray) -> pa.Array:
    roles = reps.role
    manager_of_region = {int(reps.region[i]): i for i in np.flatnonzero(roles == "manager")}
    directors = np.flatnonzero(roles == "director")
    vp = int(np.flatnonzero(roles == "vp")[0])
    region = reps.region[owner]
    mgr = np.array([manager_of_region[int(r)] for r in range(5)])[region]
    director = directors[np.isin(region, [2, 3]).astype(int) % len(directors)]
    who = np.select([level == 1, level == 2, level == 3], [mgr, director, vp], -1)
    return reps.id.take(pa.array(np.maximum(who, 0), mask=who < 0))


def make_deals(
    ctx: Ctx,
    leads: Leads,
    accounts: Accounts,
    reps: Reps,
    crm_account: np.ndarray,
    contact_of_person: np.ndarray,
    contact_ids: pa.Array,
    crm_account_ids: pa.Array,
) -> Deals:
    """Play out every opportunity of a converted lead and the order-to-invoice chain."""
    rng = ctx.rng("deals")
    end = ctx.end_us
    rows = np.flatnonzero(leads.has_opportunity)
    rows = rows[np.argsort(leads.converted_us[rows], kind="stable")]
    n = len(rows)
    lead_opp = np.full(leads.n, -1)
    lead_opp[rows] = np.arange(n)
    owner = leads.owner[rows]
    account = leads.account[rows]
    won = leads.will_win[rows]
    created = leads.converted_us[rows]
    industry = accounts.industry[account]
    # Product: MES-heavy, shifted toward what the owner sells best.
    base_w = np.array([5, 2, 2, 1.5, 2, 1.5])
    product = weighted_index(rng, base_w, n)
    likes = np.array([[p in reps.products[u] for p in vocab.PRODUCT_CODES] for u in range(reps.n)])
    swap = rng.random(n) < 0.5
    cum = np.cumsum(likes, axis=1)
    pick_k = np.floor(rng.random(n) * cum[owner, -1]).astype(np.int64) + 1
    alt = np.argmax(cum[owner] >= pick_k[:, None], axis=1)
    product = np.where(swap, alt, product)
    # Some industries lean to one product (quality in pharma and food, IIoT in energy...).
    favourite = np.array(
        [vocab.PRODUCT_CODES.index(vocab.INDUSTRY_PRODUCT[c]) for c in vocab.INDUSTRY_CODES]
    )[industry]
    product = np.where(rng.random(n) < 0.3, favourite, product)
    price = np.array([vocab.PRODUCTS[c][1] for c in vocab.PRODUCT_CODES])[product]
    size = (accounts.employees[account] / 300.0) ** 0.15
    list_cents = np.round(price * size * rng.lognormal(0, 0.45, n) / 1000) * 1000 * 100
    list_cents = np.maximum(list_cents, 20_000_00).astype(np.int64)
    disc_pct = np.round(
        np.select(
            [rng.random(n) < 0.55, rng.random(n) < 0.62, rng.random(n) < 0.75],
            [rng.uniform(0, 10, n), rng.uniform(10, 20, n), rng.uniform(20, 30, n)],
            rng.uniform(30, 38, n),
        ),
        0,
    )
    final_cents = (np.round(list_cents * (1 - disc_pct / 100) / 100) * 100).astype(np.int64)
    first_cents = np.round(final_cents * rng.uniform(0.85, 1.3, n) / 100_000) * 100_000
    first_cents = np.maximum(first_cents, 10_000_00).astype(np.int64)
    cycle = np.clip(rng.lognormal(np.log(55), 0.5, n), 10, 300)
    cycle = np.where(rng.random(n) < 0.1, cycle * 2.5, cycle) * US_PER_DAY
    lost_stage = weighted_index(rng, np.array([0.3, 0.3, 0.25, 0.15]), n)
    last_open_stage = np.where(won, 3, lost_stage)
    jitter = rng.uniform(0.8, 1.2, (n, 4))
    entry = created[:, None] + (STAGE_SHARE[None, :] * jitter * cycle[:, None]).astype(np.int64)
    entry[:, 0] = created
    close = created + cycle.astype(np.int64)
    close = np.maximum(close, entry.max(axis=1) + US_PER_HOUR)
    closed = close < end
    # Stage history rows: each entered stage, then the close.
    hist_opp, hist_stage, hist_time = [], [], []
    for k in range(4):
        m = (k <= last_open_stage) & (entry[:, k] < end)
        hist_opp.append(np.flatnonzero(m))
        hist_stage.append(np.full(m.sum(), k))
        hist_time.append(entry[m, k])
    m = closed
    hist_opp.append(np.flatnonzero(m))
    hist_stage.append(np.where(won[m], 4, 5))
    hist_time.append(close[m])
    h_opp = np.concatenate(hist_opp)
    h_stage = np.concatenate(hist_stage)
    h_time = np.concatenate(hist_time)
    order = np.lexsort((h_stage, h_time))
    h_opp, h_stage, h_time = h_opp[order], h_stage[order], h_time[order]
    current = np.zeros(n, dtype=np.int64)
    np.maximum.at(current, h_opp, h_stage)
    last_change = np.zeros(n, dtype=np.int64)
    np.maximum.at(last_change, h_opp, h_time)
    probability = np.array([p for _, p in OPPORTUNITY_STAGES])
    stage_names = [s for s, _ in OPPORTUNITY_STAGES]
    h_amount = np.where(h_stage >= 2, final_cents[h_opp], first_cents[h_opp])
    remaining = (close[h_opp] - h_time) * rng.uniform(0.6, 1.1, len(h_opp))
    h_close_day = np.where(
        h_stage >= 4,
        china_day(close[h_opp]),
        china_day(h_time + remaining.astype(np.int64) + US_PER_DAY),
    )
    opp_id = ids("OP", np.arange(1, n + 1), 7)
    owner_id = reps.id.take(pa.array(owner))
    hist = table(
        CRM_TABLES["opportunity_stage_history"],
        {
            "id": ids("OH", np.arange(1, len(h_opp) + 1), 8),
            "opportunity_id": opp_id.take(pa.array(h_opp)),
            "stage": pick(stage_names, h_stage),
            "amount": money_array(h_amount),
            "currency": pa.array(["CNY"] * len(h_opp)),
            "probability": probability[h_stage].astype(np.int32),
            "forecast_category": pick(FORECAST, h_stage),
            "close_date": date_array(h_close_day),
            "changed_by": owner_id.take(pa.array(h_opp)),
            "created_at": ts_array(h_time),
            "updated_at": ts_array(h_time),
            "is_deleted": np.zeros(len(h_opp), dtype=bool),
        },
    )
    last_row = np.zeros(n, dtype=np.int64)
    last_row[h_opp] = np.arange(len(h_opp))  # rows are time-ordered: the last write wins
    is_won_now = closed & won
    amount_now = h_amount[last_row]
    short = accounts.parts.take(account).variants(np.full(n, 3))
    opps = table(
        CRM_TABLES["opportunities"],
        {
            "id": opp_id,
            "name": join(
                short, "-", pick([vocab.PRODUCTS[c][0] for c in vocab.PRODUCT_CODES], product)
            ),
            "account_id": crm_account_ids.take(pa.array(crm_account[account])),
            "contact_id": contact_ids.take(pa.array(contact_of_person[leads.person[rows]])),
            "lead_id": ids("L", rows + 1, 8),
            "owner_id": owner_id,
            "product": pick(vocab.PRODUCT_CODES, product),
            "stage": pick(stage_names, current),
            "amount": money_array(amount_now),
            "currency": pa.array(["CNY"] * n),
            "probability": probability[current].astype(np.int32),
            "forecast_category": pick(FORECAST, current),
            "close_date": date_array(h_close_day[last_row]),
            "is_closed": closed,
            "is_won": is_won_now,
            "closed_at": ts_array(close, mask=~closed),
            "created_at": ts_array(created),
            "updated_at": ts_array(last_change),
            "is_deleted": np.zeros(n, dtype=bool),
        },
    )
    tables = {"opportunities": opps, "opportunity_stage_history": hist}
    quote_info = _quotes(
        ctx,
        rng,
        reps,
        tables,
        entry,
        close,
        closed,
        won,
        last_open_stage,
        owner,
        list_cents,
        disc_pct,
        final_cents,
        opp_id,
        crm_account_ids,
        crm_account[account],
    )
    from sandbox.world.orders import make_orders  # split module: orders and invoices

    return make_orders(
        ctx,
        rng,
        tables,
        rows,
        lead_opp,
        opp_id,
        created,
        close,
        closed,
        won,
        is_won_now,
        account,
        owner_id,
        final_cents,
        quote_info,
        crm_account_ids,
        crm_account,
    )


def _quotes(
    ctx: Ctx,
    rng: np.random.Generator,
    reps: Reps,
    tables: dict[str, pa.Table],
    entry: np.ndarray,
    close: np.ndarray,
    closed: np.ndarray,
    won: np.ndarray,
    last_open_stage: np.ndarray,
    owner: np.ndarray,
    list_cents: np.ndarray,
    disc_pct: np.ndarray,
    final_cents: np.ndarray,
    opp_id: pa.Array,
    crm_account_ids: pa.Array,
    crm_acc: np.ndarray,
) -> pa.Array:
    """Quotes from the proposal stage on; returns the final quote id per opportunity."""
    end = ctx.end_us
    n = len(won)
    has = (last_open_stage >= 2) & (entry[:, 2] < end)
    two = has & (rng.random(n) < 0.3)
    t_final = entry[:, 2] + (
        rng.uniform(0.05, 0.3, n) * np.maximum(close - entry[:, 2], US_PER_DAY)
    )
    t_final = np.minimum(t_final.astype(np.int64), np.minimum(close, end) - US_PER_HOUR)
    t_final = np.maximum(t_final, entry[:, 2])
    t_first = entry[:, 2] + US_PER_HOUR * 2
    rows_first = np.flatnonzero(two)
    rows_final = np.flatnonzero(has)
    opp = np.concatenate([rows_first, rows_final])
    is_final = np.r_[np.zeros(len(rows_first), bool), np.ones(len(rows_final), bool)]
    t = np.concatenate(
        [
            t_first[rows_first],
            np.where(
                two[rows_final],
                np.maximum(t_final[rows_final], t_first[rows_final] + US_PER_HOUR),
                t_final[rows_final],
            ),
        ]
    )
    disc = np.where(
        is_final, disc_pct[opp], np.floor(disc_pct[opp] * rng.uniform(0.3, 0.8, len(opp)))
    )
    amount = np.where(
        is_final,
        final_cents[opp],
        (np.round(list_cents[opp] * (1 - disc / 100) / 100) * 100).astype(np.int64),
    )
    level = np.select([disc > 30, disc > 20, disc > 10], [3, 2, 1], 0)
    status = np.where(
        ~is_final,
        "rejected",
        np.where(closed[opp] & won[opp], "accepted", np.where(closed[opp], "rejected", "sent")),
    ).astype(object)
    recent = (end - t) < 3 * US_PER_DAY
    status[is_final & ~closed[opp] & recent] = "approved"
    order = np.argsort(t, kind="stable")
    opp, t, disc, amount, level, status, is_final = (
        a[order] for a in (opp, t, disc, amount, level, status, is_final)
    )
    q = len(opp)
    quote_id = ids("QT", np.arange(1, q + 1), 7)
    days = china_day(t)
    tables["quotes"] = table(
        CRM_TABLES["quotes"],
        {
            "id": quote_id,
            "quote_no": _numbered("Q-", days, np.arange(q)),
            "opportunity_id": opp_id.take(pa.array(opp)),
            "account_id": crm_account_ids.take(pa.array(crm_acc[opp])),
            "list_amount": money_array(list_cents[opp]),
            "discount_pct": money_array((disc * 100).astype(np.int64), precision=5),
            "amount": money_array(amount),
            "currency": pa.array(["CNY"] * q),
            "approval_level": pick(("rep", "manager", "director", "vp"), level),
            "approved_by": _approver(reps, owner[opp], level),
            "status": pa.array(status.tolist(), pa.string()),
            "created_at": ts_array(t),
            "updated_at": ts_array(
                np.where(
                    np.isin(status, ["accepted", "rejected"]) & is_final,
                    np.maximum(close[opp], t),
                    t,
                )
            ),
            "is_deleted": np.zeros(q, dtype=bool),
        },
    )
    final_quote = np.full(n, -1)
    final_quote[opp[is_final]] = np.flatnonzero(is_final)
    return quote_id.take(pa.array(np.maximum(final_quote, 0), mask=final_quote < 0))
