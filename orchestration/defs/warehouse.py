"""The dbt project as Dagster assets: every model, seed and snapshot, dbt tests as checks."""

from dagster import AssetExecutionContext
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.lib.dbt_project import DBT_PROJECT, ensure_manifest
from orchestration.lib.dbt_translation import WarehouseTranslator
from orchestration.lib.dlt_translation import WAREHOUSE_POOL


@dbt_assets(
    manifest=ensure_manifest(),
    project=DBT_PROJECT,
    dagster_dbt_translator=WarehouseTranslator(),
    pool=WAREHOUSE_POOL,
    name="warehouse",
)
def warehouse_models(context: AssetExecutionContext, dbt: DbtCliResource):
    """Build (run and test) the selected dbt nodes in dependency order."""
    yield from dbt.cli(["build"], context=context).stream()
