"""Trade shows and their badge scans (rows only; sandbox.files writes the files)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sandbox.schema import EXHIBITION_TABLES
from sandbox.world import vocab
from sandbox.world.campaigns import Marketing
from sandbox.world.common import (
    US_PER_DAY,
    US_PER_HOUR,
    US_PER_MINUTE,
    Ctx,
    date_array,
    ids,
    join,
    money_array,
    null_where,
    pick,
    table,
    ts_array,
    weighted_index,
)
from sandbox.world.firms import Accounts, Persons
from sandbox.world.journeys import Leads
from sandbox.world.origins import CH, Origins
from sandbox.world.render import Rendered, render

_RATINGS = (("C", "B", "A"), ("冷", "温", "热"), ("1", "2", "3", "4", "5"))
_BAD_PHONES = ("见名片", "138****8000", "0", "1380013", "电话")


@dataclass
class ExhibitionOut:
    """Tables, the badge of each exhibition first contact, identities and defects."""

    tables: dict[str, pa.Table]
    origin_badge: tuple[np.ndarray, pa.Array]  # (origin rows, badge ids)
    identity: tuple[pa.Array, np.ndarray]  # (badge ids, person index), one per badge
    defects: list[tuple[str, str, pa.Array, str]]


def make_exhibition(
    ctx: Ctx,
    mk: Marketing,
    origins: Origins,
    leads: Leads,
    persons: Persons,
    accounts: Accounts,
    rendered: Rendered,
) -> ExhibitionOut:
    """Build exhibitions and badge scans: first contacts, scans during journeys, duplicates."""
    rng = ctx.rng("exhibition")
    first_day = (ctx.start_us + 8 * US_PER_HOUR) // US_PER_DAY
    n_ex = len(mk.ex_id)
    ex_table = table(
        EXHIBITION_TABLES["exhibitions"],
        {
            "exhibition_id": pa.array(mk.ex_id, pa.string()),
            "name": pa.array(mk.ex_name, pa.string()),
            "city": pa.array(mk.ex_city, pa.string()),
            "booth": pa.array(mk.ex_booth, pa.string()),
            "start_date": date_array(mk.ex_start + first_day),
            "end_date": date_array(mk.ex_end + first_day),
            "cost": money_array(mk.ex_cost_cents),
            "currency": pa.array(["CNY"] * n_ex, pa.string()),
            "file_format": pa.array(mk.ex_format, pa.string()),
            "header_variant": pa.array(mk.ex_header, pa.int32()),
        },
    )
    mk.crm_cost_cents[mk.ex_crm] = mk.ex_cost_cents
    # A: first contacts at a booth; B: scans of leads during their journey.
    a_rows = np.flatnonzero(origins.channel == CH["exhibition"])
    b_lead, b_ex = leads.extra_scans
    b_person = leads.person[b_lead]
    b_day = mk.ex_start[b_ex] + rng.integers(0, 10**6, len(b_ex)) % (
        mk.ex_end[b_ex] - mk.ex_start[b_ex] + 1
    )
    b_time = (
        (b_day + first_day) * US_PER_DAY
        - 8 * US_PER_HOUR
        + rng.integers(int(9.5 * US_PER_HOUR), 17 * US_PER_HOUR, len(b_ex))
    )
    b_rend = render(rng, persons, accounts, b_person, "scan")
    a_idx = pa.array(a_rows)
    person = np.concatenate([origins.person[a_rows], b_person])
    ex = np.concatenate([origins.exhibition[a_rows], b_ex])
    time_us = np.concatenate([origins.time_us[a_rows], b_time])
    eng_lead = np.concatenate([origins.lead[a_rows], b_lead])
    defect = np.concatenate([origins.defect[a_rows], np.zeros(len(b_ex), dtype=bool)])
    name = pa.concat_arrays([rendered.name.take(a_idx), b_rend.name])
    mobile = pa.concat_arrays([rendered.mobile.take(a_idx), b_rend.mobile])
    email = pa.concat_arrays([rendered.email.take(a_idx), b_rend.email])
    company = pa.concat_arrays([rendered.company.take(a_idx), b_rend.company])
    n_badge = len(person)
    badge_no = (np.arange(n_badge) * 7919) % 900_000 + 100_000
    badge = join(pick(mk.ex_code, ex), "-", pc.cast(pa.array(badge_no), pa.string()))
    # Defects: half unparseable phone without email, half an impossible scan time.
    d_idx = np.flatnonzero(defect)
    bad_phone, bad_time = d_idx[::2], d_idx[1::2]
    phone_mask = np.zeros(n_badge, dtype=bool)
    phone_mask[bad_phone] = True
    mobile = pc.if_else(
        pa.array(phone_mask), pick(_BAD_PHONES, rng.integers(0, len(_BAD_PHONES), n_badge)), mobile
    )
    email = null_where(email, phone_mask)
    time_us = time_us.copy()
    time_us[bad_time] = np.where(
        rng.random(len(bad_time)) < 0.5,
        946_684_800 * 10**6 + rng.integers(0, 10**10, len(bad_time)),
        ctx.end_us + rng.integers(400, 900, len(bad_time)) * US_PER_DAY,
    )
    # Rating from engagement where the visitor is a lead, else random.
    eng = np.where(
        eng_lead >= 0, leads.engagement[np.maximum(eng_lead, 0)], rng.lognormal(0, 0.55, n_badge)
    )
    quant = np.clip(np.log(eng) / 0.55 * 0.6 + 0.5, 0, 0.999)
    # Duplicate scans of the same badge.
    dup = rng.random(n_badge) < 0.08
    repeat = np.where(dup, rng.integers(2, 4, n_badge), 1)
    src = np.repeat(np.arange(n_badge), repeat)
    extra = np.r_[False, src[1:] == src[:-1]]
    # Repeat scans come 1-89 minutes after the badge's previous scan: offsets accumulate
    # within a badge so that two repeats never share a scan time (they are distinct scans).
    step = np.where(extra, rng.integers(1, 90, len(src)), 0)
    elapsed = np.cumsum(step)
    badge_start = np.cumsum(~extra) - 1
    offset_minutes = elapsed - elapsed[np.flatnonzero(~extra)][badge_start]
    scan_time = time_us[src] + offset_minutes * US_PER_MINUTE
    order = np.argsort(scan_time, kind="stable")
    src, scan_time, extra = src[order], scan_time[order], extra[order]
    n = len(src)
    header = mk.ex_header[ex[src]]
    q = np.clip(quant[src] + np.where(extra, rng.normal(0, 0.15, n), 0), 0, 0.999)
    rating_text = []
    for style in range(3):
        levels = _RATINGS[style]
        rating_text.append(pick(levels, (q * len(levels)).astype(int)))
    rating = pc.choose(pa.array(header), *rating_text)
    s = pa.array(src)
    scan_id = ids("SC", np.arange(1, n + 1), 8)
    scans = table(
        EXHIBITION_TABLES["badge_scans"],
        {
            "scan_id": scan_id,
            "exhibition_id": pick(mk.ex_id, ex[src]),
            "badge_id": badge.take(s),
            "name": name.take(s),
            "mobile": mobile.take(s),
            "email": email.take(s),
            "company": company.take(s),
            "title": persons.title.take(pa.array(person[src])),
            "department": null_where(
                persons.department.take(pa.array(person[src])), rng.random(n) < 0.3
            ),
            "scanned_at": ts_array(scan_time),
            "source": pick(
                ["扫码", "名片", "手工录入"], weighted_index(rng, np.array([85, 10, 5.0]), n)
            ),
            "rating": rating,
            "notes": pick(vocab.SCAN_NOTES, rng.integers(0, len(vocab.SCAN_NOTES), n)),
        },
    )
    first_scan = ~extra
    defects = []
    src_phone = np.isin(src, bad_phone) & first_scan
    src_time = np.isin(src, bad_time)
    if src_phone.any():
        defects.append(
            (
                "exhibition",
                "badge_scans",
                scan_id.filter(pa.array(np.isin(src, bad_phone))),
                "unparseable mobile and no email",
            )
        )
    if src_time.any():
        defects.append(
            (
                "exhibition",
                "badge_scans",
                scan_id.filter(pa.array(src_time)),
                "impossible scanned_at",
            )
        )
    return ExhibitionOut(
        tables={"exhibitions": ex_table, "badge_scans": scans},
        origin_badge=(a_rows, badge.slice(0, len(a_rows))),
        identity=(badge, person),
        defects=defects,
    )
