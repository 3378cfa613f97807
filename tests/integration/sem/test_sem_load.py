"""The SEM source against the emulator: every raw table equals the world, incrementally."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal

import pyarrow.compute as pc
import pytest
from sem_expectations import KEYS, defect_ids, expected, mismatches, rows
from sem_harness import RAW_TABLES, Runner, world

from ingestion.sem import sem_source


def _assert_equals_world(run: Runner, table: str, skip: tuple[str, ...] = ()) -> None:
    want_table = expected(run.sandbox_dir, table)
    got_table = run.table(table).select(want_table.column_names)
    want = rows(want_table, KEYS[table])
    got = rows(got_table, KEYS[table])
    for row in want + got:
        for name in skip:
            row.pop(name, None)
    assert len(got) == len(want), table
    assert got == want, mismatches(got, want)


def test_first_run_loads_the_world(loaded: Runner) -> None:
    for table in ("baidu_keyword_daily", "baidu_leads", "douyin_promotion_daily"):
        _assert_equals_world(loaded, table)
    _assert_equals_world(loaded, "douyin_clues", skip=("app_name",))
    # Ocean Engine fills app_name in about 10 minutes after a clue: younger ones lack it.
    young_after = loaded.app.now - dt.timedelta(minutes=loaded.app.late_minutes)
    want = {
        r["clue_id"]: (None if r["create_time"] > young_after else r["app_name"])
        for r in expected(loaded.sandbox_dir, "douyin_clues").to_pylist()
    }
    assert dict(loaded.query("select clue_id, app_name from douyin_clues")) == want


def test_defects_land_in_rejected_rows_with_reasons(loaded: Runner) -> None:
    for table in ("baidu_leads", "douyin_clues"):
        bad = defect_ids(loaded.sandbox_dir, table)
        rejected = loaded.query(
            f"select raw_payload, reason from rejected_rows where table_name = '{table}'"
        )
        assert len(rejected) == len(bad)
        key = "clueId" if table == "baidu_leads" else "clue_id"
        assert {str(json.loads(p)[key]) for p, _ in rejected} == bad
        assert all(reason.startswith("unparseable phone") for _, reason in rejected)
    assert loaded.query("select count(*) from rejected_rows") == [
        (sum(len(defect_ids(loaded.sandbox_dir, t)) for t in RAW_TABLES),)
    ]


def test_cost_totals_equal_to_the_cent(loaded: Runner) -> None:
    for table in ("baidu_keyword_daily", "douyin_promotion_daily"):
        want = pc.sum(world(loaded.sandbox_dir, table)["cost"]).as_py()
        got = loaded.query(f"select sum(cost), min(currency), max(currency) from {table}")[0]
        assert Decimal(got[0]) == want
        assert got[1:] == ("CNY", "CNY")


def test_deleted_objects_lose_the_suffix_and_keep_a_flag(loaded: Runner) -> None:
    deleted = set(loaded.app.store.deleted_keywords.to_pylist())
    flagged = {
        k
        for (k,) in loaded.query(
            "select distinct keyword_id from baidu_keyword_daily where is_keyword_deleted"
        )
    }
    assert flagged == deleted
    for table in ("baidu_keyword_daily", "baidu_leads"):
        assert loaded.query(f"select count(*) from {table} where keyword like '%[已删除]%'") == [
            (0,)
        ]


def test_form_detail_is_parsed(loaded: Runner) -> None:
    forms = {
        r["clue_id"]: json.loads(r["form_detail"])
        for r in world(loaded.sandbox_dir, "baidu_leads").to_pylist()
    }
    parsed = loaded.query("select clue_id, name, company, email from baidu_leads")
    assert parsed
    for clue_id, name, company, email in parsed:
        fields = {f["name"]: f["value"] for f in forms[clue_id]}
        assert name == fields.get("姓名")
        assert company == fields.get("公司名称")
        assert email == (fields.get("邮箱") or None)


def test_reruns_add_nothing_and_new_records_arrive(runner: Callable[..., Runner]) -> None:
    run = runner()
    run.run()
    first = run.counts()
    run.run()
    assert run.counts() == first  # the re-pulled trailing days merge onto themselves
    for table in RAW_TABLES:
        key = ", ".join(KEYS[table])
        distinct = run.query(f"select count(*) from (select distinct {key} from {table})")
        assert distinct == [(first[table],)]
    clues = run.app.add_douyin_clues(3)
    leads = run.app.add_baidu_leads(2)
    run.run()
    after = run.counts()
    assert after["douyin_clues"] == first["douyin_clues"] + 3
    assert after["baidu_leads"] == first["baidu_leads"] + 2
    for table in ("baidu_keyword_daily", "douyin_promotion_daily", "rejected_rows"):
        assert after[table] == first[table]
    ids = ", ".join(f"'{c}'" for c in clues)
    lead_ids = ", ".join(f"'{c}'" for c in leads)
    assert run.query(f"select count(*) from baidu_leads where clue_id in ({lead_ids})") == [(2,)]
    # Created "now": Ocean Engine has not filled app_name in yet...
    young = f"select count(*) from douyin_clues where clue_id in ({ids}) and app_name is null"
    assert run.query(young) == [(3,)]
    # ...a run 15 minutes later picks the late fields up, still adding no rows.
    run.app.advance(15)
    run.run()
    assert run.counts() == after
    assert run.query(young) == [(0,)]


def test_env_vars_configure_the_source(
    runner: Callable[..., Runner], monkeypatch: pytest.MonkeyPatch
) -> None:
    run = runner()
    settings = run.settings()
    for key in (
        "baidu_base_url",
        "baidu_user_name",
        "baidu_access_token",
        "ocean_base_url",
        "ocean_access_token",
        "ocean_advertiser_ids",
        "end_date",
    ):
        monkeypatch.setenv(f"SOURCES__SEM__{key.upper()}", str(settings[key]))
    monkeypatch.setenv("SOURCES__SEM__BACKOFF_SECONDS", "0")
    last = dt.date.fromisoformat(settings["end_date"])
    monkeypatch.setenv("SOURCES__SEM__START_DATE", (last - dt.timedelta(days=40)).isoformat())
    source = sem_source()
    assert set(source.resources) == set(RAW_TABLES)
    run.pipeline.run(source, loader_file_format="parquet")
    days = run.query("select min(date), max(date), count(*) from baidu_keyword_daily")[0]
    assert days[0] >= last - dt.timedelta(days=40) and days[2] > 0
    # Without an Ocean Engine token only the Baidu half is built.
    monkeypatch.delenv("SOURCES__SEM__OCEAN_ACCESS_TOKEN")
    assert set(sem_source().resources) == {"baidu_keyword_daily", "baidu_leads"}
