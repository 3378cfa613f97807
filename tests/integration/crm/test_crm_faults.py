"""The CRM source under the emulator's faults: it recovers, rejects, or fails clearly."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
import requests
from crm_expectations import expected_phone_rejects, world_table
from crm_harness import CrmLoader
from dlt.pipeline.exceptions import PipelineStepFailed

from ingestion.common.rejects import REJECTED_COLUMNS
from sandbox.emulators.crm.app import MALFORMED_AMOUNT, MALFORMED_DATE, MALFORMED_PHONE

# Small pages make many calls, so every fault fires several times on a small world. Four
# objects cover every kind of field (phone, money, dates, the big events table).
PAGE = 200
OBJECTS = ("leads", "opportunities", "invoices", "marketing_events")


def _world_counts(sandbox) -> dict[str, int]:
    counts = {}
    for name in OBJECTS:
        world = world_table(sandbox, name)
        counts[name] = world.num_rows - len(expected_phone_rejects(world))
    return counts


def _loaded_counts(loader: CrmLoader) -> dict[str, int]:
    return {name: loader.query(f"select count(*) from raw_crm.{name}")[0][0] for name in OBJECTS}


def _assert_complete_without_duplicates(loader: CrmLoader, sandbox) -> None:
    assert _loaded_counts(loader) == _world_counts(sandbox)
    for name in OBJECTS:
        total, distinct = loader.query(f"select count(*), count(distinct id) from raw_crm.{name}")[
            0
        ]
        assert total == distinct, name


def test_an_expired_token_is_refreshed_and_the_load_completes(
    crm_loader: Callable[..., CrmLoader], crm_sandbox
) -> None:
    loader = crm_loader(token_ttl_calls=5)
    loader.run(page_size=PAGE, objects=OBJECTS)
    assert loader.app.fault_counts["expired_token"] >= 3
    assert loader.app.tokens_issued == loader.app.fault_counts["expired_token"] + 1
    _assert_complete_without_duplicates(loader, crm_sandbox)


def test_rate_limits_are_retried(crm_loader: Callable[..., CrmLoader], crm_sandbox) -> None:
    loader = crm_loader(rate_limit_every=4)
    loader.run(page_size=PAGE, objects=OBJECTS)
    assert loader.app.fault_counts["rate_limited"] >= 5
    _assert_complete_without_duplicates(loader, crm_sandbox)


def test_server_errors_are_retried(crm_loader: Callable[..., CrmLoader], crm_sandbox) -> None:
    loader = crm_loader(server_error_every=3)
    loader.run(page_size=PAGE, objects=OBJECTS)
    assert loader.app.fault_counts["server_error"] >= 6  # 500, 502 and 503 twice over
    _assert_complete_without_duplicates(loader, crm_sandbox)


def test_malformed_records_land_in_rejected_rows_with_reasons(
    crm_loader: Callable[..., CrmLoader], crm_sandbox
) -> None:
    loader = crm_loader(malformed_every=7)
    summary = loader.run(page_size=PAGE, objects=OBJECTS)

    malformed = loader.app.malformed_served
    phone_rejects = len(expected_phone_rejects(world_table(crm_sandbox, "leads")))
    assert malformed == loader.app.records_served // 7 > 10
    rows = loader.query("select table_name, reason, raw_payload from raw_crm.rejected_rows")
    assert summary.rejected_rows == len(rows) == malformed + phone_rejects
    reasons = [reason for _, reason, _ in rows]
    assert sum(r == "missing id" for r in reasons) >= 1
    assert f"unparseable phone in mobile: '{MALFORMED_PHONE}'" in reasons
    assert any(r.startswith("unparseable amount in") and MALFORMED_AMOUNT in r for r in reasons)
    assert any(r.startswith("unparseable date in") and MALFORMED_DATE in r for r in reasons)
    for table_name, reason, payload in rows:
        record = json.loads(payload)
        if reason == "missing id":
            assert "id" not in record
        else:
            assert record["id"]
        assert table_name in OBJECTS
    columns = {
        c
        for (c,) in loader.query(
            "select column_name from information_schema.columns "
            "where table_schema = 'raw_crm' and table_name = 'rejected_rows'"
        )
    }
    assert {c for c in columns if not c.startswith("_dlt")} == set(REJECTED_COLUMNS)
    # Every record is either loaded or rejected: none is lost, none is both.
    loaded = _loaded_counts(loader)
    rejected_per_table = dict(
        loader.query("select table_name, count(*) from raw_crm.rejected_rows group by 1")
    )
    world = {name: world_table(crm_sandbox, name).num_rows for name in OBJECTS}
    assert {n: loaded[n] + rejected_per_table.get(n, 0) for n in OBJECTS} == world


def test_a_dropped_connection_fails_the_run_and_a_rerun_loads_everything_once(
    crm_loader: Callable[..., CrmLoader], crm_sandbox
) -> None:
    loader = crm_loader(drop_connection_after=12)
    with pytest.raises(PipelineStepFailed, match=r"(?i)connection"):
        loader.run(page_size=PAGE, objects=OBJECTS)
    assert loader.app.fault_counts["dropped"] >= 5  # every attempt of the failing request

    answer = requests.post(
        f"{loader.emulator.url}/_sandbox/faults", json={"drop_connection_after": 0}, timeout=10
    )
    assert answer.json()["drop_connection_after"] == 0
    loader.run(page_size=PAGE, objects=OBJECTS)
    _assert_complete_without_duplicates(loader, crm_sandbox)
