"""Parsing CRM records into typed Arrow rows, and the contract's reject rules."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pyarrow as pa
import pytest

from ingestion.common.rejects import REJECTED_TABLE
from ingestion.crm import split_rejects
from ingestion.crm.records import REJECT_COLUMNS, parse_records
from ingestion.crm.schema import arrow_schema
from ingestion.crm.settings import CRM_OBJECTS, CrmField, CrmObject

LEADS = CRM_OBJECTS["leads"]
OPPORTUNITIES = CRM_OBJECTS["opportunities"]
REF = "GET /api/v1/x?cursor=abc"


def _lead(**fields: object) -> dict[str, object]:
    return {
        "id": "L1",
        "updated_at": "2025-03-01T08:00:00.123Z",
        "mobile": "138 0013 8000",
        **fields,
    }


def _opportunity(**fields: object) -> dict[str, object]:
    return {
        "id": "O1",
        "updated_at": "2025-03-01T08:00:00.000Z",
        "amount": "12345.67",
        "currency": "CNY",
        "close_date": "2025-06-30",
        "probability": 50,
        "is_won": False,
        **fields,
    }


def _reasons(table: pa.Table) -> list[str | None]:
    return table["_reject_reason"].to_pylist()


def test_a_good_record_becomes_typed_values() -> None:
    table = parse_records(
        [_opportunity(created_at="2025-02-28T23:59:59.999+08:00")], OPPORTUNITIES, REF
    )
    row = table.to_pylist()[0]
    assert row["amount"] == Decimal("12345.67")
    assert row["close_date"] == dt.date(2025, 6, 30)
    assert row["probability"] == 50 and row["is_won"] is False
    assert row["updated_at"] == dt.datetime(2025, 3, 1, 8, tzinfo=dt.UTC)
    assert row["created_at"] == dt.datetime(2025, 2, 28, 15, 59, 59, 999000, tzinfo=dt.UTC)
    assert row["stage"] is None  # absent field: null, not a reject
    assert row["_source_system"] == "crm" and row["_reject_reason"] is None
    for field in arrow_schema(OPPORTUNITIES):
        assert table.schema.field(field.name).type == field.type


def test_phone_is_kept_raw_and_normalised() -> None:
    table = parse_records(
        [
            _lead(),
            _lead(id="L2", mobile="+86 139-0013-8000"),
            _lead(id="L3", mobile="１３７００１３８０００"),
            _lead(id="L4", mobile=None),
        ],
        LEADS,
        REF,
    )
    assert table["mobile"].to_pylist() == [
        "138 0013 8000",
        "+86 139-0013-8000",
        "１３７００１３８０００",
        None,
    ]
    assert table["mobile_e164"].to_pylist() == [
        "+8613800138000",
        "+8613900138000",
        "+8613700138000",
        None,
    ]
    assert _reasons(table) == [None] * 4


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ({"id": None}, "missing id"),
        ({"id": "  "}, "missing id"),
        (
            {"updated_at": "2025-02-30T00:00:00.000Z"},
            "unparseable timestamp in updated_at: '2025-02-30T00:00:00.000Z'",
        ),
        (
            {"updated_at": "2025-03-01 08:00:00"},  # no zone: not an instant
            "unparseable timestamp in updated_at: '2025-03-01 08:00:00'",
        ),
        ({"close_date": "2025-02-30"}, "unparseable date in close_date: '2025-02-30'"),
        ({"close_date": "30/06/2025"}, "unparseable date in close_date: '30/06/2025'"),
        ({"amount": "N/A"}, "unparseable amount in amount: 'N/A'"),
        ({"amount": "12.345"}, "unparseable amount in amount: '12.345'"),  # would lose a cent
        ({"amount": True}, "unparseable amount in amount: True"),
        ({"probability": "high"}, "unparseable integer in probability: 'high'"),
        ({"probability": 2**40}, f"unparseable integer in probability: {2**40}"),
        ({"is_won": "maybe"}, "unparseable boolean in is_won: 'maybe'"),
    ],
)
def test_contract_breaks_are_marked_with_a_reason(record: dict, reason: str) -> None:
    table = parse_records(
        [_opportunity(), _opportunity(**{"id": "O2", **record})], OPPORTUNITIES, REF
    )
    assert _reasons(table) == [None, reason]
    assert json.loads(table["_reject_payload"][1].as_py())["amount"] == record.get(
        "amount", "12345.67"
    )
    assert table["_reject_ref"][1].as_py() == f"{REF} record 1"


def test_a_missing_id_field_is_a_reject() -> None:
    record = _opportunity()
    del record["id"]
    assert _reasons(parse_records([record], OPPORTUNITIES, REF)) == ["missing id"]


@pytest.mark.parametrize("mobile", ["13x-abc", "400-800-1234", "电话", "12345"])
def test_an_unparseable_phone_is_a_reject(mobile: str) -> None:
    table = parse_records([_lead(mobile=mobile)], LEADS, REF)
    assert _reasons(table) == [f"unparseable phone in mobile: {mobile!r}"]


@pytest.mark.parametrize("mobile", ["", "   ", "13800000000", "00000000000"])
def test_empty_phones_and_no_phone_fillers_are_not_rejects(mobile: str) -> None:
    table = parse_records([_lead(mobile=mobile)], LEADS, REF)
    assert _reasons(table) == [None]
    assert table["mobile"][0].as_py() == mobile and table["mobile_e164"][0].as_py() is None


def test_lenient_forms_a_real_api_sends_are_accepted() -> None:
    table = parse_records(
        [
            _opportunity(amount=1500, probability="75", is_won="true", close_date=""),
            _opportunity(id="O2", amount=" 99.5 ", probability=80.0, is_won=1),
        ],
        OPPORTUNITIES,
        REF,
    )
    assert _reasons(table) == [None, None]
    assert table["amount"].to_pylist() == [Decimal("1500.00"), Decimal("99.50")]
    assert table["probability"].to_pylist() == [75, 80]
    assert table["is_won"].to_pylist() == [True, True]
    assert table["close_date"].to_pylist() == [None, dt.date(2025, 6, 30)]


def test_several_problems_are_all_named() -> None:
    table = parse_records([_opportunity(id=None, amount="N/A")], OPPORTUNITIES, REF)
    assert _reasons(table) == ["missing id; unparseable amount in amount: 'N/A'"]


def test_unknown_fields_pass_through_as_text_and_non_objects_are_rejected() -> None:
    table = parse_records([_lead(region__c="华东", tags=["a", "b"]), "oops"], LEADS, REF)
    assert table["region__c"].to_pylist() == ["华东", None]
    assert table["tags"].to_pylist() == ['["a", "b"]', None]
    assert _reasons(table)[1].startswith("record is not a JSON object")


def test_epoch_millisecond_timestamps_for_crms_that_send_them() -> None:
    obj = CrmObject(
        "x", "x", (CrmField("id", required=True), CrmField("modified", "epoch_ms", required=True))
    )
    table = parse_records(
        [{"id": "a", "modified": 1735689600123}, {"id": "b", "modified": "1735689600000"}], obj, REF
    )
    assert table["modified"].to_pylist() == [
        dt.datetime(2025, 1, 1, 0, 0, 0, 123000, tzinfo=dt.UTC),
        dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
    ]


def test_split_rejects_yields_good_rows_and_rejected_records() -> None:
    table = parse_records([_opportunity(), _opportunity(id="O2", amount="N/A")], OPPORTUNITIES, REF)
    good, rejected = list(split_rejects("opportunities", table, frozenset({"id"})))
    assert good["id"].to_pylist() == ["O1"]
    assert not set(REJECT_COLUMNS) & set(good.schema.names)
    assert not good.schema.field("id").nullable and good.schema.field("amount").nullable
    assert rejected.meta.hints["table_name"] == REJECTED_TABLE
    (record,) = rejected.data
    assert record["table_name"] == "opportunities"
    assert record["reason"] == "unparseable amount in amount: 'N/A'"
    assert json.loads(record["raw_payload"])["id"] == "O2"
    assert record["source_ref"] == f"{REF} record 1"


def test_split_rejects_of_a_clean_page_is_one_table() -> None:
    table = parse_records([_opportunity()], OPPORTUNITIES, REF)
    (good,) = list(split_rejects("opportunities", table))
    assert good.num_rows == 1


def _as_arrow(records: list[dict]) -> pa.StructArray:
    """Read records the way the client's fast path does (Arrow's JSON reader)."""
    import io

    import pyarrow.json as pa_json

    from ingestion.crm.schema import wire_struct

    body = json.dumps({"data": records}).encode()
    schema = pa.schema([pa.field("data", pa.list_(wire_struct(OPPORTUNITIES)))])
    envelope = pa_json.read_json(
        io.BytesIO(body),
        parse_options=pa_json.ParseOptions(
            explicit_schema=schema, unexpected_field_behavior="infer"
        ),
    )
    return envelope.column("data").combine_chunks().flatten()


def test_arrow_read_pages_parse_exactly_like_decoded_ones() -> None:
    records = [
        _opportunity(),
        _opportunity(id=None, amount="N/A", close_date="2025-02-30", owner_id="U1"),
        _opportunity(id="O3", probability=None, is_won=True, region__c="华东"),
        {"id": "O4", "updated_at": "2025-03-01T08:00:00.000+08:00"},
    ]
    by_dicts = parse_records(records, OPPORTUNITIES, REF)
    by_arrow = parse_records(_as_arrow(records), OPPORTUNITIES, REF, lambda: records)
    assert by_arrow.schema == by_dicts.schema
    assert by_arrow.to_pylist() == by_dicts.to_pylist()
    assert _reasons(by_arrow)[1] == (
        "missing id; unparseable amount in amount: 'N/A'; "
        "unparseable date in close_date: '2025-02-30'"
    )
