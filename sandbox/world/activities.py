"""Rep activities (on leads and on opportunities) and WeChat Work behaviour per rep-day."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from sandbox.schema import CRM_TABLES, WECHAT_TABLES
from sandbox.world import vocab
from sandbox.world.common import (
    US_PER_DAY,
    US_PER_HOUR,
    US_PER_MINUTE,
    Ctx,
    china_day,
    date_array,
    ids,
    null_where,
    pick,
    table,
    ts_array,
    weighted_index,
)
from sandbox.world.crm import CrmMaster
from sandbox.world.deals import Deals
from sandbox.world.firms import Reps
from sandbox.world.journeys import Leads

_TYPES = ("call", "visit", "meeting", "email", "wechat", "note")
_T = {t: i for i, t in enumerate(_TYPES)}
_NOTES = (
    "",
    "客户关注价格",
    "需要方案",
    "已发资料",
    "决策人未到场",
    "下次约演示",
    "预算审批中",
    "对接IT部门",
    "竞品对比中",
)


def _between(rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    span = np.maximum(hi - lo, US_PER_MINUTE)
    return lo + (rng.random(len(lo)) * span).astype(np.int64)


def make_activities(
    ctx: Ctx, leads: Leads, deals: Deals, master: CrmMaster, reps: Reps, persons_account: np.ndarray
) -> tuple[pa.Table, np.ndarray, np.ndarray]:
    """crm.activities; also returns (owner, time) of every wechat activity for behaviour."""
    rng = ctx.rng("activities")
    end = ctx.end_us - 1
    c = leads.counts
    # First responses.
    fr = np.flatnonzero(leads.responded)
    lead = [fr]
    kind = [np.array([_T[t] for t in leads.first_response_type[fr]], dtype=np.int64)]
    when = [leads.first_response_us[fr]]
    lo = leads.first_response_us + US_PER_MINUTE
    hi = np.maximum(leads.window_end_us, lo + US_PER_MINUTE)
    chat_lo = np.maximum(lo, leads.wechat_add_us + US_PER_MINUTE)
    for count, types, weights, low in (
        (c["chat"], ("wechat",), (1.0,), chat_lo),
        (c["sales_act"], ("call", "visit", "meeting"), (0.55, 0.25, 0.2), lo),
        (c["rep_email"], ("email", "note"), (0.7, 0.3), lo),
    ):
        rows = np.repeat(np.arange(leads.n), count)
        lead.append(rows)
        kind.append(
            np.array([_T[t] for t in types])[weighted_index(rng, np.array(weights), len(rows))]
        )
        when.append(np.minimum(_between(rng, low[rows], hi[rows]), hi[rows]))
    a_lead = np.concatenate(lead)
    a_kind = np.concatenate(kind)
    a_time = np.minimum(np.concatenate(when), end)
    # Opportunity activities after conversion.
    n_opp = len(deals.opp_lead)
    stop = np.minimum(np.where(deals.opp_closed, deals.opp_close_us, end), end)
    k = rng.poisson(np.clip((stop - deals.opp_created_us) / US_PER_DAY / 12, 0.5, 12))
    o_rows = np.repeat(np.arange(n_opp), k)
    o_kind = weighted_index(rng, np.array([35, 20, 20, 15, 10, 0.0]), len(o_rows))
    o_time = _between(rng, deals.opp_created_us[o_rows] + US_PER_HOUR, stop[o_rows])
    o_time = np.minimum(o_time, end)
    n_l, n_o = len(a_lead), len(o_rows)
    lead_of = np.concatenate([a_lead, np.full(n_o, -1)])
    opp_of = np.concatenate([np.full(n_l, -1), o_rows])
    kinds = np.concatenate([a_kind, o_kind])
    times = np.concatenate([a_time, o_time])
    owner = np.concatenate([leads.owner[a_lead], leads.owner[deals.opp_lead[o_rows]]])
    order = np.lexsort((opp_of, lead_of, times))
    lead_of, opp_of, kinds, times, owner = (
        a[order] for a in (lead_of, opp_of, kinds, times, owner)
    )
    n = len(times)
    opp_lead = np.where(opp_of >= 0, deals.opp_lead[np.maximum(opp_of, 0)], 0)
    person = leads.person[opp_lead]
    contact = np.where(opp_of >= 0, master.contact_of_person[person], -1)
    account = np.where(opp_of >= 0, master.account_of_truth[persons_account[person]], -1)
    subjects = []
    for t in _TYPES:
        subjects.append(
            pick(vocab.ACTIVITY_SUBJECTS[t], rng.integers(0, len(vocab.ACTIVITY_SUBJECTS[t]), n))
        )
    subject = pa.chunked_array(subjects).combine_chunks().take(pa.array(kinds * n + np.arange(n)))
    notes = pick(_NOTES, rng.integers(0, len(_NOTES), n))
    duration = np.select(
        [kinds == 0, kinds == 1, kinds == 2],
        [rng.integers(2, 30, n), rng.integers(60, 180, n), rng.integers(30, 90, n)],
        0,
    )
    logged = np.minimum(times + rng.integers(0, 60, n) * US_PER_MINUTE, end)
    user_ids = reps.id.take(pa.array(owner))
    lead_ids = ids("L", lead_of + 1, 8)
    activities = table(
        CRM_TABLES["activities"],
        {
            "id": ids("AT", np.arange(1, n + 1), 9),
            "type": pick(_TYPES, kinds),
            "subject": subject,
            "notes": notes,
            "lead_id": null_where(lead_ids, lead_of < 0),
            "contact_id": master.contact_ids.take(
                pa.array(np.maximum(contact, 0), mask=contact < 0)
            ),
            "account_id": master.account_ids.take(
                pa.array(np.maximum(account, 0), mask=account < 0)
            ),
            "opportunity_id": deals.opp_id.take(pa.array(np.maximum(opp_of, 0), mask=opp_of < 0)),
            "owner_id": user_ids,
            "occurred_at": ts_array(times),
            "duration_minutes": pa.array(
                duration.astype(np.int32), mask=~np.isin(kinds, [0, 1, 2])
            ),
            "created_at": ts_array(logged),
            "updated_at": ts_array(logged),
            "is_deleted": np.zeros(n, dtype=bool),
        },
    )
    chats = kinds == _T["wechat"]
    return activities, owner[chats], times[chats]


def behavior_table(
    ctx: Ctx,
    reps: Reps,
    chat_owner: np.ndarray,
    chat_time: np.ndarray,
    add_rep: np.ndarray,
    add_time: np.ndarray,
) -> pa.Table:
    """wechat_work.behavior_daily: one row per member per China-time day."""
    rng = ctx.rng("behavior")
    first_day = china_day(np.array([ctx.start_us]))[0]
    n_days = ctx.n_days
    cell = reps.n * n_days

    def per_cell(user: np.ndarray, ts: np.ndarray) -> np.ndarray:
        d = china_day(ts) - first_day
        ok = (d >= 0) & (d < n_days)
        return np.bincount(user[ok] * n_days + d[ok], minlength=cell)

    chat = per_cell(chat_owner, chat_time)
    adds = per_cell(add_rep, add_time)
    users = np.repeat(np.arange(reps.n), n_days)
    days = np.tile(np.arange(n_days), reps.n) + first_day
    messages = chat + rng.poisson(chat * 5.0)
    no_chat = chat == 0
    reply = np.round(np.clip(rng.normal(88, 8, cell), 40, 100), 2)
    reply_time = np.maximum(1, np.round(rng.lognormal(np.log(reps.response_hours[users] * 6), 0.5)))
    return table(
        WECHAT_TABLES["behavior_daily"],
        {
            "userid": reps.wechat_userid.take(pa.array(users)),
            "stat_date": date_array(days),
            "chat_cnt": chat.astype(np.int32),
            "message_cnt": messages.astype(np.int32),
            "reply_percentage": pa.array(reply, mask=no_chat),
            "avg_reply_time": pa.array(reply_time.astype(np.int32), mask=no_chat),
            "negative_feedback_cnt": rng.binomial(chat, 0.01).astype(np.int32),
            "new_apply_cnt": (adds + rng.poisson(0.05, cell)).astype(np.int32),
            "new_contact_cnt": adds.astype(np.int32),
        },
    )
