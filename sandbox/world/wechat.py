"""WeChat Work: external contacts and their follow_info rows (one per customer x follower)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sandbox.schema import WECHAT_TABLES
from sandbox.world import vocab
from sandbox.world.campaigns import Marketing
from sandbox.world.common import ALNUM, Ctx, join, null_where, pick, table, tokens, ts_array
from sandbox.world.firms import Accounts, Persons, Reps
from sandbox.world.journeys import Leads
from sandbox.world.messy import mobile_variants, random_phone_variant
from sandbox.world.origins import CH, Origins
from sandbox.world.render import render

_LEVEL_TAGS = ("A类客户", "B类客户", "C类客户")
_DESCRIPTIONS = ("", "", "", "展会认识", "官网咨询", "老客户介绍", "关注MES", "决策人")


@dataclass
class WechatOut:
    """Tables and the external_userid of each person (null where none)."""

    tables: dict[str, pa.Table]
    person_external_id: pa.Array  # length persons.n
    person_unionid: pa.Array  # length persons.n


def _tag(group: str, name: pa.Array | str, tag_id: pa.Array | str) -> pa.Array | str:
    return join(
        '{"group_name": "',
        group,
        '", "tag_name": "',
        name,
        '", "type": 1, "tag_id": "',
        tag_id,
        '"}',
    )


def make_wechat(
    ctx: Ctx,
    leads: Leads,
    origins: Origins,
    persons: Persons,
    accounts: Accounts,
    reps: Reps,
    mk: Marketing,
) -> WechatOut:
    """Build external_contacts, follow_users and follow_info from the WeChat adds."""
    rng = ctx.rng("wechat")
    adds = leads.wechat_adds
    people = np.unique(adds.person)
    n = len(people)
    wecom = rng.random(n) < 0.12  # type 2: a WeCom user (corp fields, no unionid)
    ext = join(
        pc.if_else(pa.array(wecom), pa.scalar("wo"), pa.scalar("wm")),
        tokens(rng, n, 30, ALNUM + "-_"),
    )
    unionid_all = join("o", tokens(rng, n, 27, ALNUM + "-_"))
    unionid = null_where(unionid_all, wecom)
    rend = render(rng, persons, accounts, people, "wechat")
    account = persons.account[people]
    acc = pa.array(account)
    parts = accounts.parts.take(account)
    person_idx = pa.array(people)
    nick = pick(vocab.NICKNAMES, rng.integers(0, len(vocab.NICKNAMES), n))
    name = pc.if_else(pa.array(rng.random(n) < 0.25), nick, rend.name)
    contacts = table(
        WECHAT_TABLES["external_contacts"],
        {
            "external_userid": ext,
            "name": name,
            "position": null_where(persons.title.take(person_idx), ~wecom),
            "avatar": join("https://wx.qlogo.cn/mmhead/", tokens(rng, n, 40, ALNUM), "/0"),
            "corp_name": null_where(parts.variants(np.full(n, 3)), ~wecom),
            "corp_full_name": null_where(accounts.legal_name.take(acc), ~wecom),
            "type": np.where(wecom, 2, 1).astype(np.int32),
            "gender": np.where(rng.random(n) < 0.15, 0, persons.gender[people]).astype(np.int32),
            "unionid": unionid,
        },
    )
    # follow_info: one row per (customer, follower) at the first add.
    pos = np.searchsorted(people, adds.person)
    m = len(adds.person)
    p = pa.array(pos)
    f_rend = render(rng, persons, accounts, adds.person, "rep")
    f_parts = accounts.parts.take(persons.account[adds.person])
    short = f_parts.variants(np.full(m, 3))
    remark = pc.if_else(
        pa.array(rng.random(m) < 0.7), join(f_rend.name, "-", short), pa.array([""] * m)
    )
    mobiles = mobile_variants(
        persons.mobile.take(pa.array(adds.person)), random_phone_variant(rng, m, "rep")
    )
    has_mobile = rng.random(m) < 0.5
    offsets = np.r_[0, np.cumsum(has_mobile)].astype(np.int32)
    remark_mobiles = pa.ListArray.from_arrays(
        pa.array(offsets), mobiles.filter(pa.array(has_mobile))
    )
    level = pick(_LEVEL_TAGS, rng.integers(0, 3, m))
    level_id = join("etLV", pc.cast(pa.array(rng.integers(0, 3, m)), pa.string()))
    ind = accounts.industry[persons.account[adds.person]]
    ind_label = pick([vocab.INDUSTRIES[c][3] for c in vocab.INDUSTRY_CODES], ind)
    ind_id = join("etIN", pc.cast(pa.array(ind), pa.string()))
    n_tags = rng.integers(0, 3, m)
    tags = pc.choose(
        pa.array(n_tags),
        pa.array(["[]"] * m),
        join("[", _tag("客户等级", level, level_id), "]"),
        join("[", _tag("客户等级", level, level_id), ", ", _tag("行业", ind_label, ind_id), "]"),
    )
    kind = adds.kind
    # add_way: QR scans at booths, phone search / cards / QR for the rest.
    add_way = np.where(
        kind == 1,
        1,
        rng.choice([1, 2, 3, 5, 6, 0, 202], m, p=[0.35, 0.25, 0.12, 0.12, 0.08, 0.04, 0.04]),
    )
    customer_initiated = np.isin(add_way, [1, 6])
    state = np.full(m, "", dtype=object)
    booth = np.flatnonzero(kind == 1)
    ex_codes = np.array([c.lower() for c in mk.ex_code] or ["expo"], dtype=object)
    state[booth] = np.char.add("expo", ex_codes[origins.exhibition[adds.origin[booth]]].astype(str))
    first_ch = np.where(adds.origin >= 0, origins.channel[np.maximum(adds.origin, 0)], -1)
    state[(kind == 0) & (first_ch == CH["wechat"]) & (add_way == 1)] = "website_qr"
    rep_uid = reps.wechat_userid.take(pa.array(adds.rep))
    follow = table(
        WECHAT_TABLES["follow_info"],
        {
            "external_userid": ext.take(p),
            "userid": rep_uid,
            "remark": remark,
            "description": pick(_DESCRIPTIONS, rng.integers(0, len(_DESCRIPTIONS), m)),
            "createtime": ts_array(adds.time_us),
            "tags_json": tags,
            "remark_corp_name": null_where(f_rend.company, rng.random(m) < 0.5),
            "remark_mobiles": remark_mobiles,
            "add_way": add_way.astype(np.int32),
            "oper_userid": pc.if_else(pa.array(customer_initiated), ext.take(p), rep_uid),
            "state": pa.array(state.tolist(), pa.string()),
        },
    )
    order = pc.sort_indices(follow, [("createtime", "ascending"), ("external_userid", "ascending")])
    follow = follow.take(order)
    follow_users = table(
        WECHAT_TABLES["follow_users"],
        {
            "userid": reps.wechat_userid.take(pa.array(np.arange(reps.n))),
            "name": reps.name,
        },
    )
    pos_of = np.full(persons.n, -1)
    pos_of[people] = np.arange(n)
    take = pa.array(pos_of, mask=pos_of < 0)
    return WechatOut(
        tables={"external_contacts": contacts, "follow_info": follow, "follow_users": follow_users},
        person_external_id=ext.take(take),
        person_unionid=unionid.take(take),
    )
