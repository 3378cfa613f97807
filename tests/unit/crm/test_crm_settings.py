"""The CRM mapping agrees with the sandbox's CRM tables and documents its contracts."""

from __future__ import annotations

import pyarrow as pa
import pytest

from ingestion.crm.schema import arrow_schema, arrow_type, column_hints
from ingestion.crm.settings import CRM_OBJECTS, FINANCE_OBJECTS
from sandbox.schema import CRM_TABLES


def test_every_sandbox_object_is_mapped() -> None:
    assert set(CRM_OBJECTS) == set(CRM_TABLES)


@pytest.mark.parametrize("name", sorted(CRM_TABLES))
def test_fields_and_types_match_the_sandbox_tables(name: str) -> None:
    obj = CRM_OBJECTS[name]
    assert [f.name for f in obj.fields] == CRM_TABLES[name].names
    for field in obj.fields:
        assert arrow_type(field) == CRM_TABLES[name].field(field.name).type, field.name
    assert obj.primary_key == "id" and obj.cursor_field == "updated_at"
    assert obj.endpoint == f"api/v1/{name}"


def test_phones_get_an_e164_column_and_every_table_its_source_system() -> None:
    leads = arrow_schema(CRM_OBJECTS["leads"])
    assert leads.field("mobile_e164").type == pa.string()
    assert leads.names.index("mobile_e164") == leads.names.index("mobile") + 1
    assert leads.names[-1] == "_source_system"
    hints = column_hints(CRM_OBJECTS["leads"])
    assert hints["id"]["primary_key"] and hints["id"]["nullable"] is False
    assert hints["updated_at"] == {
        "name": "updated_at",
        "data_type": "timestamp",
        "timezone": True,
        "nullable": False,
        "dedup_sort": "desc",
    }


def test_finance_objects_freeze_their_columns_and_the_rest_evolve() -> None:
    assert {"orders", "invoices", "currency_rates"} == FINANCE_OBJECTS
    for name, obj in CRM_OBJECTS.items():
        if name in FINANCE_OBJECTS:
            assert obj.schema_contract["columns"] == "freeze"
        else:
            assert obj.schema_contract == "evolve"


def test_rejects_are_split_off_after_the_incremental_step() -> None:
    from ingestion.crm import crm_source

    source = crm_source(base_url="http://crm.invalid", client_id="-", client_secret="-")
    for resource in source.resources.values():
        steps = [type(step).__name__ for step in resource._pipe.steps]
        assert steps[1:] == ["IncrementalResourceWrapper", "_SplitRejectsStep"], steps
