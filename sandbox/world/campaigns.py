"""Marketing structure: Baidu campaigns/keywords, Douyin promotions, exhibitions, email and
webinar campaigns, and the CRM campaign ids that stand for each of them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from sandbox.world import vocab
from sandbox.world.common import Ctx, date_to_day

BAIDU_USER = "yunzhisoft_bd01"
DOUYIN_ADVERTISERS = (1712345678901234, 1723456789012345)
_BAIDU_CAMPAIGNS = (
    ("品牌词", "brand"),
    ("MES-通用词", "mes"),
    ("APS-通用词", "aps"),
    ("QMS-通用词", "qms"),
    ("EAM-通用词", "eam"),
    ("IIoT-智能制造", "iiot"),
    ("SCADA-数据采集", "scada"),
    ("竞品词", "mes"),
    ("行业词-汽车电子", "mes"),
)


@dataclass
class Marketing:
    """All campaigns, with CRM campaign rows (``crm_*``) indexed 0..n_crm-1."""

    day_weight: np.ndarray  # relative lead volume per history day
    # Baidu: keyword-level arrays (campaign/adgroup ids repeated per keyword)
    kw_id: np.ndarray
    kw_text: list[str]
    kw_campaign: np.ndarray  # index into bd_campaign_*
    kw_adgroup_id: np.ndarray
    kw_adgroup_name: list[str]
    kw_weight: np.ndarray
    kw_cpc: np.ndarray  # CNY per click
    kw_ctr: np.ndarray
    kw_active: np.ndarray  # (n_kw, n_days) bool
    bd_campaign_id: np.ndarray
    bd_campaign_name: list[str]
    bd_campaign_crm: np.ndarray  # index into crm rows
    # Douyin promotions
    dy_promotion_id: np.ndarray
    dy_advertiser_id: np.ndarray
    dy_name: list[str]
    dy_start: np.ndarray  # history day index
    dy_end: np.ndarray
    dy_weight: np.ndarray
    dy_cpc: np.ndarray
    dy_ctr: np.ndarray
    dy_crm: np.ndarray
    # Exhibitions
    ex_id: list[str]
    ex_name: list[str]
    ex_code: list[str]
    ex_city: list[str]
    ex_booth: list[str]
    ex_start: np.ndarray  # history day index
    ex_end: np.ndarray
    ex_cost_cents: np.ndarray
    ex_format: list[str]
    ex_header: np.ndarray
    ex_size: np.ndarray  # relative number of visitors
    ex_crm: np.ndarray
    # Email (one per month) and webinars / content
    em_month_start: np.ndarray  # history day index of each month's first day
    em_crm: np.ndarray
    web_content_crm: int
    webinar_day: np.ndarray
    webinar_crm: np.ndarray
    # CRM campaign rows
    crm_name: list[str]
    crm_channel: list[str]
    crm_type: list[str]
    crm_start: np.ndarray  # history day index
    crm_end: np.ndarray
    crm_external: list[str | None]
    crm_cost_cents: np.ndarray  # filled once spend is known


def _day_weights(ctx: Ctx) -> np.ndarray:
    days = np.arange(ctx.n_days)
    dates = np.datetime64(ctx.start.isoformat()) + days
    weekday = (dates.astype("datetime64[D]").view("int64") - 4) % 7  # 0 = Monday
    weight = 1.0 + 0.6 * days / max(1, ctx.n_days)
    weight *= np.where(weekday >= 5, 0.35, 1.0)
    for holiday, length in (
        ("2025-01-28", 9),
        ("2025-10-01", 8),
        ("2026-02-16", 9),
        ("2026-10-01", 8),
    ):
        h = (dt.date.fromisoformat(holiday) - ctx.start).days
        weight[max(0, h) : max(0, h + length)] *= 0.25
    return weight


def make_marketing(ctx: Ctx) -> Marketing:
    """Build every campaign and its active dates."""
    rng = ctx.rng("marketing")
    n_days = ctx.n_days
    crm_name: list[str] = []
    crm_channel: list[str] = []
    crm_type: list[str] = []
    crm_start: list[int] = []
    crm_end: list[int] = []
    crm_external: list[str | None] = []

    def add_crm(name: str, channel: str, ctype: str, start: int, end: int, ext: str | None) -> int:
        crm_name.append(name)
        crm_channel.append(channel)
        crm_type.append(ctype)
        crm_start.append(start)
        crm_end.append(end)
        crm_external.append(ext)
        return len(crm_name) - 1

    # ---- Baidu search: campaigns -> ad groups -> keywords
    bd_ids = (
        60_000_000
        + np.arange(len(_BAIDU_CAMPAIGNS)) * 137
        + rng.integers(0, 100, len(_BAIDU_CAMPAIGNS))
    )
    deleted_campaign = len(_BAIDU_CAMPAIGNS) - 2  # 竞品词 stops part way (deleted)
    stop_day = int(n_days * 0.6)
    bd_crm = np.array(
        [
            add_crm(
                f"百度搜索-{name}",
                "sem",
                "search",
                0,
                stop_day if i == deleted_campaign else n_days - 1,
                str(bd_ids[i]),
            )
            for i, (name, _) in enumerate(_BAIDU_CAMPAIGNS)
        ]
    )
    n_kw = max(18, round(170 * ctx.scale**0.5))
    kw_campaign = np.arange(n_kw) % len(_BAIDU_CAMPAIGNS)
    kw_text: list[str] = []
    seen: set[str] = set()
    for c in kw_campaign:
        product = _BAIDU_CAMPAIGNS[c][1]
        for _ in range(200):
            if product == "brand":
                text = "云智" + rng.choice(
                    ["MES", "工业软件", "科技", "系统", "官网", "APS", "IIoT"]
                )
                text += rng.choice(["", "价格", "怎么样", "电话", "案例"])
            else:
                stem = rng.choice(vocab.KEYWORD_STEMS[product])
                city = rng.choice([c_[0] for c_ in vocab.CITIES]) if rng.random() < 0.3 else ""
                text = city + stem + rng.choice(vocab.KEYWORD_MODIFIERS)
            if text not in seen:
                break
        else:
            text = f"{text}{len(seen)}"
        seen.add(text)
        kw_text.append(text)
    n_adgroups = 3
    kw_group = rng.integers(0, n_adgroups, n_kw)
    kw_adgroup_id = bd_ids[kw_campaign].astype(np.int64) * 100 + kw_group
    kw_adgroup_name = [
        f"{_BAIDU_CAMPAIGNS[c][0]}-{['核心词', '长尾词', '地域词'][g]}"
        for c, g in zip(kw_campaign, kw_group, strict=True)
    ]
    kw_active = np.ones((n_kw, n_days), dtype=bool)
    kw_active[kw_campaign == deleted_campaign, stop_day + 1 :] = False
    # ---- Douyin promotions: a few per quarter, each live for 1-3 months
    n_promo = max(6, round(26 * ctx.scale**0.25))
    dy_start = np.sort(rng.integers(0, max(1, n_days - 20), n_promo))
    dy_end = np.minimum(dy_start + rng.integers(30, 95, n_promo), n_days - 1)
    dy_ids = (
        7_300_000_000_000_000_000
        + np.arange(n_promo, dtype=np.int64) * 1_000_003
        + rng.integers(0, 999, n_promo)
    )
    dy_adv = np.array(DOUYIN_ADVERTISERS)[rng.integers(0, 2, n_promo)]
    dy_name = []
    for i in range(n_promo):
        d = ctx.start + dt.timedelta(days=int(dy_start[i]))
        prod = rng.choice(["MES", "APS", "QMS", "IIoT", "数字工厂"])
        dy_name.append(f"{prod}获客-表单-{d.year}Q{(d.month - 1) // 3 + 1}-{i + 1:02d}")
    dy_crm = np.array(
        [
            add_crm(
                f"抖音-{dy_name[i]}",
                "douyin",
                "lead_ad",
                int(dy_start[i]),
                int(dy_end[i]),
                str(dy_ids[i]),
            )
            for i in range(n_promo)
        ]
    )
    # ---- Exhibitions: 8 a year
    ex: dict[str, list] = {
        k: []
        for k in (
            "id",
            "name",
            "code",
            "city",
            "booth",
            "start",
            "end",
            "cost",
            "format",
            "header",
            "size",
            "crm",
        )
    }
    months = (3, 4, 5, 6, 8, 9, 10, 11)
    for year in range(ctx.start.year, ctx.as_of.year + 1):
        names = rng.permutation(len(vocab.EXHIBITION_NAMES))[: len(months)]
        for k, month in enumerate(months):
            start = dt.date(year, month, int(rng.integers(5, 24)))
            length = int(rng.integers(2, 5))
            if start < ctx.start or start + dt.timedelta(days=length - 1) > ctx.as_of:
                continue
            name, city, code = vocab.EXHIBITION_NAMES[names[k]]
            ex_id = f"EXH{year}{month:02d}{code}"
            s, e = (start - ctx.start).days, (start - ctx.start).days + length - 1
            ex["id"].append(ex_id)
            ex["name"].append(f"{year}{name}")
            ex["code"].append(f"{code}{year % 100:02d}")
            ex["city"].append(city)
            ex["booth"].append(
                f"{'ABCDEFGH'[int(rng.integers(0, 8))]}{int(rng.integers(1, 9))}-"
                f"{int(rng.integers(100, 999))}"
            )
            ex["start"].append(s)
            ex["end"].append(e)
            ex["cost"].append(int(rng.integers(80, 600)) * 1000_00)
            ex["format"].append(("csv_utf8_bom", "csv_gbk", "xlsx")[len(ex["id"]) % 3])
            ex["header"].append(int(rng.integers(0, 3)))
            ex["size"].append(float(rng.lognormal(0, 0.4)))
            ex["crm"].append(add_crm(f"展会-{year}{name}", "exhibition", "exhibition", s, e, ex_id))
    # ---- Email: one nurture/newsletter campaign per month; webinars every other month
    month_starts = []
    d = ctx.start
    while d <= ctx.as_of:
        month_starts.append((d - ctx.start).days)
        d = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    em_month_start = np.array(month_starts)
    em_crm = []
    for i, s in enumerate(month_starts):
        md = ctx.start + dt.timedelta(days=s)
        e = (month_starts[i + 1] - 1) if i + 1 < len(month_starts) else n_days - 1
        em_crm.append(
            add_crm(
                f"{md.year}年{md.month}月客户培育邮件",
                "email",
                "email",
                s,
                e,
                f"EDM-{md.year}-{md.month:02d}",
            )
        )
    content = add_crm("官网内容营销", "website", "content", 0, n_days - 1, None)
    webinar_day = np.array([s + 14 for s in month_starts[::2] if s + 14 < n_days])
    webinar_crm = []
    for s in webinar_day:
        md = ctx.start + dt.timedelta(days=int(s))
        webinar_crm.append(
            add_crm(
                f"{md.year}年{md.month}月智能制造直播", "website", "webinar", int(s), int(s), None
            )
        )
    return Marketing(
        day_weight=_day_weights(ctx),
        kw_id=(kw_adgroup_id * 1000 + np.arange(n_kw)).astype(np.int64),
        kw_text=kw_text,
        kw_campaign=kw_campaign,
        kw_adgroup_id=kw_adgroup_id,
        kw_adgroup_name=kw_adgroup_name,
        kw_weight=rng.lognormal(0, 0.9, n_kw) * np.where(kw_campaign == 0, 2.5, 1.0),
        kw_cpc=np.round(rng.lognormal(np.log(9), 0.5, n_kw), 2),
        kw_ctr=rng.uniform(0.015, 0.08, n_kw),
        kw_active=kw_active,
        bd_campaign_id=bd_ids.astype(np.int64),
        bd_campaign_name=[c[0] for c in _BAIDU_CAMPAIGNS],
        bd_campaign_crm=bd_crm,
        dy_promotion_id=dy_ids,
        dy_advertiser_id=dy_adv.astype(np.int64),
        dy_name=dy_name,
        dy_start=dy_start,
        dy_end=dy_end,
        dy_weight=rng.lognormal(0, 0.5, n_promo),
        dy_cpc=np.round(rng.lognormal(np.log(3), 0.4, n_promo), 2),
        dy_ctr=rng.uniform(0.005, 0.03, n_promo),
        dy_crm=dy_crm,
        ex_id=ex["id"],
        ex_name=ex["name"],
        ex_code=ex["code"],
        ex_city=ex["city"],
        ex_booth=ex["booth"],
        ex_start=np.array(ex["start"], dtype=np.int64),
        ex_end=np.array(ex["end"], dtype=np.int64),
        ex_cost_cents=np.array(ex["cost"], dtype=np.int64),
        ex_format=ex["format"],
        ex_header=np.array(ex["header"], dtype=np.int32),
        ex_size=np.array(ex["size"]),
        ex_crm=np.array(ex["crm"]),
        em_month_start=em_month_start,
        em_crm=np.array(em_crm),
        web_content_crm=content,
        webinar_day=webinar_day,
        webinar_crm=np.array(webinar_crm, dtype=np.int64),
        crm_name=crm_name,
        crm_channel=crm_channel,
        crm_type=crm_type,
        crm_start=np.array(crm_start),
        crm_end=np.array(crm_end),
        crm_external=crm_external,
        crm_cost_cents=np.zeros(len(crm_name), dtype=np.int64),
    )


def history_day_of(ctx: Ctx, value: dt.date) -> int:
    """Index of a date in the history (0 = ctx.start)."""
    return date_to_day(value) - date_to_day(ctx.start)
