"""The ground truth agrees with what the source systems hold."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import duckdb
import pytest

from sandbox.schema import CHANNELS

CHINA = ZoneInfo("Asia/Shanghai")
_FULL_DIGITS = str.maketrans({chr(0xFF10 + d): str(d) for d in range(10)})


def phone_digits(raw: str | None) -> str | None:
    """A minimal normaliser: full-width to ASCII, strip non-digits and the 86 / 0086 prefix."""
    if raw is None:
        return None
    digits = re.sub(r"\D", "", raw.translate(_FULL_DIGITS))
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) in (11, 10, 12):
            digits = digits[len(prefix) :]
            break
    if re.fullmatch(r"1[3-9]\d{9}", digits) or re.fullmatch(r"0?\d{2,3}[2-8]\d{7}", digits):
        return digits
    return None


def test_funnel_flags_agree_exactly_with_crm_columns(con: duckdb.DuckDBPyConnection) -> None:
    mismatches = con.execute("""
        select count(*) from truth_lead_outcomes t
        join crm_leads l on l.id = t.lead_id
        left join crm_opportunities o on o.id = l.converted_opportunity_id
        where t.is_mql <> (l.mql_at is not null)
           or t.is_sql <> (l.sql_at is not null)
           or t.has_opportunity <> (l.converted_opportunity_id is not null)
           or t.has_opportunity <> (l.status = 'converted')
           or t.has_opportunity <> (l.converted_at is not null)
           or t.is_won <> coalesce(o.is_won, false)
           or (t.is_won and not t.will_win)
           or t.is_opportunity_open <> coalesce(not o.is_closed, false)
    """).fetchone()[0]
    assert mismatches == 0
    assert (
        con.execute("select count(*) from truth_lead_outcomes").fetchone()[0]
        == con.execute("select count(*) from crm_leads").fetchone()[0]
    )


def test_funnel_nests_and_timestamps_increase(con: duckdb.DuckDBPyConnection) -> None:
    bad = con.execute("""
        select count(*) from crm_leads
        where (sql_at is not null and mql_at is null)
           or (converted_at is not null and sql_at is null)
           or mql_at < created_at or sql_at < mql_at or converted_at < sql_at
           or (sql_at is not null and first_response_at is null)
    """).fetchone()[0]
    assert bad == 0


def test_first_response_is_the_first_rep_activity(con: duckdb.DuckDBPyConnection) -> None:
    bad = con.execute("""
        with first as (
            select lead_id, min(occurred_at) as first_at from crm_activities
            where lead_id is not null group by lead_id
        )
        select count(*) from crm_leads l left join first f on f.lead_id = l.id
        where f.first_at is distinct from l.first_response_at
    """).fetchone()[0]
    assert bad == 0


def test_opportunity_stage_history_moves_forward(con: duckdb.DuckDBPyConnection) -> None:
    bad = con.execute("""
        with ranked as (
            select opportunity_id, created_at, stage,
                   lag(created_at) over (partition by opportunity_id order by created_at, id)
                       as previous_at
            from crm_opportunity_stage_history
        )
        select count(*) from ranked where created_at < previous_at
    """).fetchone()[0]
    assert bad == 0
    last_stage_differs = con.execute("""
        select count(*) from crm_opportunities o
        join (select opportunity_id, arg_max(stage, created_at) as stage
              from crm_opportunity_stage_history group by 1) h on h.opportunity_id = o.id
        where h.stage <> o.stage
    """).fetchone()[0]
    assert last_stage_differs == 0


def test_quote_approval_follows_discount_authority(con: duckdb.DuckDBPyConnection) -> None:
    bad = con.execute("""
        select count(*) from crm_quotes q
        left join crm_users u on u.id = q.approved_by
        where q.approval_level <> case when q.discount_pct > 30 then 'vp'
                                       when q.discount_pct > 20 then 'director'
                                       when q.discount_pct > 10 then 'manager' else 'rep' end
           or (q.approval_level <> 'rep' and u.role <> q.approval_level)
    """).fetchone()[0]
    assert bad == 0


def test_fully_paid_invoices_sum_to_their_amount_within_the_fee(
    con: duckdb.DuckDBPyConnection,
) -> None:
    rows = con.execute("""
        select i.id, i.amount, sum(p.amount) filter (where p.kind <> 'refund') as paid,
               bool_or(p.kind = 'partial') as partial
        from truth_payment_links p join crm_invoices i on i.id = p.invoice_id
        group by i.id, i.amount
    """).fetchall()
    assert rows
    for _, amount, paid, partial in rows:
        if partial:
            assert paid <= amount
        else:
            assert amount - 60 <= paid <= amount
    cancelled_paid = con.execute("""
        select count(*) from truth_payment_links p join crm_invoices i on i.id = p.invoice_id
        where i.status = 'cancelled'
    """).fetchone()[0]
    assert cancelled_paid == 0


def test_links_explain_each_bank_line_amount(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute("""
        select l.line_id, l.amount, l.currency, sum(p.amount) as linked, any_value(f.rate_to_cny)
        from bank_bank_lines l join truth_payment_links p on p.line_id = l.line_id
        left join truth_fx_rates f on f.date = l.booking_date and f.currency = l.currency
        group by l.line_id, l.amount, l.currency
    """).fetchall()
    for _, amount, currency, linked, rate in rows:
        if currency == "CNY":
            assert linked == amount
        else:
            assert abs(float(amount) * float(rate) - float(linked)) <= max(
                1.0, 0.002 * abs(float(linked))
            )


def test_order_of_each_link_is_the_invoice_order(con: duckdb.DuckDBPyConnection) -> None:
    bad = con.execute("""
        select count(*) from truth_payment_links p join crm_invoices i on i.id = p.invoice_id
        where i.order_id <> p.order_id
    """).fetchone()[0]
    assert bad == 0


SOURCES = [
    ("crm", "leads", "crm_leads", "id"),
    ("crm", "contacts", "crm_contacts", "id"),
    ("wechat_work", "external_contacts", "wechat_work_external_contacts", "external_userid"),
    ("sem", "baidu_leads", "sem_baidu_leads", "clue_id"),
    ("sem", "douyin_clues", "sem_douyin_clues", "clue_id"),
    ("exhibition", "badge_scans", "exhibition_badge_scans", "badge_id"),
]


@pytest.mark.parametrize(("system", "table", "view", "column"), SOURCES)
def test_identities_cover_every_source_record(
    con: duckdb.DuckDBPyConnection, system: str, table: str, view: str, column: str
) -> None:
    missing, distinct = con.execute(f"""
        select count(*) filter (where t.source_id is null), count(distinct s.{column})
        from (select distinct {column} from {view}) s
        left join truth_identities t on t.source_system = '{system}'
            and t.source_table = '{table}' and t.source_id = s.{column}
    """).fetchone()
    assert distinct > 0
    assert missing == 0
    assert (
        con.execute(f"""select count(*) from truth_identities where source_system = '{system}'
        and source_table = '{table}'""").fetchone()[0]
        == distinct
    )


def test_defects_are_exactly_the_unparseable_records(con: duckdb.DuckDBPyConnection) -> None:
    defects = {
        (t, r) for t, r in con.execute('select "table", record_id from truth_defects').fetchall()
    }
    assert defects
    for table, view, key, column in (
        ("baidu_leads", "sem_baidu_leads", "clue_id", "clue_phone_number"),
        ("douyin_clues", "sem_douyin_clues", "clue_id", "telephone"),
    ):
        for record_id, phone in con.execute(f"select {key}, {column} from {view}").fetchall():
            assert (phone_digits(phone) is None) == ((table, record_id) in defects), phone
    scans = con.execute("""
        select s.scan_id, s.mobile, s.email, s.scanned_at, e.start_date, e.end_date
        from exhibition_badge_scans s join exhibition_exhibitions e using (exhibition_id)
    """).fetchall()
    for scan_id, mobile, email, scanned_at, start, end in scans:
        unusable = phone_digits(mobile) is None and email is None
        impossible = not start <= scanned_at.astimezone(CHINA).date() <= end
        assert (unusable or impossible) == (("badge_scans", scan_id) in defects), scan_id


def test_identity_traps_exist_but_truth_stays_exact(con: duckdb.DuckDBPyConnection) -> None:
    shared = con.execute("""
        select count(*) from (
            select lower(trim(email)) as e from crm_leads where email is not null
            group by e having count(distinct id) > 1)
    """).fetchone()[0]
    generic = con.execute(
        "select count(*) from crm_leads where lower(trim(email)) like 'info@%'"
    ).fetchone()[0]
    assert generic > 0 and shared >= 0
    one_person = con.execute("""
        select count(*) from (select source_system, source_table, source_id
            from truth_identities group by all having count(distinct person_id) > 1)
    """).fetchone()[0]
    assert one_person == 0


def test_touch_counts_can_be_recomputed_from_the_systems(con: duckdb.DuckDBPyConnection) -> None:
    recomputed = con.execute("""
        with ev as (
            select e.lead_id, c.channel, e.event_type from crm_marketing_events e
            left join crm_campaigns c on c.id = e.campaign_id where e.lead_id is not null
        ),
        counted as (
            select lead_id, 'sem' as channel, count(*) as n from ev
            where event_type = 'page_view' and channel = 'sem' group by all
            union all
            select lead_id, 'email', count(*) from ev where event_type = 'email_click' group by all
            union all
            select lead_id, 'website', count(*) from ev
            where event_type in ('download', 'webinar')
               or (event_type = 'form_submit' and channel = 'website') group by all
            union all
            select lead_id, 'sales', count(*) from crm_activities
            where type in ('call', 'visit', 'meeting') and lead_id is not null group by all
        )
        select count(*) from counted c full join
            (select * from truth_lead_touches where channel in ('sem', 'email', 'website', 'sales'))
            t using (lead_id, channel)
        where c.n is distinct from t.touches
    """).fetchone()[0]
    assert recomputed == 0


def test_channel_effects_cover_the_seven_channels(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute("select channel, effect from truth_channel_effects").fetchall()
    assert sorted(c for c, _ in rows) == sorted(CHANNELS)
    assert len({e for _, e in rows}) == len(CHANNELS)  # a strict ranking exists


def test_email_opens_follow_sends_and_clicks_follow_opens(con: duckdb.DuckDBPyConnection) -> None:
    bad = con.execute("""
        with firsts as (
            select lead_id,
                   min(occurred_at) filter (where event_type = 'email_sent') as sent,
                   min(occurred_at) filter (where event_type = 'email_open') as opened,
                   min(occurred_at) filter (where event_type = 'email_click') as clicked
            from crm_marketing_events where lead_id is not null group by lead_id
        )
        select count(*) from firsts
        where (opened is not null and (sent is null or opened < sent))
           or (clicked is not null and (opened is null or clicked < opened))
    """).fetchone()[0]
    assert bad == 0


def test_money_flows_after_the_documents(con: duckdb.DuckDBPyConnection) -> None:
    bad = con.execute("""
        select count(*) from truth_payment_links p
        join crm_invoices i on i.id = p.invoice_id
        join crm_orders o on o.id = i.order_id
        join bank_bank_lines l on l.line_id = p.line_id
        where l.booking_date < i.issued_date or i.issued_date < o.order_date
           or i.due_date <= i.issued_date or o.status = 'cancelled'
    """).fetchone()[0]
    assert bad == 0
    kinds = {k for (k,) in con.execute("select distinct kind from truth_payment_links").fetchall()}
    assert {"full", "partial"} <= kinds
