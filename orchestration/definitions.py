"""The Dagster code location of salesdw: everything is defined under ``orchestration/defs``."""

from __future__ import annotations

from dagster import Definitions
from dagster_dlt import DagsterDltResource

from orchestration.defs.ingestion import RAW_ASSETS, RAW_CHECKS, ingest_all_job
from orchestration.resources import SalesdwHome

defs = Definitions(
    assets=list(RAW_ASSETS.values()),
    asset_checks=RAW_CHECKS,
    jobs=[ingest_all_job],
    resources={"dlt": DagsterDltResource(), "salesdw": SalesdwHome()},
)
