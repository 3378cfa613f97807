"""The Dagster code location loads, and its raw assets join the dbt sources by key."""

import pytest
from dagster import AssetKey

from ingestion.sources import SOURCE_NAMES
from orchestration.lib.dlt_translation import WAREHOUSE_POOL

# The raw tables each source must expose as assets (a contract with the dbt sources).
EXPECTED_RAW_TABLES = {
    "crm": {
        "users",
        "campaigns",
        "accounts",
        "contacts",
        "leads",
        "opportunities",
        "opportunity_stage_history",
        "activities",
        "marketing_events",
        "quotes",
        "orders",
        "invoices",
        "service_cases",
    },
    "wechat_work": {"follow_users", "external_contacts", "contact_follow_users", "behavior_daily"},
    "sem": {"baidu_keyword_daily", "baidu_leads", "douyin_promotion_daily", "douyin_clues"},
    "exhibition": {"badge_scans", "files"},
    "bank": {"files", "statements", "transactions"},
}


@pytest.fixture(scope="module")
def defs(tmp_path_factory: pytest.TempPathFactory):
    import os

    os.environ["SALESDW_HOME"] = str(tmp_path_factory.mktemp("home"))
    from orchestration.definitions import defs

    return defs


def test_every_raw_table_is_an_asset_keyed_for_dbt(defs):
    keys = {key for assets in defs.assets for key in assets.keys}
    for source in SOURCE_NAMES:
        expected = {AssetKey([f"raw_{source}", table]) for table in EXPECTED_RAW_TABLES[source]}
        assert expected <= keys, (
            f"{source}: missing {sorted(k.to_user_string() for k in expected - keys)}"
        )


def test_every_warehouse_writer_is_in_the_single_writer_pool(defs):
    for assets in defs.assets:
        assert assets.op.pool == WAREHOUSE_POOL, assets.op.name


def test_ingest_all_job_selects_every_source(defs):
    job = defs.get_job_def("ingest_all")
    selected = {key.path[0] for key in job.asset_layer.selected_asset_keys}
    assert selected == {f"raw_{source}" for source in SOURCE_NAMES}
