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
        "currency_rates",
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


def _dbt_model_keys(defs) -> set[AssetKey]:
    return {key for assets in defs.assets if assets.op.name == "warehouse" for key in assets.keys}


def test_every_dbt_source_is_the_dlt_asset_that_lands_it(defs):
    graph = defs.resolve_asset_graph()
    raw_keys = {
        key for assets in defs.assets if assets.op.name != "warehouse" for key in assets.keys
    }
    staging = [key for key in _dbt_model_keys(defs) if key.path[0] == "staging"]
    assert len(staging) >= 31
    # rejected_rows is a dlt table variant every resource of a source writes, not a
    # resource of its own, so dagster-dlt gives it no asset: its dbt source stands alone.
    for key in (key for key in staging if not key.path[-1].endswith("__rejected_rows")):
        parents = graph.get(key).parent_keys
        # a staging model reads exactly one raw table, and that table is a dlt asset
        assert len(parents) == 1 and parents <= raw_keys, (key.to_user_string(), parents)


def test_every_mart_traces_back_to_raw_tables(defs):
    graph = defs.resolve_asset_graph()
    # seeds (schema reference) are lookup tables maintained in the repository
    not_marts = {"staging", "intermediate", "reference"}
    marts = [key for key in _dbt_model_keys(defs) if key.path[0] not in not_marts]
    assert marts
    for key in marts:
        seen, stack = set(), [key]
        while stack:
            for parent in graph.get(stack.pop()).parent_keys:
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
        assert any(parent.path[0].startswith("raw_") for parent in seen), key.to_user_string()


def test_dbt_tests_are_asset_checks(defs):
    checks = {
        check
        for assets in defs.assets
        if assets.op.name == "warehouse"
        for check in assets.check_keys
    }
    checked_assets = {check.asset_key for check in checks}
    assert AssetKey(["core", "dim_persons"]) in checked_assets
    assert any(check.name.startswith("unique_dim_persons") for check in checks)
