"""Service cases of customers after go-live."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from sandbox.schema import CRM_TABLES
from sandbox.world import vocab
from sandbox.world.common import (
    US_PER_DAY,
    US_PER_HOUR,
    Ctx,
    ids,
    pick,
    table,
    ts_array,
    weighted_index,
)
from sandbox.world.crm import CrmMaster
from sandbox.world.deals import Deals
from sandbox.world.firms import Persons
from sandbox.world.journeys import Leads

_PRIORITIES = ("low", "normal", "high", "urgent")
_HOURS = np.array([160.0, 60.0, 20.0, 5.0])  # median resolution hours per priority


def make_service_cases(
    ctx: Ctx, deals: Deals, master: CrmMaster, leads: Leads, persons: Persons
) -> pa.Table:
    """crm.service_cases: won customers open cases; old ones resolved, recent ones open."""
    rng = ctx.rng("service")
    end = ctx.end_us - 1
    won = np.flatnonzero(deals.opp_closed & deals.opp_won)
    live_from = deals.opp_close_us[won] + 20 * US_PER_DAY
    months = np.clip((end - live_from) / (30 * US_PER_DAY), 0, None)
    k = rng.poisson(months * 0.25)
    opp = np.repeat(won, k)
    lo = np.repeat(live_from, k)
    opened = lo + (rng.random(len(opp)) * np.maximum(end - lo, US_PER_HOUR)).astype(np.int64)
    ok = opened < end
    opp, opened = opp[ok], opened[ok]
    order = np.argsort(opened, kind="stable")
    opp, opened = opp[order], opened[order]
    n = len(opp)
    prio = weighted_index(rng, np.array([25, 50, 20, 5.0]), n)
    hours = _HOURS[prio] * rng.lognormal(0, 0.8, n)
    resolved = opened + (hours * US_PER_HOUR).astype(np.int64)
    done = resolved < end
    closed = done & (resolved < end - 7 * US_PER_DAY) & (rng.random(n) < 0.7)
    in_progress = ~done & (rng.random(n) < 0.6)
    status = np.select([closed, done, in_progress], ["closed", "resolved", "in_progress"], "open")
    person = leads.person[deals.opp_lead[opp]]
    contact = master.contact_of_person[person]
    account = master.account_of_truth[persons.account[person]]
    updated = np.where(
        done, resolved, np.minimum(opened + rng.integers(0, 48, n) * US_PER_HOUR, end)
    )
    return table(
        CRM_TABLES["service_cases"],
        {
            "id": ids("CS", np.arange(1, n + 1), 7),
            "account_id": master.account_ids.take(pa.array(account)),
            "contact_id": master.contact_ids.take(pa.array(contact)),
            "subject": pick(vocab.CASE_SUBJECTS, rng.integers(0, len(vocab.CASE_SUBJECTS), n)),
            "priority": pick(_PRIORITIES, prio),
            "status": pa.array(status.tolist(), pa.string()),
            "opened_at": ts_array(opened),
            "resolved_at": ts_array(resolved, mask=~done),
            "created_at": ts_array(opened),
            "updated_at": ts_array(updated),
            "is_deleted": np.zeros(n, dtype=bool),
        },
    )
