"""Raw layer: one Dagster asset per raw table, loaded by dlt (dagster-dlt)."""

from collections.abc import Iterator
from typing import Any

import duckdb
from dagster import (
    AssetExecutionContext,
    AssetsDefinition,
    AssetSelection,
    MaterializeResult,
    MetadataValue,
    define_asset_job,
)
from dagster_dlt import DagsterDltResource, dlt_assets

from ingestion.common.pipeline import dataset_name, make_pipeline
from ingestion.settings import resolve_home
from ingestion.sources import SOURCE_NAMES, build_placeholder_source, build_source
from orchestration.defs.ingestion_checks import rejected_share_checks
from orchestration.lib.dlt_translation import WAREHOUSE_POOL, RawTableTranslator
from orchestration.resources import SalesdwHome
from quality.rejected_share import table_row_counts


def raw_assets_for(source_name: str) -> AssetsDefinition:
    """The assets of one source: every table its dlt resources load."""

    @dlt_assets(
        dlt_source=build_placeholder_source(source_name),
        dlt_pipeline=make_pipeline(source_name, resolve_home()),
        name=f"ingest_{source_name}",
        dagster_dlt_translator=RawTableTranslator(),
        pool=WAREHOUSE_POOL,
    )
    def _load(
        context: AssetExecutionContext, dlt: DagsterDltResource, salesdw: SalesdwHome
    ) -> Iterator[Any]:
        salesdw.apply_sandbox_endpoints()
        home = salesdw.home()
        results = list(
            dlt.run(
                context=context,
                dlt_source=build_source(source_name, home),
                dlt_pipeline=make_pipeline(source_name, home),
                loader_file_format="parquet",
            )
        )
        # dagster-dlt's fetch_row_count() fails on a table that got no new rows (every
        # idempotent re-run), so the totals are read from the warehouse instead.
        tables = [result.asset_key.path[-1] for result in results]
        with duckdb.connect(str(home.warehouse), read_only=True) as con:
            totals = table_row_counts(con, dataset_name(source_name), tables)
        for result in results:
            table = result.asset_key.path[-1]
            yield MaterializeResult(
                asset_key=result.asset_key,
                metadata={
                    **(result.metadata or {}),
                    "dagster/row_count": MetadataValue.int(totals.get(table, 0)),
                },
            )

    return _load


RAW_ASSETS: dict[str, AssetsDefinition] = {name: raw_assets_for(name) for name in SOURCE_NAMES}
RAW_CHECKS = [rejected_share_checks(name, assets) for name, assets in RAW_ASSETS.items()]

ingest_all_job = define_asset_job(
    "ingest_all",
    selection=AssetSelection.groups(*(f"raw_{name}" for name in SOURCE_NAMES)),
    description="Load every source system into its raw dataset.",
)
