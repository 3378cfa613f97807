"""CRM master data: users, campaigns, accounts, contacts and the leads table."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from sandbox.schema import CHANNELS, CRM_TABLES
from sandbox.world import vocab
from sandbox.world.campaigns import Marketing
from sandbox.world.common import (
    US_PER_DAY,
    US_PER_HOUR,
    Ctx,
    date_array,
    ids,
    money_array,
    null_where,
    pick,
    table,
    ts_array,
    weighted_index,
)
from sandbox.world.deals import Deals
from sandbox.world.firms import Accounts, Persons, Reps
from sandbox.world.journeys import Leads
from sandbox.world.origins import Origins
from sandbox.world.render import Rendered, render

_DISQ = ("无预算", "无需求", "联系不上", "竞品已签约", "重复线索", "非目标行业", "个人咨询")


def users_table(reps: Reps) -> pa.Table:
    """crm.users."""
    return table(
        CRM_TABLES["users"],
        {
            "id": reps.id,
            "name": reps.name,
            "email": reps.email,
            "wechat_userid": reps.wechat_userid,
            "team": reps.team,
            "region": pick(vocab.REGIONS, reps.region),
            "role": pa.array(reps.role.tolist()),
            "industries": pa.array(
                [",".join(vocab.INDUSTRY_CODES[i] for i in sorted(s)) for s in reps.industries]
            ),
            "products": pa.array([",".join(p) for p in reps.products]),
            "capacity": reps.capacity,
            "is_active": reps.is_active,
            "created_at": ts_array(reps.created_us),
            "updated_at": ts_array(reps.updated_us),
            "is_deleted": np.zeros(reps.n, dtype=bool),
        },
    )


def campaigns_table(ctx: Ctx, mk: Marketing) -> pa.Table:
    """crm.campaigns (actual_cost from the ad reports and the exhibitions)."""
    rng = ctx.rng("crm_campaigns")
    n = len(mk.crm_name)
    first_day = (ctx.start_us + 8 * US_PER_HOUR) // US_PER_DAY
    types = np.array(mk.crm_type)
    cost = mk.crm_cost_cents.copy()
    small = np.isin(types, ["email", "webinar", "content"])
    cost[small] = rng.integers(3_000, 20_000, small.sum()) * 100
    budget = (np.round(cost * rng.uniform(0.95, 1.3, n) / 100_000) * 100_000).astype(np.int64)
    created = ctx.start_us + (mk.crm_start - rng.integers(3, 20, n)) * US_PER_DAY
    return table(
        CRM_TABLES["campaigns"],
        {
            "id": ids("CP", np.arange(1, n + 1), 5),
            "name": pa.array(mk.crm_name),
            "channel": pa.array(mk.crm_channel),
            "type": pa.array(mk.crm_type),
            "start_date": date_array(mk.crm_start + first_day),
            "end_date": date_array(mk.crm_end + first_day),
            "budget": money_array(budget),
            "actual_cost": money_array(cost),
            "currency": pa.array(["CNY"] * n),
            "external_id": pa.array(mk.crm_external, pa.string()),
            "created_at": ts_array(created),
            "updated_at": ts_array(
                np.minimum(ctx.start_us + (mk.crm_end + 1) * US_PER_DAY, ctx.end_us - 1)
            ),
            "is_deleted": np.zeros(n, dtype=bool),
        },
    )


@dataclass
class CrmMaster:
    """CRM accounts and contacts with their mapping to the truth."""

    tables: dict[str, pa.Table]
    account_ids: pa.Array
    account_of_truth: np.ndarray  # primary CRM account index per truth account, or -1
    account_truth: np.ndarray  # truth account per CRM account
    contact_ids: pa.Array
    contact_of_person: np.ndarray  # CRM contact index per person, or -1
    contact_person: np.ndarray


def make_master(
    ctx: Ctx,
    accounts: Accounts,
    persons: Persons,
    reps: Reps,
    lead_account: np.ndarray,
    lead_person: np.ndarray,
    lead_owner: np.ndarray,
    lead_created: np.ndarray,
    lead_converted: np.ndarray,
    has_opp: np.ndarray,
    person_external_id: pa.Array,
) -> CrmMaster:
    """CRM accounts (rep-typed names, a few duplicates) and contacts."""
    rng = ctx.rng("crm_master")
    big = np.iinfo(np.int64).max
    conv_at = np.full(accounts.n, big)
    np.minimum.at(conv_at, lead_account[has_opp], lead_converted[has_opp])
    any_lead = np.bincount(lead_account, minlength=accounts.n) > 0
    converted = conv_at < big
    keep = (
        converted | (any_lead & (rng.random(accounts.n) < 0.35)) | (rng.random(accounts.n) < 0.12)
    )
    truth = np.flatnonzero(keep)
    pre_existing = rng.random(len(truth)) < 0.4
    random_time = ctx.start_us + (
        rng.random(len(truth)) * (ctx.end_us - ctx.start_us - US_PER_DAY)
    ).astype(np.int64)
    random_time = np.where(
        pre_existing, ctx.start_us - rng.integers(10, 700, len(truth)) * US_PER_DAY, random_time
    )
    created = np.where(converted[truth], np.minimum(random_time, conv_at[truth]), random_time)
    dup = rng.random(len(truth)) < 0.03
    truth_all = np.concatenate([truth, truth[dup]])
    created_all = np.concatenate(
        [created, created[dup] + rng.integers(5, 200, dup.sum()) * US_PER_DAY]
    )
    ok = created_all < ctx.end_us
    truth_all, created_all = truth_all[ok], created_all[ok]
    order = np.argsort(created_all, kind="stable")
    truth_all, created_all = truth_all[order], created_all[order]
    n = len(truth_all)
    is_dup = np.zeros(n, dtype=bool)
    seen = np.zeros(accounts.n, dtype=bool)
    for i, t in enumerate(truth_all):  # CRM accounts are few; the first record is primary
        is_dup[i] = seen[t]
        seen[t] = True
    account_of_truth = np.full(accounts.n, -1)
    account_of_truth[truth_all[~is_dup]] = np.flatnonzero(~is_dup)
    code = weighted_index(rng, np.array([65, 10, 7, 6, 0, 5, 0, 4, 0, 3.0]), n)
    code[is_dup] = weighted_index(rng, np.array([0, 30, 25, 25, 10, 5, 0, 5, 0, 0.0]), is_dup.sum())
    names = accounts.parts.take(truth_all).variants(code)
    # Owner: the owner of the account's first lead, else a rep of the region.
    first_owner = np.full(accounts.n, -1)
    order_l = np.argsort(lead_created)[::-1]
    first_owner[lead_account[order_l]] = lead_owner[order_l]
    rep_idx = reps.rep_index
    fallback = rep_idx[rng.integers(0, len(rep_idx), n)]
    owner = np.where(first_owner[truth_all] >= 0, first_owner[truth_all], fallback)
    acc_ids = ids("AC", np.arange(1, n + 1), 7)
    t_idx = pa.array(truth_all)
    accounts_table = table(
        CRM_TABLES["accounts"],
        {
            "id": acc_ids,
            "name": names,
            "industry": pick(vocab.INDUSTRY_CODES, accounts.industry[truth_all]),
            "employee_count": null_where(
                pa.array(accounts.employees[truth_all]), rng.random(n) < 0.1
            ),
            "province": pick([c[1] for c in vocab.CITIES], accounts.city[truth_all]),
            "city": pick([c[0] for c in vocab.CITIES], accounts.city[truth_all]),
            "region": pick(vocab.REGIONS, accounts.region[truth_all]),
            "tech_stack": null_where(accounts.tech_stack.take(t_idx), rng.random(n) < 0.15),
            "owner_id": reps.id.take(pa.array(owner)),
            "created_at": ts_array(created_all),
            "updated_at": ts_array(
                np.minimum(created_all + rng.integers(0, 90, n) * US_PER_DAY, ctx.end_us - 1)
            ),
            "is_deleted": np.zeros(n, dtype=bool),
        },
    )
    # Contacts: every converted person, and some others at CRM accounts.
    p_conv = np.full(persons.n, big)
    np.minimum.at(p_conv, lead_person[has_opp], lead_converted[has_opp])
    p_owner = np.full(persons.n, -1)
    p_owner[lead_person[has_opp][::-1]] = lead_owner[has_opp][::-1]
    in_crm = account_of_truth[persons.account] >= 0
    extra = in_crm & (p_conv == big) & (rng.random(persons.n) < 0.08)
    acc_created = np.zeros(persons.n, dtype=np.int64)
    acc_created[in_crm] = created_all[account_of_truth[persons.account[in_crm]]]
    extra_time = np.maximum(acc_created, ctx.start_us) + (
        rng.random(persons.n) * 200 * US_PER_DAY
    ).astype(np.int64)
    extra &= extra_time < ctx.end_us
    people = np.flatnonzero((p_conv < big) | extra)
    c_time = np.where(p_conv[people] < big, p_conv[people], extra_time[people])
    order = np.argsort(c_time, kind="stable")
    people, c_time = people[order], c_time[order]
    m = len(people)
    contact_of_person = np.full(persons.n, -1)
    contact_of_person[people] = np.arange(m)
    rend = render(rng, persons, accounts, people, "rep")
    c_owner = np.where(
        p_owner[people] >= 0, p_owner[people], owner[account_of_truth[persons.account[people]]]
    )
    ext = person_external_id.take(pa.array(people))
    contact_ids = ids("CT", np.arange(1, m + 1), 7)
    contacts_table = table(
        CRM_TABLES["contacts"],
        {
            "id": contact_ids,
            "account_id": acc_ids.take(pa.array(account_of_truth[persons.account[people]])),
            "name": rend.name,
            "mobile": rend.mobile,
            "email": rend.email,
            "title": persons.title.take(pa.array(people)),
            "department": persons.department.take(pa.array(people)),
            "wechat_external_userid": null_where(ext, rng.random(m) < 0.3),
            "owner_id": reps.id.take(pa.array(c_owner)),
            "created_at": ts_array(c_time),
            "updated_at": ts_array(
                np.minimum(c_time + rng.integers(0, 60, m) * US_PER_DAY, ctx.end_us - 1)
            ),
            "is_deleted": np.zeros(m, dtype=bool),
        },
    )
    return CrmMaster(
        tables={"accounts": accounts_table, "contacts": contacts_table},
        account_ids=acc_ids,
        account_of_truth=account_of_truth,
        account_truth=truth_all,
        contact_ids=contact_ids,
        contact_of_person=contact_of_person,
        contact_person=people,
    )


def leads_table(
    ctx: Ctx,
    leads: Leads,
    deals: Deals,
    master: CrmMaster,
    origins: Origins,
    rendered: Rendered,
    ext_id: pa.Array,
    click_id: pa.Array,
    keyword: pa.Array,
    persons: Persons,
    accounts: Accounts,
    reps: Reps,
    campaign_ids: pa.Array,
) -> pa.Table:
    """crm.leads: status and funnel timestamps agree exactly with truth.lead_outcomes."""
    rng = ctx.rng("crm_leads")
    n = leads.n
    o = pa.array(leads.origin)
    opp = deals.lead_opp
    has_opp = opp >= 0
    status = np.full(n, "new", dtype=object)
    status[leads.responded] = "working"
    status[leads.is_mql] = "mql"
    status[leads.is_sql] = "sql"
    status[has_opp] = "converted"
    status[leads.disqualified] = "disqualified"
    disq_time = np.minimum(leads.window_end_us + rng.integers(0, 5, n) * US_PER_DAY, ctx.end_us - 1)
    updated = leads.created_us.copy()
    updated = np.where(leads.responded, np.maximum(updated, leads.first_response_us), updated)
    updated = np.where(leads.is_mql, np.maximum(updated, leads.mql_us), updated)
    updated = np.where(leads.is_sql, np.maximum(updated, leads.sql_us), updated)
    updated = np.where(has_opp, np.maximum(updated, leads.converted_us), updated)
    updated = np.where(leads.disqualified, np.maximum(updated, disq_time), updated)
    campaign = origins.crm_campaign[leads.origin]
    contact = master.contact_of_person[leads.person]
    account = master.account_of_truth[leads.account]
    ch = pick(CHANNELS, leads.channel)
    return table(
        CRM_TABLES["leads"],
        {
            "id": ids("L", np.arange(1, n + 1), 8),
            "name": rendered.name.take(o),
            "company": rendered.company.take(o),
            "mobile": rendered.mobile.take(o),
            "email": rendered.email.take(o),
            "title": null_where(persons.title.take(pa.array(leads.person)), rng.random(n) < 0.2),
            "source_channel": ch,
            "campaign_id": campaign_ids.take(pa.array(np.maximum(campaign, 0), mask=campaign < 0)),
            "keyword": keyword.take(o),
            "click_id": click_id.take(o),
            "external_lead_id": ext_id.take(o),
            "status": pa.array(status.tolist(), pa.string()),
            "owner_id": reps.id.take(pa.array(leads.owner)),
            "first_response_at": ts_array(leads.first_response_us, mask=~leads.responded),
            "mql_at": ts_array(leads.mql_us, mask=~leads.is_mql),
            "sql_at": ts_array(leads.sql_us, mask=~leads.is_sql),
            "converted_at": ts_array(leads.converted_us, mask=~has_opp),
            "converted_contact_id": master.contact_ids.take(
                pa.array(np.maximum(contact, 0), mask=~has_opp)
            ),
            "converted_account_id": master.account_ids.take(
                pa.array(np.maximum(account, 0), mask=~has_opp)
            ),
            "converted_opportunity_id": deals.opp_id.take(
                pa.array(np.maximum(opp, 0), mask=~has_opp)
            ),
            "disqualified_reason": null_where(
                pick(_DISQ, rng.integers(0, len(_DISQ), n)), ~leads.disqualified
            ),
            "industry": pick(vocab.INDUSTRY_CODES, accounts.industry[leads.account]),
            "employee_count": accounts.employees[leads.account],
            "created_at": ts_array(leads.created_us),
            "updated_at": ts_array(updated),
            "is_deleted": np.zeros(n, dtype=bool),
        },
    )


__all__ = ["CrmMaster", "campaigns_table", "leads_table", "make_master", "users_table"]
