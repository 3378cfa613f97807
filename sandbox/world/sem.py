"""Search and lead ads: Baidu keyword report and leads, Douyin promotion report and clues."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sandbox.schema import SEM_TABLES
from sandbox.world import vocab
from sandbox.world.campaigns import BAIDU_USER, Marketing
from sandbox.world.common import (
    ALNUM,
    US_PER_DAY,
    Ctx,
    choose,
    date_array,
    join,
    money_array,
    null_where,
    pick,
    table,
    tokens,
    ts_array,
    weighted_index,
)
from sandbox.world.firms import Accounts, Persons
from sandbox.world.journeys import Leads
from sandbox.world.origins import CH, Origins
from sandbox.world.render import Rendered

_BAD_PHONES = ("1380013", "暂无", "1.38E+10", "138001380001234", "null", "13８00１3", "电话见备注")
_SIZE_BUCKETS = (
    (50, "50人以下"),
    (200, "50-199人"),
    (500, "200-499人"),
    (2000, "500-1999人"),
    (10**9, "2000人以上"),
)


@dataclass
class SemOut:
    """Tables and ids produced here."""

    tables: dict[str, pa.Table]
    origin_ext_id: dict[int, tuple[np.ndarray, pa.Array]]  # channel -> (origin rows, clue ids)
    origin_click_id: dict[int, tuple[np.ndarray, pa.Array]]
    defects: list[tuple[str, str, pa.Array, str]]  # (system, table, ids, defect)


def _bad_phone(rng: np.random.Generator, n: int) -> pa.Array:
    return pick(_BAD_PHONES, rng.integers(0, len(_BAD_PHONES), n))


def _size_label(employees: np.ndarray) -> pa.Array:
    bounds = np.array([b for b, _ in _SIZE_BUCKETS])
    return pick([label for _, label in _SIZE_BUCKETS], np.searchsorted(bounds, employees, "right"))


def _json_field(name: str, kind: str, value: pa.Array) -> pa.Array:
    return join('{"name": "', name, '", "type": "', kind, '", "value": "', value, '"}')


def make_sem(
    ctx: Ctx,
    mk: Marketing,
    origins: Origins,
    leads: Leads,
    persons: Persons,
    accounts: Accounts,
    rendered: Rendered,
) -> SemOut:
    """Build the four SEM tables; ``rendered`` holds every origin's strings."""
    rng = ctx.rng("sem")
    out = SemOut(tables={}, origin_ext_id={}, origin_click_id={}, defects=[])
    first_day = (ctx.start_us + 8 * 3_600_000_000) // US_PER_DAY
    # ---------------- Baidu leads (one per SEM first contact)
    rows = np.flatnonzero(origins.channel == CH["sem"])
    rows = rows[np.argsort(origins.time_us[rows], kind="stable")]
    n = len(rows)
    idx = pa.array(rows)
    clue = pc.cast(
        pa.array(7_000_000_000_000_000 + np.arange(n) * 1000 + rng.integers(0, 999, n)), pa.string()
    )
    bd_vid = tokens(rng, n, 22, ALNUM)
    out.origin_ext_id[CH["sem"]] = (rows, clue)
    out.origin_click_id[CH["sem"]] = (rows, bd_vid)
    kw = origins.keyword[rows]
    camp = mk.kw_campaign[kw]
    account = persons.account[origins.person[rows]]
    defect = origins.defect[rows]
    phone = pc.if_else(pa.array(defect), _bad_phone(rng, n), rendered.mobile.take(idx))
    email = rendered.email.take(idx)
    inds = accounts.industry[account]
    labels = pick([vocab.INDUSTRIES[c][3] for c in vocab.INDUSTRY_CODES], inds)
    base = join(
        "[",
        _json_field("姓名", "name", rendered.name.take(idx)),
        ", ",
        _json_field("电话", "phone", phone),
        ", ",
        _json_field("公司名称", "text", rendered.company.take(idx)),
    )
    tail = join(
        ", ",
        _json_field("所属行业", "select", labels),
        ", ",
        _json_field("公司规模", "select", _size_label(accounts.employees[account])),
        "]",
    )
    with_email = join(base, ", ", _json_field("邮箱", "email", email.fill_null("")), tail)
    form = pc.if_else(pc.is_valid(email), with_email, join(base, tail))
    kw_text = pick(mk.kw_text, kw)
    province = pick([c[1] for c in vocab.CITIES], accounts.city[account])
    city = pick([c[0] + "市" for c in vocab.CITIES], accounts.city[account])
    area = pc.if_else(pc.equal(province, city), province, join(province, city))
    landing = pick(
        ["/lp/mes", "/lp/aps", "/lp/qms", "/lp/eam", "/lp/iiot", "/lp/demo"], rng.integers(0, 6, n)
    )
    out.tables["baidu_leads"] = table(
        SEM_TABLES["baidu_leads"],
        {
            "clue_id": clue,
            "clue_phone_number": phone,
            "commit_time": ts_array(origins.time_us[rows]),
            "flow_channel_name": pick(
                ["百度搜索", "百度移动搜索", "百度信息流"],
                weighted_index(rng, np.array([5, 4, 1.0]), n),
            ),
            "area": area,
            "form_detail": form,
            "campaign_id": mk.bd_campaign_id[camp],
            "campaign_name": pick(mk.bd_campaign_name, camp),
            "adgroup_id": mk.kw_adgroup_id[kw],
            "adgroup_name": pick(mk.kw_adgroup_name, kw),
            "keyword_id": mk.kw_id[kw],
            "keyword": kw_text,
            "search_word": join(kw_text, pick(vocab.SEARCH_SUFFIXES, rng.integers(0, 8, n))),
            "url": join(vocab.SITE, landing, "?bd_vid=", bd_vid),
            "bd_vid": bd_vid,
            "solution_type": pick(
                ["form", "phone", "consult"], weighted_index(rng, np.array([85, 8, 7.0]), n)
            ),
        },
    )
    if defect.any():
        out.defects.append(
            ("sem", "baidu_leads", clue.filter(pa.array(defect)), "unparseable clue_phone_number")
        )
    # Keyword report: clicks per (keyword, day) cover the leads of that cell.
    n_kw, n_days = mk.kw_active.shape
    lead_cells = np.bincount(
        kw * n_days + (origins.time_us[rows] + 8 * 3_600_000_000) // US_PER_DAY - first_day,
        minlength=n_kw * n_days,
    ).reshape(n_kw, n_days)
    expected = mk.kw_weight[:, None] * mk.day_weight[None, :] * mk.kw_active
    expected *= max(n, 1) / 0.045 / expected.sum()
    clicks = rng.poisson(expected) + lead_cells
    impressions = clicks + rng.poisson(clicks / mk.kw_ctr[:, None] + expected * 2)
    cpc = mk.kw_cpc[:, None] * rng.lognormal(0, 0.12, clicks.shape)
    cost = np.round(clicks * cpc * 100).astype(np.int64)
    k_i, d_i = np.nonzero(impressions > 0)
    order = np.lexsort((k_i, d_i))
    k_i, d_i = k_i[order], d_i[order]
    out.tables["baidu_keyword_daily"] = table(
        SEM_TABLES["baidu_keyword_daily"],
        {
            "date": date_array(d_i + first_day),
            "user_name": pa.array([BAIDU_USER] * len(k_i)),
            "campaign_id": mk.bd_campaign_id[mk.kw_campaign[k_i]],
            "campaign_name": pick(mk.bd_campaign_name, mk.kw_campaign[k_i]),
            "adgroup_id": mk.kw_adgroup_id[k_i],
            "adgroup_name": pick(mk.kw_adgroup_name, k_i),
            "keyword_id": mk.kw_id[k_i],
            "keyword": pick(mk.kw_text, k_i),
            "impression": impressions[k_i, d_i],
            "click": clicks[k_i, d_i],
            "cost": money_array(cost[k_i, d_i]),
        },
    )
    per_campaign = np.bincount(
        mk.kw_campaign, weights=cost.sum(axis=1), minlength=len(mk.bd_campaign_id)
    )
    mk.crm_cost_cents[mk.bd_campaign_crm] = per_campaign.astype(np.int64)
    _douyin(ctx.n_days, rng, mk, origins, leads, persons, accounts, rendered, out, first_day)
    return out


def _douyin(
    n_days: int,
    rng: np.random.Generator,
    mk: Marketing,
    origins: Origins,
    leads: Leads,
    persons: Persons,
    accounts: Accounts,
    rendered: Rendered,
    out: SemOut,
    first_day: int,
) -> None:
    """Douyin clues (one per Douyin first contact) and the promotion report."""
    rows = np.flatnonzero(origins.channel == CH["douyin"])
    rows = rows[np.argsort(origins.time_us[rows], kind="stable")]
    n = len(rows)
    idx = pa.array(rows)
    clue = pc.cast(
        pa.array(7_400_000_000_000_000_000 + np.arange(n) * 10_007 + rng.integers(0, 9_999, n)),
        pa.string(),
    )
    out.origin_ext_id[CH["douyin"]] = (rows, clue)
    out.origin_click_id[CH["douyin"]] = (rows, join("__", tokens(rng, n, 26, ALNUM)))
    promo = origins.promo[rows]
    person = origins.person[rows]
    account = persons.account[person]
    defect = origins.defect[rows]
    phone = pc.if_else(pa.array(defect), _bad_phone(rng, n), rendered.mobile.take(idx))
    # Clue state as the advertiser's CRM sync leaves it.
    lead = origins.lead[rows]
    state = np.where(rng.random(n) < 0.3, 4, 1)
    has = lead >= 0
    lead_ok = np.where(has, lead, 0)
    state = np.where(has & leads.is_mql[lead_ok], 2, state)
    state = np.where(has & (leads.wechat_add_us[lead_ok] >= 0), 5, state)
    state = np.where(has & leads.has_opportunity[lead_ok], 3, state)
    state = np.where(has & leads.disqualified[lead_ok], 4, state)
    company = rendered.company.take(idx)
    title = persons.title.take(pa.array(person))
    remark = join('{"公司名称": "', company, '", "职位": "', title, '"}')
    mobile_plain = persons.mobile.take(pa.array(person))
    weixin = choose(
        [join("wxid_", tokens(rng, n, 14, ALNUM[26:])), mobile_plain], rng.integers(0, 2, n)
    )
    out.tables["douyin_clues"] = table(
        SEM_TABLES["douyin_clues"],
        {
            "clue_id": clue,
            "advertiser_id": mk.dy_advertiser_id[promo],
            "promotion_id": mk.dy_promotion_id[promo],
            "promotion_name": pick(mk.dy_name, promo),
            "clue_type": weighted_index(rng, np.array([80, 8, 7, 5.0]), n).astype(np.int32),
            "clue_source": pick(
                ["广告投放", "广告投放", "抖音号主页", "直播间"], rng.integers(0, 4, n)
            ),
            "create_time": ts_array(origins.time_us[rows]),
            "name": rendered.name.take(idx),
            "telephone": phone,
            "gender": pick(
                ["男", "女", ""], np.where(rng.random(n) < 0.2, 2, persons.gender[person] - 1)
            ),
            "email": null_where(rendered.email.take(idx), rng.random(n) < 0.6),
            "weixin": null_where(weixin, rng.random(n) < 0.8),
            "province_name": pick([c[1] for c in vocab.CITIES], accounts.city[account]),
            "city_name": pick([c[0] + "市" for c in vocab.CITIES], accounts.city[account]),
            "remark_dict_json": remark,
            "app_name": pick(["抖音", "今日头条"], (rng.random(n) < 0.25).astype(int)),
            "clue_state": state.astype(np.int32),
        },
    )
    if defect.any():
        out.defects.append(
            ("sem", "douyin_clues", clue.filter(pa.array(defect)), "unparseable telephone")
        )
    n_p = len(mk.dy_promotion_id)
    day = (origins.time_us[rows] + 8 * 3_600_000_000) // US_PER_DAY - first_day
    lead_cells = np.bincount(promo * n_days + day, minlength=n_p * n_days).reshape(n_p, n_days)
    days = np.arange(n_days)
    live = (days[None, :] >= mk.dy_start[:, None]) & (days[None, :] <= mk.dy_end[:, None])
    expected = mk.dy_weight[:, None] * mk.day_weight[None, :] * live
    expected *= max(n, 1) / 0.03 / max(expected.sum(), 1e-9)
    clicks = rng.poisson(expected) + lead_cells
    shows = clicks + rng.poisson(clicks / mk.dy_ctr[:, None] + expected)
    cost = np.round(clicks * mk.dy_cpc[:, None] * rng.lognormal(0, 0.15, clicks.shape) * 100)
    cost = cost.astype(np.int64)
    p_i, d_i = np.nonzero(live)
    order = np.lexsort((p_i, d_i))
    p_i, d_i = p_i[order], d_i[order]
    out.tables["douyin_promotion_daily"] = table(
        SEM_TABLES["douyin_promotion_daily"],
        {
            "stat_date": date_array(d_i + first_day),
            "advertiser_id": mk.dy_advertiser_id[p_i],
            "promotion_id": mk.dy_promotion_id[p_i],
            "promotion_name": pick(mk.dy_name, p_i),
            "show_cnt": shows[p_i, d_i],
            "click_cnt": clicks[p_i, d_i],
            "cost": money_array(cost[p_i, d_i]),
        },
    )
    mk.crm_cost_cents[mk.dy_crm] = cost.sum(axis=1)
