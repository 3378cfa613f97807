"""How dbt models become Dagster assets: groups by layer and area, owners, kinds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings

# The folder under models/ a node lives in: staging/<source>, intermediate/<area>,
# marts/<area>.
_LAYERS = ("staging", "intermediate", "marts")


class WarehouseTranslator(DagsterDbtTranslator):
    """Groups dbt assets as ``<layer>_<area>`` (``staging_crm``, ``marts_funnel``) so the
    Dagster UI reads as a map of the warehouse; sources keep the ``raw_<source>/<table>``
    keys their dlt assets have."""

    def __init__(self) -> None:
        super().__init__(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        parts = list(dbt_resource_props.get("fqn", []))[1:-1]
        if parts and parts[0] in _LAYERS:
            return "_".join(parts[:2])
        return super().get_group_name(dbt_resource_props)

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> list[str]:
        return ["team:data-engineering"]

    def get_tags(self, dbt_resource_props: Mapping[str, Any]) -> Mapping[str, str]:
        layer = next((part for part in dbt_resource_props.get("fqn", []) if part in _LAYERS), None)
        return {"layer": layer} if layer else {}
