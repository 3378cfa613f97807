"""Blocking checks on the raw layer: a table whose rejected share passes a threshold fails."""

from collections.abc import Iterator

import duckdb
from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetsDefinition,
    multi_asset_check,
)

from ingestion.common.pipeline import dataset_name
from orchestration.lib.dlt_translation import WAREHOUSE_POOL
from orchestration.resources import SalesdwHome
from quality.rejected_share import rejected_shares

CHECK_NAME = "rejected_share"


def rejected_share_checks(source_name: str, raw_assets: AssetsDefinition):
    """One blocking check per raw table of a source, sharing one read of the warehouse."""
    specs = [
        AssetCheckSpec(
            CHECK_NAME,
            asset=key,
            blocking=True,
            description="Fails when the share of rows rejected by the data contract "
            "passes the threshold (SalesdwHome.max_rejected_share, default 5%).",
        )
        for key in raw_assets.keys
    ]

    @multi_asset_check(
        specs=specs,
        name=f"rejected_share_{source_name}",
        can_subset=True,
        pool=WAREHOUSE_POOL,
    )
    def _check(
        context: AssetCheckExecutionContext, salesdw: SalesdwHome
    ) -> Iterator[AssetCheckResult]:
        keys = [check_key.asset_key for check_key in context.selected_asset_check_keys]
        home = salesdw.home()
        with duckdb.connect(str(home.warehouse), read_only=True) as con:
            shares = rejected_shares(con, dataset_name(source_name), [k.path[-1] for k in keys])
        for key in keys:
            share = shares[key.path[-1]]
            yield AssetCheckResult(
                asset_key=key,
                check_name=CHECK_NAME,
                passed=share.share <= salesdw.max_rejected_share,
                severity=AssetCheckSeverity.ERROR,
                metadata={
                    "loaded_rows": share.loaded,
                    "rejected_rows": share.rejected,
                    "rejected_share": round(share.share, 6),
                    "threshold": salesdw.max_rejected_share,
                    "top_reasons": "; ".join(f"{r} ({n})" for r, n in share.top_reasons) or "-",
                },
            )

    return _check
