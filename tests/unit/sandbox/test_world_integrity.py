"""Every foreign key of the generated world points at an existing row."""

from __future__ import annotations

import duckdb
import pytest

from sandbox.schema import ALL_SYSTEM_TABLES

# (child table, child column, parent table, parent column)
FOREIGN_KEYS = [
    ("crm.leads", "owner_id", "crm.users", "id"),
    ("crm.leads", "campaign_id", "crm.campaigns", "id"),
    ("crm.leads", "converted_contact_id", "crm.contacts", "id"),
    ("crm.leads", "converted_account_id", "crm.accounts", "id"),
    ("crm.leads", "converted_opportunity_id", "crm.opportunities", "id"),
    ("crm.accounts", "owner_id", "crm.users", "id"),
    ("crm.contacts", "account_id", "crm.accounts", "id"),
    ("crm.contacts", "owner_id", "crm.users", "id"),
    ("crm.contacts", "wechat_external_userid", "wechat_work.external_contacts", "external_userid"),
    ("crm.opportunities", "account_id", "crm.accounts", "id"),
    ("crm.opportunities", "contact_id", "crm.contacts", "id"),
    ("crm.opportunities", "lead_id", "crm.leads", "id"),
    ("crm.opportunities", "owner_id", "crm.users", "id"),
    ("crm.opportunity_stage_history", "opportunity_id", "crm.opportunities", "id"),
    ("crm.opportunity_stage_history", "changed_by", "crm.users", "id"),
    ("crm.activities", "lead_id", "crm.leads", "id"),
    ("crm.activities", "contact_id", "crm.contacts", "id"),
    ("crm.activities", "account_id", "crm.accounts", "id"),
    ("crm.activities", "opportunity_id", "crm.opportunities", "id"),
    ("crm.activities", "owner_id", "crm.users", "id"),
    ("crm.marketing_events", "lead_id", "crm.leads", "id"),
    ("crm.marketing_events", "campaign_id", "crm.campaigns", "id"),
    ("crm.quotes", "opportunity_id", "crm.opportunities", "id"),
    ("crm.quotes", "account_id", "crm.accounts", "id"),
    ("crm.quotes", "approved_by", "crm.users", "id"),
    ("crm.orders", "account_id", "crm.accounts", "id"),
    ("crm.orders", "opportunity_id", "crm.opportunities", "id"),
    ("crm.orders", "quote_id", "crm.quotes", "id"),
    ("crm.orders", "owner_id", "crm.users", "id"),
    ("crm.invoices", "order_id", "crm.orders", "id"),
    ("crm.invoices", "account_id", "crm.accounts", "id"),
    ("crm.service_cases", "account_id", "crm.accounts", "id"),
    ("crm.service_cases", "contact_id", "crm.contacts", "id"),
    (
        "wechat_work.follow_info",
        "external_userid",
        "wechat_work.external_contacts",
        "external_userid",
    ),
    ("wechat_work.follow_info", "userid", "wechat_work.follow_users", "userid"),
    ("wechat_work.behavior_daily", "userid", "wechat_work.follow_users", "userid"),
    ("crm.users", "wechat_userid", "wechat_work.follow_users", "userid"),
    ("exhibition.badge_scans", "exhibition_id", "exhibition.exhibitions", "exhibition_id"),
    ("bank.bank_lines", "account_no", "bank.bank_accounts", "account_no"),
    ("truth.payment_links", "line_id", "bank.bank_lines", "line_id"),
    ("truth.payment_links", "invoice_id", "crm.invoices", "id"),
    ("truth.payment_links", "order_id", "crm.orders", "id"),
    ("truth.identities", "person_id", "truth.persons", "person_id"),
    ("truth.persons", "account_key", "truth.accounts", "account_key"),
    ("truth.lead_outcomes", "lead_id", "crm.leads", "id"),
    ("truth.lead_outcomes", "person_id", "truth.persons", "person_id"),
    ("truth.lead_touches", "lead_id", "crm.leads", "id"),
    ("truth.account_identities", "source_id", "crm.accounts", "id"),
    ("truth.account_identities", "account_key", "truth.accounts", "account_key"),
]
PRIMARY_KEYS = {
    **{f"crm.{t}": ["id"] for t in ALL_SYSTEM_TABLES["crm"]},
    "wechat_work.external_contacts": ["external_userid"],
    "wechat_work.follow_info": ["external_userid", "userid"],
    "wechat_work.follow_users": ["userid"],
    "wechat_work.behavior_daily": ["userid", "stat_date"],
    "sem.baidu_leads": ["clue_id"],
    "sem.douyin_clues": ["clue_id"],
    "sem.baidu_keyword_daily": ["date", "keyword_id"],
    "sem.douyin_promotion_daily": ["stat_date", "promotion_id"],
    "exhibition.exhibitions": ["exhibition_id"],
    "exhibition.badge_scans": ["scan_id"],
    "bank.bank_accounts": ["account_no"],
    "bank.bank_lines": ["line_id"],
    "truth.persons": ["person_id"],
    "truth.accounts": ["account_key"],
    "truth.identities": ["source_system", "source_table", "source_id"],
    "truth.lead_outcomes": ["lead_id"],
    "truth.payment_links": ["line_id", "invoice_id"],
    "truth.fx_rates": ["date", "currency"],
}


def _view(name: str) -> str:
    return name.replace(".", "_")


@pytest.mark.parametrize(
    ("child", "column", "parent", "key"),
    FOREIGN_KEYS,
    ids=[f"{c}.{col}" for c, col, _, _ in FOREIGN_KEYS],
)
def test_foreign_key_points_at_existing_row(
    con: duckdb.DuckDBPyConnection, child: str, column: str, parent: str, key: str
) -> None:
    orphans = con.execute(
        f"select count(*) from {_view(child)} c where c.{column} is not null and not exists "
        f"(select 1 from {_view(parent)} p where p.{key} = c.{column})"
    ).fetchone()[0]
    assert orphans == 0


@pytest.mark.parametrize("name", list(PRIMARY_KEYS))
def test_primary_key_is_unique_and_present(con: duckdb.DuckDBPyConnection, name: str) -> None:
    cols = ", ".join(PRIMARY_KEYS[name])
    not_null = " and ".join(f"{c} is not null" for c in PRIMARY_KEYS[name])
    total, distinct = con.execute(
        f"select count(*), count(distinct ({cols})) from {_view(name)} where {not_null}"
    ).fetchone()
    assert total == distinct == con.execute(f"select count(*) from {_view(name)}").fetchone()[0]


def test_campaign_external_ids_point_at_source_objects(con: duckdb.DuckDBPyConnection) -> None:
    missing = con.execute("""
        select count(*) from crm_campaigns c
        where (c.channel = 'sem' and c.external_id not in
                 (select cast(campaign_id as varchar) from sem_baidu_keyword_daily))
           or (c.channel = 'douyin' and c.external_id not in
                 (select cast(promotion_id as varchar) from sem_douyin_promotion_daily))
           or (c.channel = 'exhibition' and c.external_id not in
                 (select exhibition_id from exhibition_exhibitions))
    """).fetchone()[0]
    assert missing == 0


def test_ad_leads_carry_clue_id_and_click_id(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute("""
        select count(*), count(b.clue_id), count(*) filter (where b.bd_vid = l.click_id)
        from crm_leads l left join sem_baidu_leads b on b.clue_id = l.external_lead_id
        where l.source_channel = 'sem'
    """).fetchone()
    assert rows[0] > 0 and rows[0] == rows[1] == rows[2]
    dy = con.execute("""
        select count(*), count(d.clue_id) from crm_leads l
        left join sem_douyin_clues d on d.clue_id = l.external_lead_id
        where l.source_channel = 'douyin'
    """).fetchone()
    assert dy[0] > 0 and dy[0] == dy[1]
    ex = con.execute("""
        select count(*), count(distinct l.id) filter (where s.badge_id is not null)
        from crm_leads l left join exhibition_badge_scans s on s.badge_id = l.external_lead_id
        where l.source_channel = 'exhibition'
    """).fetchone()
    assert (
        ex[0] > 0
        and ex[1]
        == con.execute(
            "select count(*) from crm_leads where source_channel = 'exhibition'"
        ).fetchone()[0]
    )


def test_keyword_report_covers_every_baidu_lead(con: duckdb.DuckDBPyConnection) -> None:
    short = con.execute("""
        with leads as (
            select keyword_id, cast(commit_time at time zone 'Asia/Shanghai' as date) as day,
                   count(*) as n
            from sem_baidu_leads group by all
        )
        select count(*) from leads l left join sem_baidu_keyword_daily r
            on r.keyword_id = l.keyword_id and r.date = l.day
        where coalesce(r.click, 0) < l.n
    """).fetchone()[0]
    assert short == 0


def test_history_stays_inside_the_window(con: duckdb.DuckDBPyConnection) -> None:
    for view, column in (
        ("crm_leads", "created_at"),
        ("crm_marketing_events", "occurred_at"),
        ("crm_activities", "occurred_at"),
        ("wechat_work_follow_info", "createtime"),
    ):
        lo, hi = con.execute(f"select min({column}), max({column}) from {view}").fetchone()
        assert str(lo) >= "2024-12-31 16:00", view
        assert str(hi) < "2026-10-31 16:00", view


def test_repeat_scans_of_a_badge_are_distinct_scans(con: duckdb.DuckDBPyConnection) -> None:
    badges_scanned_again, same_instant = con.execute(
        "select count(*) filter (where scans > 1), count(*) filter (where scans > times) "
        "from (select badge_id, count(*) as scans, count(distinct scanned_at) as times "
        "from exhibition_badge_scans group by exhibition_id, badge_id)"
    ).fetchone()
    assert badges_scanned_again > 0  # the world does hold real duplicate scans
    assert same_instant == 0  # but never two at the same instant, which would be one scan
