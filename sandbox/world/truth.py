"""Ground-truth tables: persons, accounts, identities, outcomes, touches, links, defects."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa

from sandbox.schema import CHANNELS, TRUTH_TABLES
from sandbox.world import vocab
from sandbox.world.bank import BankOut
from sandbox.world.common import ids, join, pick, table
from sandbox.world.crm import CrmMaster
from sandbox.world.deals import Deals
from sandbox.world.exhibition import ExhibitionOut
from sandbox.world.firms import Accounts, Persons
from sandbox.world.journeys import CHANNEL_EFFECTS, TOUCH_DEFINITIONS, Leads
from sandbox.world.origins import CH, Origins
from sandbox.world.sem import SemOut
from sandbox.world.wechat import WechatOut


def write_truth(
    put: Callable[[str, str, pa.Table], None],
    accounts: Accounts,
    persons: Persons,
    leads: Leads,
    origins: Origins,
    deals: Deals,
    master: CrmMaster,
    sem: SemOut,
    exh: ExhibitionOut,
    wx: WechatOut,
    bank: BankOut,
) -> None:
    """Build every ground-truth table and hand it to ``put("truth", name, table)``."""
    # Person propensity: chance that at least one of their leads wins (null without a lead).
    miss = np.ones(persons.n)
    np.multiply.at(miss, leads.person, 1 - leads.propensity)
    has_lead = np.bincount(leads.person, minlength=persons.n) > 0
    put(
        "truth",
        "persons",
        table(
            TRUTH_TABLES["persons"],
            {
                "person_id": persons.key,
                "account_key": accounts.key.take(pa.array(persons.account)),
                "name": persons.name,
                "phone_e164": join("+86", persons.mobile),
                "email": persons.email,
                "unionid": wx.person_unionid,
                "propensity": pa.array(1 - miss, mask=~has_lead),
            },
        ),
    )
    put(
        "truth",
        "accounts",
        table(
            TRUTH_TABLES["accounts"],
            {
                "account_key": accounts.key,
                "legal_name": accounts.legal_name,
                "industry": pick(vocab.INDUSTRY_CODES, accounts.industry),
                "employee_count": accounts.employees,
                "region": pick(vocab.REGIONS, accounts.region),
                "province": pick([c[1] for c in vocab.CITIES], accounts.city),
                "city": pick([c[0] for c in vocab.CITIES], accounts.city),
                "tech_stack": accounts.tech_stack,
                "english_name": accounts.parts.english(),
                "email_domain": accounts.domain,
            },
        ),
    )
    lead_ids = ids("L", np.arange(1, leads.n + 1), 8)
    pieces = [
        ("crm", "leads", lead_ids, leads.person),
        ("crm", "contacts", master.contact_ids, master.contact_person),
    ]
    for ch, table_name in ((CH["sem"], "baidu_leads"), (CH["douyin"], "douyin_clues")):
        rows, clue = sem.origin_ext_id[ch]
        pieces.append(("sem", table_name, clue, origins.person[rows]))
    badge, badge_person = exh.identity
    pieces.append(("exhibition", "badge_scans", badge, badge_person))
    ext = wx.person_external_id
    valid = np.asarray(ext.is_valid())
    pieces.append(
        ("wechat_work", "external_contacts", ext.filter(pa.array(valid)), np.flatnonzero(valid))
    )
    put(
        "truth",
        "identities",
        table(
            TRUTH_TABLES["identities"],
            {
                "source_system": pa.concat_arrays(
                    [pa.array([s] * len(p)) for s, _, _, p in pieces]
                ),
                "source_table": pa.concat_arrays([pa.array([t] * len(p)) for _, t, _, p in pieces]),
                "source_id": pa.concat_arrays([i.cast(pa.string()) for _, _, i, _ in pieces]),
                "person_id": persons.key.take(pa.array(np.concatenate([p for *_, p in pieces]))),
            },
        ),
    )
    put(
        "truth",
        "account_identities",
        table(
            TRUTH_TABLES["account_identities"],
            {
                "source_system": pa.array(["crm"] * len(master.account_truth)),
                "source_table": pa.array(["accounts"] * len(master.account_truth)),
                "source_id": master.account_ids,
                "account_key": accounts.key.take(pa.array(master.account_truth)),
            },
        ),
    )
    put(
        "truth",
        "channel_effects",
        table(
            TRUTH_TABLES["channel_effects"],
            {
                "channel": pa.array(list(CHANNELS)),
                "effect": pa.array([CHANNEL_EFFECTS[c] for c in CHANNELS]),
                "touch_definition": pa.array([TOUCH_DEFINITIONS[c] for c in CHANNELS]),
            },
        ),
    )
    opp = deals.lead_opp
    has = opp >= 0
    o = np.maximum(opp, 0)
    won_now = has & deals.opp_closed[o] & deals.opp_won[o]
    put(
        "truth",
        "lead_outcomes",
        table(
            TRUTH_TABLES["lead_outcomes"],
            {
                "lead_id": lead_ids,
                "person_id": persons.key.take(pa.array(leads.person)),
                "propensity": leads.propensity,
                "is_mql": leads.is_mql,
                "is_sql": leads.is_sql,
                "has_opportunity": has,
                "is_won": won_now,
                "will_win": leads.will_win,
                "is_opportunity_open": has & ~deals.opp_closed[o],
                "source_channel": pick(CHANNELS, leads.channel),
            },
        ),
    )
    nz_lead, nz_ch = np.nonzero(leads.touches)
    put(
        "truth",
        "lead_touches",
        table(
            TRUTH_TABLES["lead_touches"],
            {
                "lead_id": lead_ids.take(pa.array(nz_lead)),
                "channel": pick(CHANNELS, nz_ch),
                "touches": leads.touches[nz_lead, nz_ch],
            },
        ),
    )
    defects = sem.defects + exh.defects
    put(
        "truth",
        "defects",
        table(
            TRUTH_TABLES["defects"],
            {
                "system": pa.concat_arrays(
                    [pa.array([d[0]] * len(d[2]), pa.string()) for d in defects]
                    or [pa.array([], pa.string())]
                ),
                "table": pa.concat_arrays(
                    [pa.array([d[1]] * len(d[2]), pa.string()) for d in defects]
                    or [pa.array([], pa.string())]
                ),
                "record_id": pa.concat_arrays(
                    [d[2] for d in defects] or [pa.array([], pa.string())]
                ),
                "defect": pa.concat_arrays(
                    [pa.array([d[3]] * len(d[2]), pa.string()) for d in defects]
                    or [pa.array([], pa.string())]
                ),
            },
        ),
    )
    put("truth", "fx_rates", bank.fx_rates)
    put("truth", "payment_links", bank.payment_links)
