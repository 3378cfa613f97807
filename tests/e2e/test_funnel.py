"""The funnel marts `salesdw demo` builds, checked against the sandbox's ground truth.

Each test opens the demo warehouse read-only and calls a check that takes a connection
and the truth folder, so the same checks run by hand against any built warehouse.
"""

from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.slow

FLAGS = ("is_mql", "is_sql", "has_opportunity", "is_won")


def _truth(home: Path) -> Path:
    return home / "sandbox" / "truth" / "lead_outcomes.parquet"


def _connect(home: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)


def _counts_by_channel(con: duckdb.DuckDBPyConnection, relation: str, columns: str) -> dict:
    rows = con.execute(
        f"select source_channel, {columns} from {relation} group by source_channel"
    ).fetchall()
    return {row[0]: tuple(int(value) for value in row[1:]) for row in rows}


def truth_counts(con: duckdb.DuckDBPyConnection, truth: Path) -> dict:
    """Leads, MQL, SQL, opportunities and wins per source channel in the truth."""
    flags = ", ".join(f"count(*) filter (where {flag})" for flag in FLAGS)
    return _counts_by_channel(con, f"read_parquet('{truth}')", f"count(*), {flags}")


def check_lead_counts_per_channel(con: duckdb.DuckDBPyConnection, truth: Path) -> None:
    flags = ", ".join(f"count(*) filter (where {flag})" for flag in FLAGS)
    ours = _counts_by_channel(con, "funnel.fct_leads", f"count(*), {flags}")
    assert ours == truth_counts(con, truth)


def check_funnel_daily_sums_to_the_truth(con: duckdb.DuckDBPyConnection, truth: Path) -> None:
    ours = _counts_by_channel(
        con,
        "funnel.fct_funnel_daily",
        "sum(leads), sum(mql_leads), sum(sql_leads), sum(opportunity_leads), sum(won_leads)",
    )
    assert ours == truth_counts(con, truth)


def check_every_lead_has_the_truth_flags(con: duckdb.DuckDBPyConnection, truth: Path) -> None:
    differs = " or ".join(f"ours.{flag} is distinct from truth.{flag}" for flag in FLAGS)
    wrong = con.execute(
        f"select count(*) from read_parquet('{truth}') as truth "
        "full join funnel.fct_leads as ours on ours.lead_id = truth.lead_id "
        f"where ours.lead_id is null or truth.lead_id is null or {differs} "
        "or ours.source_channel is distinct from truth.source_channel"
    ).fetchone()[0]
    assert wrong == 0


def check_last_snapshot_of_a_closed_deal_is_its_close(con: duckdb.DuckDBPyConnection) -> None:
    closed, wrong = con.execute(
        "with last_days as ("
        "  select *, row_number() over ("
        "    partition by opportunity_id order by snapshot_date desc) as day_rank"
        "  from funnel.fct_opportunity_daily_snapshots) "
        "select count(*), count(*) filter (where last_days.opportunity_id is null"
        "  or last_days.stage <> opportunities.stage"
        "  or not last_days.is_closed"
        "  or last_days.is_won <> opportunities.is_won"
        "  or last_days.amount <> opportunities.amount"
        "  or last_days.snapshot_date"
        "    <> cast(timezone('Asia/Shanghai', opportunities.closed_at) as date)) "
        "from staging.stg_crm__opportunities as opportunities "
        "left join last_days on last_days.opportunity_id = opportunities.opportunity_id"
        "  and last_days.day_rank = 1 "
        "where opportunities.is_closed and not opportunities.is_deleted"
    ).fetchone()
    assert closed > 0
    assert wrong == 0


def check_one_snapshot_per_deal_and_day(con: duckdb.DuckDBPyConnection) -> None:
    rows, keys, gaps = con.execute(
        "select count(*), count(distinct (opportunity_id, snapshot_date)), "
        "count(*) filter (where snapshot_date - previous_date <> 1) from ("
        "  select *, lag(snapshot_date) over ("
        "    partition by opportunity_id order by snapshot_date) as previous_date"
        "  from funnel.fct_opportunity_daily_snapshots)"
    ).fetchone()
    assert rows == keys
    assert gaps == 0


def check_stage_spells_are_contiguous(con: duckdb.DuckDBPyConnection) -> None:
    gaps, numbering, current = con.execute(
        "with ordered as ("
        "  select *, lead(entered_at) over w as next_entered_at,"
        "    row_number() over w as position"
        "  from funnel.fct_opportunity_stage_history"
        "  window w as (partition by opportunity_id order by entered_at)) "
        "select"
        "  count(*) filter (where next_entered_at is not null"
        "    and exited_at is distinct from next_entered_at),"
        "  count(*) filter (where position <> spell_number),"
        "  (select count(*) from (select opportunity_id from ordered"
        "    group by opportunity_id having count(*) filter (where is_current) <> 1)) "
        "from ordered"
    ).fetchone()
    assert gaps == 0
    assert numbering == 0
    assert current == 0


def test_lead_counts_per_channel_equal_the_truth(demo_home: Path):
    with _connect(demo_home) as con:
        check_lead_counts_per_channel(con, _truth(demo_home))


def test_funnel_daily_sums_to_the_truth(demo_home: Path):
    with _connect(demo_home) as con:
        check_funnel_daily_sums_to_the_truth(con, _truth(demo_home))


def test_every_lead_has_the_truth_flags(demo_home: Path):
    with _connect(demo_home) as con:
        check_every_lead_has_the_truth_flags(con, _truth(demo_home))


def test_last_snapshot_of_a_closed_deal_is_its_close(demo_home: Path):
    with _connect(demo_home) as con:
        check_last_snapshot_of_a_closed_deal_is_its_close(con)


def test_one_snapshot_per_deal_and_day(demo_home: Path):
    with _connect(demo_home) as con:
        check_one_snapshot_per_deal_and_day(con)


def test_stage_spells_are_contiguous(demo_home: Path):
    with _connect(demo_home) as con:
        check_stage_spells_are_contiguous(con)
