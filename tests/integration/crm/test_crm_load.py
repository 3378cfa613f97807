"""The CRM source against the emulator: full load, types, incremental re-runs, upserts."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import dlt
import pyarrow as pa
import pytest
import requests
from crm_expectations import assert_rows_equal, expected_phone_rejects, world_table
from crm_harness import CrmLoader

from ingestion.common.pipeline import LoadSummary, make_pipeline, run_pipeline
from ingestion.crm import crm_source
from ingestion.crm.schema import arrow_schema, column_hints
from ingestion.crm.settings import CRM_OBJECTS
from ingestion.settings import Home
from sandbox.emulators.base import RunningEmulator
from sandbox.emulators.crm import CLIENT_ID, CLIENT_SECRET, create_app
from sandbox.schema import CRM_TABLES


def _token(url: str) -> dict[str, str]:
    body = {
        "grant_type": "client_credentials",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
    }
    token = requests.post(f"{url}/oauth/token", data=body, timeout=10).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def full_load(
    crm_sandbox: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[CrmLoader, LoadSummary]]:
    """One full load of every object, shared by the read-only checks below."""
    with RunningEmulator(create_app(crm_sandbox)) as emulator:
        loader = CrmLoader(emulator, Home(tmp_path_factory.mktemp("crm_home")))
        yield loader, loader.run()


def test_every_object_loads_equal_to_the_world(
    full_load: tuple[CrmLoader, LoadSummary], crm_sandbox: Path
) -> None:
    loader, summary = full_load
    for name in CRM_TABLES:
        world = world_table(crm_sandbox, name)
        rejected = expected_phone_rejects(world)
        kept = world.filter([i not in rejected for i in world["id"].to_pylist()])
        assert summary.rows_per_table.get(name, 0) == kept.num_rows, name
        assert_rows_equal(kept, loader.table(name), name)
    expected_rejects = sum(
        len(expected_phone_rejects(world_table(crm_sandbox, n))) for n in ("leads", "contacts")
    )
    assert summary.rejected_rows == expected_rejects


def test_raw_columns_are_typed(full_load: tuple[CrmLoader, LoadSummary]) -> None:
    loader, _ = full_load
    types = {
        (table, column): data_type
        for table, column, data_type in loader.query(
            "select table_name, column_name, data_type from information_schema.columns "
            "where table_schema = 'raw_crm'"
        )
    }
    assert types[("opportunities", "id")] == "VARCHAR"
    assert types[("opportunities", "amount")] == "DECIMAL(18,2)"
    assert types[("opportunities", "probability")] == "INTEGER"
    assert types[("opportunities", "close_date")] == "DATE"
    assert types[("opportunities", "is_won")] == "BOOLEAN"
    assert types[("opportunities", "updated_at")] == "TIMESTAMP WITH TIME ZONE"
    assert types[("quotes", "discount_pct")] == "DECIMAL(5,2)"
    assert types[("leads", "mobile")] == "VARCHAR"
    assert types[("leads", "mobile_e164")] == "VARCHAR"
    assert types[("users", "capacity")] == "INTEGER"
    assert types[("users", "_source_system")] == "VARCHAR"
    not_null = {
        column
        for (column,) in loader.query(
            "select column_name from information_schema.columns where table_schema = 'raw_crm' "
            "and table_name = 'leads' and is_nullable = 'NO'"
        )
    }
    assert {"id", "updated_at", "_source_system"} <= not_null


def test_a_second_run_without_changes_adds_nothing(
    full_load: tuple[CrmLoader, LoadSummary],
) -> None:
    loader, first = full_load
    before = {
        name: loader.query(f"select count(*) from raw_crm.{name}")[0][0] for name in CRM_TABLES
    }
    second = loader.run()
    assert first.rows > 0
    assert second.rows_per_table == {}
    assert second.rejected_rows == 0
    after = {
        name: loader.query(f"select count(*) from raw_crm.{name}")[0][0] for name in CRM_TABLES
    }
    assert after == before


def test_upserted_records_arrive_on_the_next_run(
    crm_loader: Callable[..., CrmLoader], crm_sandbox
) -> None:
    loader = crm_loader()
    loader.run(objects=["leads", "opportunities"])
    url, headers = loader.emulator.url, _token(loader.emulator.url)
    new_ids = []
    for i in range(3):
        lead = {
            "name": f"新线索 {i}",
            "company": "上海云帆信息科技有限公司",
            "mobile": f"+86 139-0000-{1000 + i}",
            "source_channel": "website",
            "status": "new",
        }
        answer = requests.post(f"{url}/api/v1/leads", json=lead, headers=headers, timeout=10)
        assert answer.status_code == 201
        new_ids.append(answer.json()["data"]["id"])
    opportunity_id = world_table(crm_sandbox, "opportunities")["id"][0].as_py()
    answer = requests.post(
        f"{url}/api/v1/opportunities",
        headers=headers,
        timeout=10,
        json={"id": opportunity_id, "amount": "98765.43", "stage": "negotiation"},
    )
    assert answer.status_code == 200

    summary = loader.run(objects=["leads", "opportunities"])

    assert summary.rows_per_table == {"leads": 3, "opportunities": 1}
    loaded = loader.query(
        "select id, mobile, mobile_e164, status from raw_crm.leads where id in (?, ?, ?) "
        "order by mobile",
        new_ids,
    )
    assert [row[2] for row in loaded] == ["+8613900001000", "+8613900001001", "+8613900001002"]
    assert {row[0] for row in loaded} == set(new_ids)
    amount, stage = loader.query(
        "select amount, stage from raw_crm.opportunities where id = ?", [opportunity_id]
    )[0]
    assert (str(amount), stage) == ("98765.43", "negotiation")
    leads_in_world = world_table(crm_sandbox, "leads").num_rows
    rejected = len(expected_phone_rejects(world_table(crm_sandbox, "leads")))
    assert loader.query("select count(*) from raw_crm.leads")[0][0] == (
        leads_in_world - rejected + 3
    )


def test_config_comes_from_sources_crm_env_vars(
    crm_loader: Callable[..., CrmLoader], monkeypatch: pytest.MonkeyPatch, crm_sandbox
) -> None:
    loader = crm_loader()
    monkeypatch.setenv("SOURCES__CRM__BASE_URL", loader.emulator.url)
    monkeypatch.setenv("SOURCES__CRM__CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("SOURCES__CRM__CLIENT_SECRET", CLIENT_SECRET)
    source = crm_source(objects=["users"])
    info = loader.pipeline.run(source, loader_file_format="parquet")
    assert not info.has_failed_jobs
    assert os.environ["SOURCES__CRM__BASE_URL"] == loader.emulator.url
    count = loader.query("select count(*) from raw_crm.users")[0][0]
    assert count == world_table(crm_sandbox, "users").num_rows


def test_a_wrong_secret_fails_the_run_with_invalid_client(
    crm_loader: Callable[..., CrmLoader],
) -> None:
    loader = crm_loader()
    with pytest.raises(Exception, match="invalid_client"):
        loader.run(objects=["users"], client_secret="not-the-secret")


def test_a_record_served_twice_in_one_load_keeps_its_latest_version(tmp_path: Path) -> None:
    users = CRM_OBJECTS["users"]
    base = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    # Paging may serve the later version first or last: both orders must keep it.
    versions = [
        {
            "id": f"U{i}",
            "name": name,
            "updated_at": base + dt.timedelta(hours=hours),
            "_source_system": "crm",
        }
        for i in range(1, 5)
        for name, hours in (("old", 0), ("new", 1))[:: 1 if i % 2 else -1]
    ]
    table = pa.Table.from_pylist(versions, schema=arrow_schema(users))
    resource = dlt.resource(
        [table],
        name="users",
        primary_key="id",
        write_disposition="merge",
        columns=column_hints(users),
    )
    pipeline = make_pipeline("crm", Home(tmp_path))
    run_pipeline(pipeline, resource, source_name="crm")
    with pipeline.sql_client() as client:
        assert client.execute_sql("select distinct name from users") == [("new",)]
