"""First contacts: each person's first touch in one channel, and WeChat Work adds."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sandbox.schema import CHANNELS
from sandbox.world.campaigns import Marketing
from sandbox.world.common import (
    US_PER_DAY,
    US_PER_HOUR,
    US_PER_MINUTE,
    Ctx,
    business_time,
    weighted_index,
)
from sandbox.world.firms import Persons, Reps

CH = {c: i for i, c in enumerate(CHANNELS)}
ORIGIN_WEIGHTS = {
    "sem": 28,
    "douyin": 15,
    "website": 17,
    "exhibition": 18,
    "wechat": 10,
    "email": 4,
    "sales": 8,
}


@dataclass
class Origins:
    """First-contact records in the source systems, one per (person, first contact)."""

    n: int
    person: np.ndarray
    channel: np.ndarray
    time_us: np.ndarray
    keyword: np.ndarray  # Baidu keyword index or -1
    promo: np.ndarray  # Douyin promotion index or -1
    exhibition: np.ndarray  # exhibition index or -1
    crm_campaign: np.ndarray  # CRM campaign index or -1
    defect: np.ndarray  # the source record is malformed (never imported)
    lead: np.ndarray  # index of the CRM lead it became, or -1


def make_origins(ctx: Ctx, persons: Persons, mk: Marketing) -> Origins:
    """Draw each person's first contact (and some second contacts) with channel and time."""
    rng = ctx.rng("origins")
    second = rng.random(persons.n) < 0.08
    person = np.concatenate([np.arange(persons.n), np.flatnonzero(second)])
    n = len(person)
    w = np.array([ORIGIN_WEIGHTS[c] for c in CHANNELS], dtype=float)
    channel = weighted_index(rng, w, n)
    day = weighted_index(rng, mk.day_weight, n)
    time_us = business_time(rng, day + (ctx.start_us + 8 * US_PER_HOUR) // US_PER_DAY)
    keyword = np.full(n, -1)
    promo = np.full(n, -1)
    exhibition = np.full(n, -1)
    crm_campaign = np.full(n, -1)
    n_days = ctx.n_days
    # SEM: a (keyword, day) cell in proportion to keyword weight x day volume.
    sem = np.flatnonzero(channel == CH["sem"])
    cells = (mk.kw_weight[:, None] * mk.day_weight[None, :] * mk.kw_active).ravel()
    cell = weighted_index(rng, cells, len(sem))
    keyword[sem], day[sem] = cell // n_days, cell % n_days
    crm_campaign[sem] = mk.bd_campaign_crm[mk.kw_campaign[keyword[sem]]]
    # Douyin: a live promotion.
    dy = np.flatnonzero(channel == CH["douyin"])
    days = np.arange(n_days)
    live = (days[None, :] >= mk.dy_start[:, None]) & (days[None, :] <= mk.dy_end[:, None])
    cell = weighted_index(
        rng, (mk.dy_weight[:, None] * mk.day_weight[None, :] * live).ravel(), len(dy)
    )
    promo[dy], day[dy] = cell // n_days, cell % n_days
    crm_campaign[dy] = mk.dy_crm[promo[dy]]
    # Exhibitions: a show, a day of the show.
    ex = np.flatnonzero(channel == CH["exhibition"])
    if len(mk.ex_id) == 0:
        channel[ex] = CH["website"]
        ex = ex[:0]
    e = weighted_index(rng, mk.ex_size, len(ex))
    exhibition[ex] = e
    day[ex] = mk.ex_start[e] + rng.integers(0, 10**6, len(ex)) % (mk.ex_end[e] - mk.ex_start[e] + 1)
    crm_campaign[ex] = mk.ex_crm[e]
    em = np.flatnonzero(channel == CH["email"])
    month = np.searchsorted(mk.em_month_start, day[em], side="right") - 1
    crm_campaign[em] = mk.em_crm[month]
    web = np.flatnonzero(channel == CH["website"])
    crm_campaign[web] = mk.web_content_crm
    first_day = (ctx.start_us + 8 * US_PER_HOUR) // US_PER_DAY
    time_us = business_time(rng, day + first_day)
    # Forms and lead ads arrive around the clock, not only in office hours.
    paid = np.flatnonzero((channel == CH["sem"]) | (channel == CH["douyin"]))
    time_us[paid] = (
        (day[paid] + first_day) * US_PER_DAY
        - 8 * US_PER_HOUR
        + rng.integers(6 * US_PER_HOUR, 24 * US_PER_HOUR, len(paid))
    )
    time_us = np.minimum(time_us, ctx.end_us - US_PER_MINUTE)
    defect = np.zeros(n, dtype=bool)
    for code in ("sem", "douyin", "exhibition"):
        rows = np.flatnonzero(channel == CH[code])
        k = max(1, round(0.003 * len(rows))) if len(rows) else 0
        defect[rng.choice(rows, k, replace=False)] = True
    return Origins(
        n=n,
        person=person,
        channel=channel,
        time_us=time_us,
        keyword=keyword,
        promo=promo,
        exhibition=exhibition,
        crm_campaign=crm_campaign,
        defect=defect,
        lead=np.full(n, -1),
    )


@dataclass
class WechatAdds:
    """Every (person, rep) WeChat Work relation, at its first add."""

    person: np.ndarray
    rep: np.ndarray
    time_us: np.ndarray
    kind: np.ndarray  # 0 first contact via WeChat, 1 QR scan at a booth, 2 added by the owner
    origin: np.ndarray  # origin index for kinds 0 and 1, else -1


def collect_wechat_adds(
    rng: np.random.Generator,
    ctx: Ctx,
    origins: Origins,
    reps: Reps,
    rows: np.ndarray,
    owner: np.ndarray,
    person: np.ndarray,
    add_us: np.ndarray,
) -> tuple[WechatAdds, np.ndarray]:
    """Collect WeChat adds; an owner's add counts only if the relation is new."""
    ch = origins.channel
    owner_of_origin = np.full(origins.n, -1)
    owner_of_origin[rows] = owner
    reps_idx = reps.rep_index
    wo = np.flatnonzero(ch == CH["wechat"])
    wo_rep = np.where(
        owner_of_origin[wo] >= 0,
        owner_of_origin[wo],
        reps_idx[rng.integers(0, len(reps_idx), len(wo))],
    )
    booth = np.flatnonzero((ch == CH["exhibition"]) & (rng.random(origins.n) < 0.25))
    booth_rep = np.where(
        owner_of_origin[booth] >= 0,
        owner_of_origin[booth],
        reps_idx[rng.integers(0, len(reps_idx), len(booth))],
    )
    lp = np.flatnonzero(add_us >= 0)
    p = np.concatenate([origins.person[wo], origins.person[booth], person[lp]])
    r = np.concatenate([wo_rep, booth_rep, owner[lp]])
    t = np.concatenate(
        [
            origins.time_us[wo],
            origins.time_us[booth] + rng.integers(1, 30, len(booth)) * US_PER_MINUTE,
            add_us[lp],
        ]
    )
    kind = np.concatenate([np.zeros(len(wo)), np.ones(len(booth)), np.full(len(lp), 2)]).astype(int)
    origin = np.concatenate([wo, booth, np.full(len(lp), -1)])
    lead_of = np.concatenate([np.full(len(wo) + len(booth), -1), lp])
    order = np.lexsort((t, r, p))
    p, r, t, kind, origin, lead_of = (a[order] for a in (p, r, t, kind, origin, lead_of))
    first = np.r_[True, (p[1:] != p[:-1]) | (r[1:] != r[:-1])]
    new_add = add_us.copy()
    lost = lead_of[~first]
    new_add[lost[lost >= 0]] = -1
    keep = first & (t < ctx.end_us)
    adds = WechatAdds(
        person=p[keep], rep=r[keep], time_us=t[keep], kind=kind[keep], origin=origin[keep]
    )
    return adds, new_add
