"""crm.marketing_events, the big table: written in chunks of leads to bound memory."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from sandbox.schema import CRM_TABLES
from sandbox.world import vocab
from sandbox.world.campaigns import Marketing
from sandbox.world.common import (
    ALNUM,
    US_PER_DAY,
    US_PER_MINUTE,
    US_PER_SECOND,
    Ctx,
    china_day,
    ids,
    join,
    pick,
    table,
    tokens,
    ts_array,
    weighted_index,
)
from sandbox.world.journeys import Leads
from sandbox.world.origins import CH

EVENT_TYPES = (
    "page_view",
    "pricing_view",
    "download",
    "webinar",
    "email_sent",
    "email_open",
    "email_click",
    "form_submit",
)
_E = {t: i for i, t in enumerate(EVENT_TYPES)}
LEADS_PER_CHUNK = 50_000


def write_events(
    ctx: Ctx,
    leads: Leads,
    mk: Marketing,
    campaign_ids: pa.Array,
    sem_url: pa.Array,
    lead_campaign: np.ndarray,
    path: Path,
) -> int:
    """Generate and write every marketing event; returns the row count.

    ``sem_url`` is the Baidu landing URL (with the lead's bd_vid) of SEM-created leads, null
    for the others.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".parquet.tmp")
    schema = CRM_TABLES["marketing_events"]
    total = 0
    with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
        for chunk, start in enumerate(range(0, max(leads.n, 1), LEADS_PER_CHUNK)):
            rows = np.arange(start, min(start + LEADS_PER_CHUNK, leads.n))
            rng = np.random.default_rng([ctx.seed, 7_001, chunk])
            tbl = _chunk(ctx, rng, leads, rows, mk, campaign_ids, sem_url, lead_campaign, total)
            writer.write_table(tbl, row_group_size=1_000_000)
            total += tbl.num_rows
    tmp.replace(path)
    return total


def _chunk(
    ctx: Ctx,
    rng: np.random.Generator,
    leads: Leads,
    rows: np.ndarray,
    mk: Marketing,
    campaign_ids: pa.Array,
    sem_url: pa.Array,
    lead_campaign: np.ndarray,
    id_offset: int,
) -> pa.Table:
    c = {k: v[rows] for k, v in leads.counts.items()}
    ch = leads.channel[rows]
    created = leads.created_us[rows]
    w_end = np.maximum(leads.window_end_us[rows], created + US_PER_MINUTE)
    is_email = (ch == CH["email"]).astype(np.int64)
    is_sem = ch == CH["sem"]
    parts: list[tuple[np.ndarray, int, np.ndarray, np.ndarray, int]] = []
    # (local lead row, event type, time, campaign crm index (-1), url kind)

    def in_window(
        count: np.ndarray,
        etype: str,
        campaign: int | np.ndarray,
        url_kind: int,
        lo: np.ndarray | None = None,
        hi: np.ndarray | None = None,
    ) -> None:
        r = np.repeat(np.arange(len(rows)), count)
        low = created[r] if lo is None else lo[r]
        high = w_end[r] if hi is None else hi[r]
        t = low + (rng.random(len(r)) * (high - low)).astype(np.int64)
        camp = np.full(len(r), campaign) if np.isscalar(campaign) else campaign(r, t)
        parts.append((r, _E[etype], t, camp, url_kind))

    def email_campaign(_r: np.ndarray, t: np.ndarray) -> np.ndarray:
        day = china_day(t) - china_day(np.array([ctx.start_us]))[0]
        month = np.clip(np.searchsorted(mk.em_month_start, day, side="right") - 1, 0, None)
        return mk.em_crm[month]

    def webinar_campaign(_r: np.ndarray, t: np.ndarray) -> np.ndarray:
        if len(mk.webinar_crm) == 0:
            return np.full(len(t), mk.web_content_crm)
        day = china_day(t) - china_day(np.array([ctx.start_us]))[0]
        k = np.clip(np.searchsorted(mk.webinar_day, day, side="right") - 1, 0, None)
        return mk.webinar_crm[k]

    sem_w = np.bincount(mk.kw_campaign, weights=mk.kw_weight, minlength=len(mk.bd_campaign_crm))

    def sem_campaign(r: np.ndarray, _t: np.ndarray) -> np.ndarray:
        return mk.bd_campaign_crm[weighted_index(rng, sem_w, len(r))]

    def douyin_campaign(r: np.ndarray, _t: np.ndarray) -> np.ndarray:
        return mk.dy_crm[weighted_index(rng, mk.dy_weight, len(r))]

    in_window(c["page_view"], "page_view", -1, 0)
    anon_lo = np.maximum(created - 30 * US_PER_DAY, ctx.start_us)
    in_window(
        c["anon_page_view"],
        "page_view",
        -1,
        9,
        lo=anon_lo,
        hi=np.maximum(created - US_PER_MINUTE, anon_lo),
    )
    in_window(c["pricing_view"], "pricing_view", -1, 1)
    in_window(c["download"], "download", mk.web_content_crm, 2)
    in_window(c["webinar"], "webinar", webinar_campaign, 3)
    # Nurture e-mail: each open follows one of the lead's sends, each click one of its opens.
    sent_r, sent_t = _follow(rng, c["email_sent"] - is_email, created, w_end)
    parts.append((sent_r, _E["email_sent"], sent_t, email_campaign(sent_r, sent_t), -1))
    open_r, open_t = _follow(
        rng, c["email_open"] - is_email, created, w_end, sent_r, sent_t, 6 * 3600 * US_PER_SECOND
    )
    parts.append((open_r, _E["email_open"], open_t, email_campaign(open_r, open_t), -1))
    click_r, click_t = _follow(
        rng, c["email_click"] - is_email, created, w_end, open_r, open_t, 10 * US_PER_MINUTE
    )
    parts.append((click_r, _E["email_click"], click_t, email_campaign(click_r, click_t), 4))
    in_window(c["sem_extra"], "page_view", sem_campaign, 5)
    in_window(c["douyin_extra"], "page_view", douyin_campaign, 6)
    # The first contact itself.
    em = np.flatnonzero(ch == CH["email"])
    origin_camp = np.full(len(rows), -1)
    origin_camp[em] = email_campaign(em, created[em])
    for etype, back in (
        ("email_sent", US_PER_DAY),
        ("email_open", 2 * 3600 * US_PER_SECOND),
        ("email_click", 2 * US_PER_MINUTE),
    ):
        parts.append(
            (
                em,
                _E[etype],
                created[em] - back,
                origin_camp[em],
                4 if etype == "email_click" else -1,
            )
        )
    web = np.flatnonzero(ch == CH["website"])
    forms = np.concatenate([web, em])
    form_camp = np.concatenate([np.full(len(web), mk.web_content_crm), origin_camp[em]])
    parts.append((forms, _E["form_submit"], created[forms] - 2 * US_PER_SECOND, form_camp, 7))
    sem = np.flatnonzero(is_sem)
    sem_camp = lead_campaign[rows[sem]]
    parts.append(
        (
            sem,
            _E["page_view"],
            created[sem] - rng.integers(2, 20, len(sem)) * US_PER_MINUTE - 30 * US_PER_MINUTE,
            sem_camp,
            8,
        )
    )
    r = np.concatenate([p[0] for p in parts])
    etype = np.concatenate([np.full(len(p[0]), p[1]) for p in parts])
    t = np.maximum(np.concatenate([p[2] for p in parts]), ctx.start_us)
    camp = np.concatenate([p[3] for p in parts]).astype(np.int64)
    url_kind = np.concatenate([np.full(len(p[0]), p[4]) for p in parts])
    order = np.lexsort((r, t))
    r, etype, t, camp, url_kind = r[order], etype[order], t[order], camp[order], url_kind[order]
    n = len(r)
    anon = join("ck_", tokens(rng, len(rows), 20, ALNUM)).take(pa.array(r))
    lead_global = rows[r]
    url = _urls(rng, url_kind, sem_url.take(pa.array(lead_global)))
    logged = t + rng.integers(0, 120, n) * US_PER_SECOND
    lead_ids = ids("L", lead_global + 1, 8)
    return table(
        CRM_TABLES["marketing_events"],
        {
            "id": ids("ME", np.arange(id_offset + 1, id_offset + n + 1), 10),
            "event_type": pick(EVENT_TYPES, etype),
            "lead_id": pc.if_else(pa.array(url_kind == 9), pa.scalar(None, pa.string()), lead_ids),
            "anonymous_id": anon,
            "campaign_id": campaign_ids.take(pa.array(np.maximum(camp, 0), mask=camp < 0)),
            "url": url,
            "occurred_at": ts_array(t),
            "created_at": ts_array(logged),
            "updated_at": ts_array(logged),
            "is_deleted": np.zeros(n, dtype=bool),
        },
    )


def _follow(
    rng: np.random.Generator,
    count: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    prev_r: np.ndarray | None = None,
    prev_t: np.ndarray | None = None,
    mean_delay: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Event times per lead: uniform in [lo, hi), or shortly after one of the lead's
    previous events (``prev_r`` grouped by lead, as np.repeat makes them)."""
    r = np.repeat(np.arange(len(count)), count)
    if prev_r is None:
        return r, lo[r] + (rng.random(len(r)) * (hi[r] - lo[r])).astype(np.int64)
    prev_count = np.bincount(prev_r, minlength=len(count))
    first = np.cumsum(prev_count) - prev_count
    k = first[r] + np.floor(rng.random(len(r)) * prev_count[r]).astype(np.int64)
    delay = rng.exponential(mean_delay, len(r)).astype(np.int64) + US_PER_SECOND
    return r, np.minimum(prev_t[k] + delay, np.maximum(hi[r], prev_t[k] + US_PER_SECOND))


def _urls(rng: np.random.Generator, url_kind: np.ndarray, sem_url: pa.Array) -> pa.Array:
    """URL per event, built only for the rows of each kind (memory stays proportional)."""
    n = len(url_kind)
    pieces, positions = [], []
    for kind in range(10):
        rows = np.flatnonzero(url_kind == kind)
        m = len(rows)
        if not m:
            continue
        pages = pick(vocab.WEB_PAGES, rng.integers(0, len(vocab.WEB_PAGES), m))
        if kind in (0, 9):
            arr = join(vocab.SITE, pages)
        elif kind == 1:
            arr = pa.array([vocab.SITE + "/pricing"] * m, pa.string())
        elif kind == 2:
            arr = join(vocab.SITE, pick(vocab.DOWNLOADS, rng.integers(0, len(vocab.DOWNLOADS), m)))
        elif kind == 3:
            arr = pa.array([vocab.SITE + "/webinar"] * m, pa.string())
        elif kind == 4:
            arr = join(vocab.SITE, pages, "?utm_source=edm&utm_medium=email")
        elif kind == 5:
            arr = join(vocab.SITE, "/lp/mes?bd_vid=", tokens(rng, m, 22, ALNUM))
        elif kind == 6:
            arr = join(vocab.SITE, "/lp/demo?clickid=", tokens(rng, m, 26, ALNUM))
        elif kind == 7:
            arr = pick([vocab.SITE + "/contact", vocab.SITE + "/demo"], rng.integers(0, 2, m))
        else:
            arr = sem_url.take(pa.array(rows))
        pieces.append(arr)
        positions.append(rows)
    none = np.flatnonzero(url_kind < 0)
    pieces.append(pa.nulls(len(none), pa.string()))
    positions.append(none)
    where = np.concatenate(positions)
    inverse = np.empty(n, dtype=np.int64)
    inverse[where] = np.arange(n)
    return pa.concat_arrays(pieces).take(pa.array(inverse))
