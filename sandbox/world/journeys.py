"""Journeys: first contacts, CRM leads, touches per channel, true propensity and outcomes.

The causal story, all vectorised over leads:
1. every person makes a first contact in one channel (some make a second one later);
   most first contacts become CRM leads (exhibition scans and WeChat adds only partly);
2. a lead lives for a journey window; the owner responds (or never does) after a delay
   that depends on the rep and the channel; touches in the seven channels happen in the
   window with rates driven by the lead's engagement;
3. the true propensity is a logistic function of observable things only (firmographics,
   owner fit, touches, pricing views, response time) plus modest noise, and the outcome is
   drawn from it (Bernoulli); funnel stages use the same uniform draw so they nest.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sandbox.schema import CHANNELS
from sandbox.world import vocab
from sandbox.world.campaigns import Marketing
from sandbox.world.common import (
    US_PER_DAY,
    US_PER_HOUR,
    US_PER_MINUTE,
    Ctx,
    weighted_index,
)
from sandbox.world.firms import Accounts, Persons, Reps
from sandbox.world.origins import CH, Origins, WechatAdds, collect_wechat_adds

# True additive lift on conversion log-odds per touch (truth.channel_effects).
CHANNEL_EFFECTS = {
    "sales": 0.50,
    "exhibition": 0.40,
    "sem": 0.30,
    "wechat": 0.22,
    "website": 0.15,
    "douyin": 0.10,
    "email": 0.05,
}
TOUCH_DEFINITIONS = {
    "sem": "crm.marketing_events page_view of the lead whose campaign is a Baidu campaign",
    "douyin": "the Douyin clue that created the lead + page_view events from Douyin campaigns",
    "website": "download and webinar events of the lead + the website form_submit that created it",
    "exhibition": "distinct badge_id scans of the person: the scan that created the lead and "
    "scans during the lead's journey",
    "wechat": "WeChat Work contact adds (follow_info.createtime) by the owner in the journey "
    "+ crm.activities of type wechat on the lead",
    "email": "crm.marketing_events email_click of the lead",
    "sales": "crm.activities of type call, visit or meeting on the lead",
}
PRICING_EFFECT = 0.22  # per pricing_view, capped at 6
RESPONSE_EFFECT = -0.22  # per log1p(hours to first response)
IMPORT_SHARE = {
    "sem": 0.97,
    "douyin": 0.95,
    "website": 1.0,
    "exhibition": 0.72,
    "wechat": 0.45,
    "email": 1.0,
    "sales": 1.0,
}
RESPONSE_DELAY = {
    "sem": 0.6,
    "douyin": 0.8,
    "website": 1.0,
    "exhibition": 2.5,
    "wechat": 0.5,
    "email": 1.5,
    "sales": 0.05,
}
MEAN_PROPENSITY = 0.05


@dataclass
class Leads:
    """CRM leads with their journey, touches, propensity and outcome."""

    n: int
    origin: np.ndarray
    person: np.ndarray
    account: np.ndarray
    channel: np.ndarray
    created_us: np.ndarray
    owner: np.ndarray  # user index
    rep_fit: np.ndarray
    engagement: np.ndarray
    window_end_us: np.ndarray
    responded: np.ndarray
    first_response_us: np.ndarray  # valid where responded
    first_response_type: np.ndarray  # activity type string of the first response
    counts: dict[str, np.ndarray]  # per-event/activity kind counts
    touches: np.ndarray  # (n, 7) per-channel touch counts in CHANNELS order
    extra_scans: tuple[np.ndarray, np.ndarray]  # (lead, exhibition) scans during the journey
    wechat_add_us: np.ndarray  # lead-phase WeChat add by the owner (or -1)
    wechat_adds: WechatAdds
    propensity: np.ndarray
    draw: np.ndarray  # the uniform draw the outcome was decided with
    is_mql: np.ndarray
    is_sql: np.ndarray
    has_opportunity: np.ndarray
    will_win: np.ndarray
    mql_us: np.ndarray
    sql_us: np.ndarray
    converted_us: np.ndarray
    disqualified: np.ndarray


def _assign_owners(
    rng: np.random.Generator, reps: Reps, region: np.ndarray, industry: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    rep_idx = reps.rep_index
    owner = np.empty(len(region), dtype=np.int64)
    for r in range(len(vocab.REGIONS)):
        for ind in range(len(vocab.INDUSTRY_CODES)):
            rows = np.flatnonzero((region == r) & (industry == ind))
            if not len(rows):
                continue
            in_region = reps.region[rep_idx] == r
            skilled = np.array([ind in reps.industries[u] for u in rep_idx])
            weight = np.where(in_region, 1.0, 0.04) * np.where(skilled, 2.5, 1.0)
            owner[rows] = rep_idx[weighted_index(rng, weight, len(rows))]
    skills = np.zeros((reps.n, len(vocab.INDUSTRY_CODES)), dtype=bool)
    for u in range(reps.n):
        skills[u, sorted(reps.industries[u])] = True
    return owner, skills[owner, industry]


def make_leads(
    ctx: Ctx, origins: Origins, persons: Persons, accounts: Accounts, reps: Reps, mk: Marketing
) -> Leads:
    """Import first contacts as CRM leads and play out each lead's journey."""
    rng = ctx.rng("leads")
    imp_share = np.array([IMPORT_SHARE[c] for c in CHANNELS])[origins.channel]
    imported = (rng.random(origins.n) < imp_share) & ~origins.defect
    created = origins.time_us.copy()
    ch = origins.channel
    lag = np.zeros(origins.n, dtype=np.int64)
    lag[ch == CH["sem"]] = rng.integers(1, 30, (ch == CH["sem"]).sum()) * US_PER_MINUTE
    lag[ch == CH["douyin"]] = rng.integers(5, 60, (ch == CH["douyin"]).sum()) * US_PER_MINUTE
    lag[ch == CH["website"]] = rng.integers(1, 5, (ch == CH["website"]).sum()) * 1_000_000
    lag[ch == CH["email"]] = rng.integers(1, 5, (ch == CH["email"]).sum()) * 1_000_000
    lag[ch == CH["wechat"]] = (rng.exponential(4, (ch == CH["wechat"]).sum()) * US_PER_DAY).astype(
        np.int64
    )
    created = created + lag
    exh = np.flatnonzero(ch == CH["exhibition"])
    if len(exh):  # imported in bulk a few days after the show ends
        end_day = mk.ex_end[origins.exhibition[exh]] + rng.integers(1, 10, len(exh))
        first_day = (ctx.start_us + 8 * US_PER_HOUR) // US_PER_DAY
        batch = rng.integers(0, 3, len(exh))  # a few import batches per show
        created[exh] = (
            (end_day + first_day) * US_PER_DAY
            - 8 * US_PER_HOUR
            + (10 + 3 * batch) * US_PER_HOUR
            + rng.integers(0, 600, len(exh)) * 10**6
        )
    imported &= created < ctx.end_us - US_PER_HOUR
    rows = np.flatnonzero(imported)
    rows = rows[np.argsort(created[rows], kind="stable")]
    n = len(rows)
    origins.lead[rows] = np.arange(n)
    person = origins.person[rows]
    account = persons.account[person]
    channel = ch[rows]
    created = created[rows]
    industry = accounts.industry[account]
    owner, rep_fit = _assign_owners(rng, reps, accounts.region[account], industry)
    end = ctx.end_us
    eng = rng.lognormal(0, 0.55, n)
    window = np.clip(rng.lognormal(np.log(35), 0.7, n), 2, 240) * US_PER_DAY
    # The rep responds (or never does) after a rep- and channel-specific delay.
    resp_p = reps.response_prob[owner] * np.where(channel == CH["sales"], 1 / 0.8, 1.0)
    responded = rng.random(n) < np.minimum(resp_p, 1.0)
    delay_h = (
        reps.response_hours[owner]
        * np.array([RESPONSE_DELAY[c] for c in CHANNELS])[channel]
        * rng.lognormal(0, 1.0, n)
    )
    delay_h = np.where(channel == CH["sales"], rng.uniform(0.1, 2.0, n), delay_h)
    first_resp = created + (delay_h * US_PER_HOUR).astype(np.int64)
    responded &= first_resp < end - US_PER_HOUR
    window = np.where(responded, np.maximum(window, delay_h * US_PER_HOUR + US_PER_DAY), window)
    window_end = np.minimum(created + window.astype(np.int64), end - US_PER_MINUTE)
    span_days = (window_end - created) / US_PER_DAY
    f = np.sqrt(np.maximum(span_days, 0.5) / 35.0) * eng
    counts: dict[str, np.ndarray] = {}
    counts["sem_extra"] = rng.poisson(0.35 * f)
    counts["douyin_extra"] = rng.poisson(0.15 * f)
    counts["download"] = rng.poisson(0.45 * f)
    counts["webinar"] = rng.poisson(0.12 * f)
    counts["pricing_view"] = rng.poisson(0.7 * f)
    counts["page_view"] = np.floor(
        rng.lognormal(1.55, 1.05, n) * np.sqrt(np.maximum(span_days, 1) / 35)
    ).astype(np.int64)
    counts["anon_page_view"] = rng.poisson(1.8, n)
    counts["email_sent"] = rng.poisson(span_days / 9 + 0.5)
    counts["email_open"] = rng.binomial(counts["email_sent"], np.clip(0.22 * eng, 0.02, 0.9))
    counts["email_click"] = rng.binomial(counts["email_open"], 0.3) + (channel == CH["email"])
    counts["email_open"] += channel == CH["email"]
    counts["email_sent"] += channel == CH["email"]
    # WeChat: a link to the lead (origin, or the owner adds the contact after responding).
    wechat_link = (channel == CH["wechat"]) | (responded & (rng.random(n) < 0.40))
    add_us = np.where(
        wechat_link & (channel != CH["wechat"]),
        np.minimum(
            first_resp + (rng.uniform(0.01, 2.0, n) * US_PER_DAY).astype(np.int64),
            window_end - US_PER_MINUTE,
        ),
        -1,
    )
    adds, add_us = collect_wechat_adds(rng, ctx, origins, reps, rows, owner, person, add_us)
    counts["chat"] = np.where(
        wechat_link & responded, rng.poisson(1.8 * eng * reps.diligence[owner]), 0
    )
    first_type = np.where(rng.random(n) < 0.7, "call", "email").astype(object)
    first_type[channel == CH["wechat"]] = np.where(
        rng.random((channel == CH["wechat"]).sum()) < 0.8, "wechat", "call"
    )
    first_type[channel == CH["sales"]] = "call"
    first_type[~responded] = ""
    counts["sales_act"] = np.where(
        responded, rng.poisson(1.0 * np.sqrt(f) * reps.diligence[owner]), 0
    )
    counts["rep_email"] = np.where(responded, rng.poisson(0.5, n), 0)
    # Exhibition scans during the journey.
    sl, se = [], []
    for e in range(len(mk.ex_id)):
        start_us = ctx.start_us + int(mk.ex_start[e]) * US_PER_DAY
        inside = (created < start_us) & (window_end > start_us + US_PER_DAY)
        inside &= origins.exhibition[rows] != e
        hit = np.flatnonzero(inside & (rng.random(n) < np.clip(0.09 * eng, 0, 0.5)))
        sl.append(hit)
        se.append(np.full(len(hit), e))
    scan_lead = np.concatenate(sl) if sl else np.zeros(0, dtype=np.int64)
    scan_ex = np.concatenate(se) if se else np.zeros(0, dtype=np.int64)

    touches = np.zeros((n, len(CHANNELS)), dtype=np.int64)
    touches[:, CH["sem"]] = (channel == CH["sem"]) + counts["sem_extra"]
    touches[:, CH["douyin"]] = (channel == CH["douyin"]) + counts["douyin_extra"]
    touches[:, CH["website"]] = (channel == CH["website"]) + counts["download"] + counts["webinar"]
    touches[:, CH["exhibition"]] = (channel == CH["exhibition"]) + np.bincount(
        scan_lead, minlength=n
    )
    touches[:, CH["wechat"]] = (
        (channel == CH["wechat"]) + (add_us >= 0) + counts["chat"] + (first_type == "wechat")
    )
    touches[:, CH["email"]] = counts["email_click"]
    touches[:, CH["sales"]] = counts["sales_act"] + (first_type == "call")

    # ---- True propensity: observable drivers only, plus modest noise.
    fit = np.array([vocab.INDUSTRIES[c][4] for c in vocab.INDUSTRY_CODES])[
        accounts.industry[account]
    ]
    size = np.clip(np.log10(accounts.employees[account]) - 2.4, -1.4, 1.6)
    resp_hours = np.where(responded, (first_resp - created) / US_PER_HOUR, 0.0)
    effects = np.array([CHANNEL_EFFECTS[c] for c in CHANNELS])
    x = (
        fit
        + 0.35 * size
        + 0.30 * accounts.has_erp[account]
        - 0.25 * accounts.excel_only[account]
        + 0.30 * rep_fit
        + touches @ effects
        + PRICING_EFFECT * np.minimum(counts["pricing_view"], 6)
        + RESPONSE_EFFECT * np.log1p(resp_hours)
        + rng.normal(0, 0.3, n)
    )
    b0 = _calibrate(x, responded, MEAN_PROPENSITY)
    propensity = np.where(responded, 1 / (1 + np.exp(-(x + b0))), 0.0)
    # ---- Outcome: one uniform draw decides every stage, so the funnel nests.
    u = rng.random(n)
    will_win = u < propensity
    has_opp = u < np.where(responded, np.minimum(1, 1.9 * propensity + 0.004), 0)
    is_sql = u < np.where(responded, np.minimum(1, 2.6 * propensity + 0.012), 0)
    is_mql = u < np.minimum(1, 5 * propensity + 0.06)
    span = window_end - created
    mql_us = created + (span * rng.uniform(0.05, 0.45, n)).astype(np.int64)
    base = np.maximum(mql_us, np.where(responded, first_resp, created))
    sql_us = base + ((window_end - base) * rng.uniform(0.2, 0.7, n)).astype(np.int64)
    converted_us = window_end
    disq = (~is_mql & responded & (rng.random(n) < 0.45)) | (
        ~is_mql & ~responded & (rng.random(n) < 0.15)
    )
    disq |= is_mql & ~is_sql & (rng.random(n) < 0.25)
    return Leads(
        n=n,
        origin=rows,
        person=person,
        account=account,
        channel=channel,
        created_us=created,
        owner=owner,
        rep_fit=rep_fit,
        engagement=eng,
        window_end_us=window_end,
        responded=responded,
        first_response_us=first_resp,
        first_response_type=first_type,
        counts=counts,
        touches=touches,
        extra_scans=(scan_lead, scan_ex),
        wechat_add_us=add_us,
        propensity=propensity,
        draw=u,
        is_mql=is_mql,
        is_sql=is_sql,
        has_opportunity=has_opp,
        will_win=will_win,
        mql_us=mql_us,
        sql_us=sql_us,
        converted_us=converted_us,
        disqualified=disq & ~is_sql,
        wechat_adds=adds,
    )


def _calibrate(x: np.ndarray, responded: np.ndarray, target: float) -> float:
    """Intercept so that the mean propensity over all leads equals ``target`` (bisection)."""
    lo, hi = -20.0, 10.0
    for _ in range(60):
        mid = (lo + hi) / 2
        mean = np.mean(np.where(responded, 1 / (1 + np.exp(-(x + mid))), 0.0))
        lo, hi = (mid, hi) if mean < target else (lo, mid)
    return (lo + hi) / 2
