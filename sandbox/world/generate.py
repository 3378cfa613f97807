"""Generate the sandbox company world: every system table and the ground truth.

``generate_world(sandbox_dir, scale, seed, as_of)`` writes
``<sandbox_dir>/world/<system>/<table>.parquet`` for every table of
:data:`sandbox.schema.ALL_SYSTEM_TABLES`, ``<sandbox_dir>/truth/<table>.parquet`` for every
table of :data:`sandbox.schema.TRUTH_TABLES`, and ``truth/meta.json``. Same seed and scale
give byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path

import numpy as np
import pyarrow as pa

from sandbox.schema import ALL_SYSTEM_TABLES, TRUTH_TABLES
from sandbox.world.activities import behavior_table, make_activities
from sandbox.world.bank import make_bank
from sandbox.world.campaigns import make_marketing
from sandbox.world.common import Ctx, pick, seq_ids
from sandbox.world.crm import campaigns_table, leads_table, make_master, users_table
from sandbox.world.currency import currency_rates_table
from sandbox.world.deals import make_deals
from sandbox.world.events import write_events
from sandbox.world.exhibition import make_exhibition
from sandbox.world.firms import Accounts, Persons, make_accounts, make_persons, make_reps
from sandbox.world.journeys import (
    CH,
    make_leads,
)
from sandbox.world.origins import Origins, make_origins
from sandbox.world.render import Rendered, render
from sandbox.world.sem import make_sem
from sandbox.world.service import make_service_cases
from sandbox.world.tables import truth_dir, world_dir, write_table
from sandbox.world.truth import write_truth
from sandbox.world.wechat import make_wechat

log = logging.getLogger(__name__)
DEFAULT_AS_OF = dt.date(2026, 10, 31)
_STYLE = {
    "sem": "form",
    "douyin": "form",
    "website": "form",
    "exhibition": "scan",
    "wechat": "rep",
    "email": "form",
    "sales": "rep",
}


def _render_origins(ctx: Ctx, origins: Origins, persons: Persons, accounts: Accounts) -> Rendered:
    """Strings of every first-contact record, rendered in its channel's style."""
    rng = ctx.rng("render_origins")
    parts, rows_all = [], []
    for code, style in _STYLE.items():
        rows = np.flatnonzero(origins.channel == CH[code])
        parts.append(render(rng, persons, accounts, origins.person[rows], style))
        rows_all.append(rows)
    rows = np.concatenate(rows_all)
    inverse = np.empty(len(rows), dtype=np.int64)
    inverse[rows] = np.arange(len(rows))
    inv = pa.array(inverse)
    return Rendered(
        **{
            f: pa.concat_arrays([getattr(p, f) for p in parts]).take(inv)
            for f in ("name", "company", "mobile", "email")
        }
    )


def _per_origin(n: int, pieces: list[tuple[np.ndarray, pa.Array]]) -> pa.Array:
    """Scatter (origin rows, values) pieces into one array over all origins (null elsewhere)."""
    pos = np.full(n, -1)
    values = []
    offset = 0
    for rows, arr in pieces:
        pos[rows] = offset + np.arange(len(rows))
        values.append(arr.cast(pa.string()))
        offset += len(rows)
    stacked = pa.concat_arrays(values) if values else pa.array([], pa.string())
    return stacked.take(pa.array(np.maximum(pos, 0), mask=pos < 0))


def generate_world(
    sandbox_dir: Path, scale: float = 1.0, seed: int = 42, as_of: dt.date = DEFAULT_AS_OF
) -> dict[str, int]:
    """Generate the world and its ground truth under ``sandbox_dir``.

    Args:
        sandbox_dir: Folder that receives ``world/`` and ``truth/``.
        scale: 1 is about 50,000 CRM leads and 1,000,000 marketing events.
        seed: Random seed; the same seed and scale give byte-identical tables.
        as_of: Last day of history (history starts 2025-01-01).

    Returns:
        Row counts keyed ``"<system>.<table>"`` and ``"truth.<table>"``.
    """
    sandbox_dir = Path(sandbox_dir)
    ctx = Ctx(scale=scale, seed=seed, as_of=as_of)
    counts: dict[str, int] = {}

    def put(system: str, name: str, tbl: pa.Table) -> None:
        expected = (TRUTH_TABLES if system == "truth" else ALL_SYSTEM_TABLES[system])[name]
        if not tbl.schema.equals(expected):
            raise TypeError(f"{system}.{name} does not match its contract schema")
        folder = truth_dir(sandbox_dir) if system == "truth" else world_dir(sandbox_dir) / system
        write_table(folder / f"{name}.parquet", tbl)
        counts[f"{system}.{name}"] = tbl.num_rows
        log.info("wrote %s.%s (%d rows)", system, name, tbl.num_rows)

    reps = make_reps(ctx)
    accounts = make_accounts(ctx)
    persons = make_persons(ctx, accounts)
    mk = make_marketing(ctx)
    origins = make_origins(ctx, persons, mk)
    leads = make_leads(ctx, origins, persons, accounts, reps, mk)
    rendered = _render_origins(ctx, origins, persons, accounts)

    sem = make_sem(ctx, mk, origins, leads, persons, accounts, rendered)
    for name, tbl in sem.tables.items():
        put("sem", name, tbl)
    exh = make_exhibition(ctx, mk, origins, leads, persons, accounts, rendered)
    for name, tbl in exh.tables.items():
        put("exhibition", name, tbl)
    wx = make_wechat(ctx, leads, origins, persons, accounts, reps, mk)
    for name, tbl in wx.tables.items():
        put("wechat_work", name, tbl)

    has_opp = leads.has_opportunity
    master = make_master(
        ctx,
        accounts,
        persons,
        reps,
        leads.account,
        leads.person,
        leads.owner,
        leads.created_us,
        leads.converted_us,
        has_opp,
        wx.person_external_id,
    )
    deals = make_deals(
        ctx,
        leads,
        accounts,
        reps,
        master.account_of_truth,
        master.contact_of_person,
        master.contact_ids,
        master.account_ids,
    )
    campaign_ids = seq_ids("CP", len(mk.crm_name), 5)
    n_o = origins.n
    wechat_rows = np.flatnonzero(origins.channel == CH["wechat"])
    ext_id = _per_origin(
        n_o,
        [
            sem.origin_ext_id[CH["sem"]],
            sem.origin_ext_id[CH["douyin"]],
            exh.origin_badge,
            (wechat_rows, wx.person_external_id.take(pa.array(origins.person[wechat_rows]))),
        ],
    )
    click_id = _per_origin(n_o, [sem.origin_click_id[CH["sem"]], sem.origin_click_id[CH["douyin"]]])
    sem_rows = sem.origin_ext_id[CH["sem"]][0]
    keyword = _per_origin(n_o, [(sem_rows, pick(mk.kw_text, origins.keyword[sem_rows]))])
    put("crm", "users", users_table(reps))
    put("crm", "accounts", master.tables["accounts"])
    put("crm", "contacts", master.tables["contacts"])
    put(
        "crm",
        "leads",
        leads_table(
            ctx,
            leads,
            deals,
            master,
            origins,
            rendered,
            ext_id,
            click_id,
            keyword,
            persons,
            accounts,
            reps,
            campaign_ids,
        ),
    )
    for name in ("opportunities", "opportunity_stage_history", "quotes", "orders", "invoices"):
        put("crm", name, deals.tables[name])
    activities, chat_owner, chat_time = make_activities(
        ctx, leads, deals, master, reps, persons.account
    )
    put("crm", "activities", activities)
    put(
        "wechat_work",
        "behavior_daily",
        behavior_table(
            ctx, reps, chat_owner, chat_time, leads.wechat_adds.rep, leads.wechat_adds.time_us
        ),
    )
    put("crm", "service_cases", make_service_cases(ctx, deals, master, leads, persons))
    lead_campaign = origins.crm_campaign[leads.origin]
    sem_url_origin = _per_origin(
        n_o, [(sem_rows, sem.tables["baidu_leads"].column("url").combine_chunks())]
    )
    sem_url = sem_url_origin.take(pa.array(leads.origin))
    events_path = world_dir(sandbox_dir) / "crm" / "marketing_events.parquet"
    counts["crm.marketing_events"] = write_events(
        ctx, leads, mk, campaign_ids, sem_url, lead_campaign, events_path
    )
    bank = make_bank(ctx, deals, accounts)
    for name in ("bank_accounts", "bank_lines"):
        put("bank", name, bank.tables[name])
    put("crm", "campaigns", campaigns_table(ctx, mk))
    put("crm", "currency_rates", currency_rates_table(bank.fx_rates))

    # ---------------------------------------------------------------- truth
    write_truth(put, accounts, persons, leads, origins, deals, master, sem, exh, wx, bank)
    meta = {
        "scale": scale,
        "seed": seed,
        "as_of": as_of.isoformat(),
        "history_start": ctx.start.isoformat(),
        "counts": dict(sorted(counts.items())),
    }
    truth_dir(sandbox_dir).mkdir(parents=True, exist_ok=True)
    (truth_dir(sandbox_dir) / "meta.json").write_text(
        json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return dict(sorted(counts.items()))
