"""The WeChat Work connector against the emulator: equal to the world, idempotent, fault-proof."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest
from dlt.pipeline.exceptions import PipelineStepFailed

from ingestion.common.pipeline import LoadSummary, make_pipeline, run_pipeline
from ingestion.settings import Home
from ingestion.wechat_work import wechat_work_source
from ingestion.wechat_work.contacts import member_groups
from sandbox.emulators.base import Faults, RunningEmulator
from sandbox.emulators.wechat_work.app import read_as_of
from sandbox.world.tables import read_system_table

BEHAVIOR_FIELDS = (
    "chat_cnt",
    "message_cnt",
    "reply_percentage",
    "avg_reply_time",
    "negative_feedback_cnt",
    "new_apply_cnt",
    "new_contact_cnt",
)


def load(emulator: RunningEmulator, home: Home, sandbox: Path, **settings: Any) -> LoadSummary:
    settings = {
        "base_url": emulator.url,
        "corpid": "ww_sandbox_corp",
        "corpsecret": "sandbox-secret",
        "today": read_as_of(sandbox).isoformat(),
        "rate_limit_wait": 0.0,
        "busy_wait": 0.0,
        **settings,
    }
    source = wechat_work_source(**settings)
    return run_pipeline(make_pipeline("wechat_work", home), source, source_name="wechat_work")


def rows(home: Home, table: str) -> list[dict[str, Any]]:
    with duckdb.connect(str(home.warehouse), read_only=True) as con:
        cursor = con.execute(f"select * from raw_wechat_work.{table}")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def blank(value: Any) -> Any:
    return None if value in ("", []) else value


def world(sandbox: Path, table: str) -> list[dict[str, Any]]:
    return read_system_table(sandbox, "wechat_work", table).to_pylist()


def expected_contacts(sandbox: Path) -> dict[str, tuple[Any, ...]]:
    followed = {p["external_userid"] for p in world(sandbox, "follow_info")}
    return {
        c["external_userid"]: (
            *(blank(c[k]) for k in ("name", "position", "avatar", "corp_name", "corp_full_name")),
            c["type"],
            c["gender"],
            blank(c["unionid"]) if c["type"] == 1 else None,  # the API sends it for type 1 only
        )
        for c in world(sandbox, "external_contacts")
        if c["external_userid"] in followed
    }


def loaded_contacts(home: Home) -> dict[str, tuple[Any, ...]]:
    fields = ("name", "position", "avatar", "corp_name", "corp_full_name", "type", "gender")
    return {
        c["external_userid"]: (*(c[k] for k in fields), c["unionid"])
        for c in rows(home, "external_contacts")
    }


def expected_follows(sandbox: Path) -> dict[tuple[str, str], tuple[Any, ...]]:
    out = {}
    for p in world(sandbox, "follow_info"):
        tags = json.loads(p["tags_json"]) if p["tags_json"] else []
        out[(p["external_userid"], p["userid"])] = (
            blank(p["remark"]),
            blank(p["description"]),
            p["createtime"].replace(microsecond=0) if p["createtime"] else None,
            blank([t["tag_id"] for t in tags if t.get("tag_id")]),
            blank(p["remark_corp_name"]),
            blank(p["remark_mobiles"]),
            p["add_way"],
            blank(p["oper_userid"]),
            blank(p["state"]),
        )
    return out


def loaded_follows(home: Home) -> dict[tuple[str, str], tuple[Any, ...]]:
    out = {}
    for f in rows(home, "contact_follow_users"):
        out[(f["external_userid"], f["userid"])] = (
            f["remark"],
            f["description"],
            f["createtime"].astimezone(dt.UTC) if f["createtime"] else None,
            json.loads(f["tag_ids"]) if f["tag_ids"] else None,
            f["remark_corp_name"],
            json.loads(f["remark_mobiles"]) if f["remark_mobiles"] else None,
            f["add_way"],
            f["oper_userid"],
            f["state"],
        )
    return out


def assert_contacts_match_world(home: Home, sandbox: Path) -> None:
    assert loaded_contacts(home) == expected_contacts(sandbox)
    assert loaded_follows(home) == expected_follows(sandbox)
    keys = [(f["external_userid"], f["userid"]) for f in rows(home, "contact_follow_users")]
    assert len(keys) == len(set(keys))


def assert_behavior_matches_world(home: Home, sandbox: Path, days: int = 180) -> None:
    today = read_as_of(sandbox)
    oldest = today - dt.timedelta(days=days - 1)
    reps = {u["userid"] for u in world(sandbox, "follow_users")}
    expected = {}
    for r in world(sandbox, "behavior_daily"):
        if r["userid"] in reps and oldest <= r["stat_date"] <= today:
            values = [r[f] for f in BEHAVIOR_FIELDS]
            if not r["chat_cnt"]:  # the API leaves the reply fields out without chats
                values[2] = values[3] = None
            expected[(r["userid"], r["stat_date"])] = tuple(values)
    loaded = {
        (b["userid"], b["stat_date"]): tuple(b[f] for f in BEHAVIOR_FIELDS)
        for b in rows(home, "behavior_daily")
    }
    assert {k: v for k, v in loaded.items() if k in expected} == expected
    # Days the world has no row for are the API's zero days.
    extra = [v for k, v in loaded.items() if k not in expected]
    assert all(v == (0, 0, None, None, 0, 0, 0) for v in extra)
    assert {u for u, _ in loaded} == reps
    assert min(d for _, d in loaded) == oldest and max(d for _, d in loaded) == today


def snapshot(home: Home) -> dict[str, list[tuple[Any, ...]]]:
    tables = ("follow_users", "external_contacts", "contact_follow_users", "behavior_daily")
    return {t: sorted(tuple(map(str, r.values())) for r in rows(home, t)) for t in tables}


def test_full_load_equals_the_world_and_a_rerun_adds_nothing(
    shared_emulator: RunningEmulator, wechat_sandbox: Path, tmp_path: Path
) -> None:
    home = Home(tmp_path)
    calls_before = Counter(shared_emulator.app.calls_by_path)
    first = load(shared_emulator, home, wechat_sandbox)
    assert first.rejected_rows == 0
    # One crawl feeds both contact tables: each member group is paged once, 100 per page.
    pairs = Counter(p["userid"] for p in world(wechat_sandbox, "follow_info"))
    reps = [u["userid"] for u in world(wechat_sandbox, "follow_users")]
    pages = sum(max(1, -(-sum(pairs[u] for u in g) // 100)) for g in member_groups(reps, 4))
    calls = Counter(shared_emulator.app.calls_by_path)
    calls.subtract(calls_before)
    assert calls["/cgi-bin/externalcontact/batch/get_by_user"] == pages
    assert calls["/cgi-bin/externalcontact/get_user_behavior_data"] == 6 * len(reps)
    assert calls["/cgi-bin/externalcontact/get_follow_user_list"] == 1
    assert first.rows_per_table["contact_follow_users"] == len(world(wechat_sandbox, "follow_info"))
    assert sorted(u["userid"] for u in rows(home, "follow_users")) == sorted(
        u["userid"] for u in world(wechat_sandbox, "follow_users")
    )
    assert_contacts_match_world(home, wechat_sandbox)
    assert_behavior_matches_world(home, wechat_sandbox)
    assert {r["_source_system"] for r in rows(home, "external_contacts")} == {"wechat_work"}

    tables = ("follow_users", "external_contacts", "contact_follow_users", "behavior_daily")
    schema = make_pipeline("wechat_work", home).default_schema.tables
    # Nothing to upsert into on the first load: it appends (each key once per run).
    assert {schema[t]["write_disposition"] for t in tables} == {"append"}

    before = snapshot(home)
    second = load(shared_emulator, home, wechat_sandbox)
    assert snapshot(home) == before
    schema = make_pipeline("wechat_work", home).default_schema.tables
    assert {schema[t]["write_disposition"] for t in tables} == {"merge"}
    # Only the trailing days are read again: 3 per rep.
    assert second.rows_per_table["behavior_daily"] == 3 * len(world(wechat_sandbox, "follow_users"))


def test_a_shorter_history_is_respected(
    shared_emulator: RunningEmulator, wechat_sandbox: Path, tmp_path: Path
) -> None:
    home = Home(tmp_path)
    load(shared_emulator, home, wechat_sandbox, behavior_days=45)
    assert_behavior_matches_world(home, wechat_sandbox, days=45)


@pytest.mark.parametrize(
    ("faults", "errcode"),
    [
        (Faults(token_ttl_calls=5), 42001),
        (Faults(rate_limit_every=4), 45009),
        (Faults(server_error_every=5), -1),
    ],
    ids=["token-expiry", "rate-limit", "busy"],
)
def test_transient_errors_are_retried_and_the_load_completes(
    start_emulator: Callable[..., RunningEmulator],
    wechat_sandbox: Path,
    tmp_path: Path,
    faults: Faults,
    errcode: int,
) -> None:
    emulator = start_emulator(faults)
    home = Home(tmp_path)
    load(emulator, home, wechat_sandbox, max_workers=1)
    assert emulator.app.errors_served[errcode] > 0
    if errcode == 42001:
        assert emulator.app.tokens_issued > 1
    assert_contacts_match_world(home, wechat_sandbox)
    assert_behavior_matches_world(home, wechat_sandbox)


def test_malformed_records_go_to_rejected_rows(
    start_emulator: Callable[..., RunningEmulator], wechat_sandbox: Path, tmp_path: Path
) -> None:
    emulator = start_emulator(Faults(malformed_every=7))
    home = Home(tmp_path)
    summary = load(emulator, home, wechat_sandbox)
    pairs = expected_follows(wechat_sandbox)
    rejected = rows(home, "rejected_rows")
    assert summary.rejected_rows == len(rejected) > 0
    # Every pair is either loaded (and right) or rejected with a reason: none is lost.
    follows = loaded_follows(home)
    assert len(follows) + len(rejected) == len(pairs)
    assert all(pairs[key] == value for key, value in follows.items())
    reasons = {r["table_name"]: r["reason"] for r in rejected}
    assert "no external_userid" in reasons["external_contacts"]
    assert "createtime 'abc'" in reasons["contact_follow_users"]
    assert all(json.loads(r["raw_payload"])["follow_info"]["userid"] for r in rejected)

    emulator.app.faults.malformed_every = 0
    load(emulator, home, wechat_sandbox)
    assert_contacts_match_world(home, wechat_sandbox)
    assert len(rows(home, "rejected_rows")) == len(rejected)


def test_a_dropped_connection_fails_the_run_and_a_rerun_completes_without_duplicates(
    start_emulator: Callable[..., RunningEmulator], wechat_sandbox: Path, tmp_path: Path
) -> None:
    emulator = start_emulator(Faults(drop_connection_after=4))
    home = Home(tmp_path)
    with pytest.raises(PipelineStepFailed, match="connection failed without an answer"):
        load(emulator, home, wechat_sandbox)
    emulator.app.faults.drop_connection_after = 0  # the upstream is back
    load(emulator, home, wechat_sandbox)
    assert_contacts_match_world(home, wechat_sandbox)
    assert_behavior_matches_world(home, wechat_sandbox)

    # A crash in the middle of a later run: the next run still ends equal to the world.
    emulator.app.faults.drop_connection_after = emulator.app.data_calls + 8
    with pytest.raises(PipelineStepFailed, match="WeChat Work POST"):
        load(emulator, home, wechat_sandbox, max_workers=1)
    emulator.app.faults.drop_connection_after = 0
    load(emulator, home, wechat_sandbox)
    assert_contacts_match_world(home, wechat_sandbox)
    assert_behavior_matches_world(home, wechat_sandbox)
    behavior_keys = [(b["userid"], b["stat_date"]) for b in rows(home, "behavior_daily")]
    assert len(behavior_keys) == len(set(behavior_keys))


def test_a_first_load_that_died_before_loading_is_finished_then_upserted(
    shared_emulator: RunningEmulator, wechat_sandbox: Path, tmp_path: Path
) -> None:
    home = Home(tmp_path)
    source = wechat_work_source(
        base_url=shared_emulator.url,
        corpid="ww_sandbox_corp",
        corpsecret="sandbox-secret",
        today=read_as_of(wechat_sandbox).isoformat(),
    )
    pipeline = make_pipeline("wechat_work", home)
    pipeline.extract(source, loader_file_format="parquet")
    pipeline.normalize()  # the process dies here: an appending package is not loaded yet
    del pipeline
    load(shared_emulator, home, wechat_sandbox)  # finishes it, then upserts a new crawl
    assert_contacts_match_world(home, wechat_sandbox)
    assert_behavior_matches_world(home, wechat_sandbox)
    keys = [(b["userid"], b["stat_date"]) for b in rows(home, "behavior_daily")]
    assert len(keys) == len(set(keys))
    contacts = [c["external_userid"] for c in rows(home, "external_contacts")]
    assert len(contacts) == len(set(contacts))


def test_settings_resolve_from_env_vars(
    shared_emulator: RunningEmulator,
    wechat_sandbox: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCES__WECHAT_WORK__BASE_URL", shared_emulator.url)
    monkeypatch.setenv("SOURCES__WECHAT_WORK__CORPID", "ww_sandbox_corp")
    monkeypatch.setenv("SOURCES__WECHAT_WORK__CORPSECRET", "sandbox-secret")
    monkeypatch.setenv("SOURCES__WECHAT_WORK__TODAY", read_as_of(wechat_sandbox).isoformat())
    home = Home(tmp_path)
    source = wechat_work_source()
    summary = run_pipeline(make_pipeline("wechat_work", home), source, source_name="wechat_work")
    assert summary.rows_per_table["contact_follow_users"] == len(expected_follows(wechat_sandbox))

    monkeypatch.setenv("SOURCES__WECHAT_WORK__CORPSECRET", "wrong")
    with pytest.raises(PipelineStepFailed, match=r"40001 \(invalid corpsecret"):
        run_pipeline(
            make_pipeline("wechat_work", home), wechat_work_source(), source_name="wechat_work"
        )
