"""How dlt resources become Dagster assets: keys that dbt sources will join."""

from __future__ import annotations

from dagster import AssetKey, AssetSpec
from dagster_dlt import DagsterDltTranslator
from dagster_dlt.translator import DltResourceTranslatorData

from ingestion.common.pipeline import dataset_name

# The pool of every asset that writes the DuckDB warehouse: DuckDB allows one writer
# process, so the instance limits this pool to one op at a time (see dagster.yaml).
WAREHOUSE_POOL = "duckdb_warehouse"


class RawTableTranslator(DagsterDltTranslator):
    """Keys raw tables as ``raw_<source>/<table>``, the key dagster-dbt gives a dbt source
    named ``raw_<source>`` with that table, so lineage runs unbroken from dlt to the marts."""

    def get_asset_spec(self, data: DltResourceTranslatorData) -> AssetSpec:
        default = super().get_asset_spec(data)
        source_name = data.resource.source_name
        table = str(data.resource.table_name)
        return default.replace_attributes(
            key=AssetKey([dataset_name(source_name), table]),
            deps=[],
            group_name=f"raw_{source_name}",
            description=(
                f"Raw `{table}` from the {source_name} source, loaded by dlt into "
                f"`{dataset_name(source_name)}.{table}` of the warehouse."
            ),
            owners=["team:data-engineering"],
            kinds={"dlt", "duckdb"},
        )
