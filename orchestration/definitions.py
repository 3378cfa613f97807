"""The Dagster code location of salesdw: everything is defined under ``orchestration/defs``."""

from __future__ import annotations

from dagster import Definitions
from dagster_dbt import DbtCliResource
from dagster_dlt import DagsterDltResource

from orchestration.defs.ingestion import RAW_ASSETS, RAW_CHECKS, ingest_all_job
from orchestration.defs.warehouse import warehouse_models
from orchestration.lib.dbt_project import DBT_PROJECT, dbt_executable
from orchestration.resources import SalesdwHome

defs = Definitions(
    assets=[*RAW_ASSETS.values(), warehouse_models],
    asset_checks=RAW_CHECKS,
    jobs=[ingest_all_job],
    resources={
        "dlt": DagsterDltResource(),
        "dbt": DbtCliResource(
            project_dir=DBT_PROJECT,
            profiles_dir=str(DBT_PROJECT.profiles_dir),
            dbt_executable=dbt_executable(),
        ),
        "salesdw": SalesdwHome(),
    },
)
