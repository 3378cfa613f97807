"""Type drift and contract rejects when parsing WeChat Work records."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from ingestion.wechat_work.helpers import china_midnight
from ingestion.wechat_work.records import ContactBatch, FieldError, behavior_table, to_int

REF = "POST /cgi-bin/externalcontact/batch/get_by_user cursor="


def element(contact: dict[str, Any] | None = None, **follow: Any) -> dict[str, Any]:
    base_contact = {
        "external_userid": "wmA",
        "name": "张三",
        "type": 1,
        "gender": 1,
        "unionid": "oU1",
    }
    base_follow = {
        "userid": "rep1",
        "createtime": 1700000000,
        "tag_id": ["et1", "et2"],
        "add_way": 1,
    }
    return {
        "external_contact": {**base_contact, **(contact or {})},
        "follow_info": {**base_follow, **follow},
    }


def parse(*elements: dict[str, Any]) -> ContactBatch:
    batch = ContactBatch()
    batch.add_elements(list(elements), REF)
    return batch


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1, 1), ("1", 1), (" 2 ", 2), (2.0, 2), (None, None), ("", None), ("-1", -1)],
)
def test_to_int_accepts_the_drift_real_answers_show(value: Any, expected: int | None) -> None:
    assert to_int(value, "gender") == expected


@pytest.mark.parametrize("value", ["abc", "1.5", 1.5, True, [1], {"a": 1}])
def test_to_int_refuses_what_is_not_an_integer(value: Any) -> None:
    with pytest.raises(FieldError, match="gender"):
        to_int(value, "gender")


def test_string_numbers_are_coerced_to_typed_columns() -> None:
    batch = parse(element({"gender": "2", "type": "1"}, createtime="1700000000", add_way="202"))
    contacts = batch.contacts_table().to_pylist()
    follows = batch.follows_table().to_pylist()
    assert (contacts[0]["gender"], contacts[0]["type"]) == (2, 1)
    assert follows[0]["createtime"] == dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.UTC)
    assert follows[0]["add_way"] == 202
    assert json.loads(follows[0]["tag_ids"]) == ["et1", "et2"]
    assert batch.rejects == []


def test_unknown_add_way_codes_pass_through() -> None:
    assert parse(element(add_way=301)).follows_table().column("add_way").to_pylist() == [301]


def test_unparseable_createtime_rejects_the_follow_row_only() -> None:
    batch = parse(element(createtime="abc"))
    assert batch.contacts_table().num_rows == 1
    assert batch.follows_table().num_rows == 0
    [reject] = batch.rejects
    assert reject["table_name"] == "contact_follow_users"
    assert "createtime 'abc'" in reject["reason"]
    assert json.loads(reject["raw_payload"])["follow_info"]["createtime"] == "abc"
    assert reject["source_ref"] == REF


def test_missing_external_userid_rejects_the_element() -> None:
    bad = element()
    del bad["external_contact"]["external_userid"]
    batch = parse(bad, element({"external_userid": "wmB"}))
    assert batch.contacts_table().column("external_userid").to_pylist() == ["wmB"]
    assert batch.follows_table().column("external_userid").to_pylist() == ["wmB"]
    [reject] = batch.rejects
    assert reject["table_name"] == "external_contacts"
    assert "no external_userid" in reject["reason"]


def test_wrong_type_gender_rejects_the_contact_but_keeps_the_relation() -> None:
    batch = parse(element({"gender": "male"}))
    assert batch.contacts_table().num_rows == 0
    assert batch.follows_table().num_rows == 1
    assert batch.rejects[0]["reason"] == "gender 'male' is not an integer"


def test_omitted_fields_are_null_and_new_fields_land_in_extra_json() -> None:
    batch = parse(element({"external_profile": {"x": 1}, "unionid": None}, wechat_channels={}))
    contact = batch.contacts_table().to_pylist()[0]
    follow = batch.follows_table().to_pylist()[0]
    assert contact["position"] is None and contact["unionid"] is None
    assert json.loads(contact["extra_json"]) == {"external_profile": {"x": 1}}
    assert json.loads(follow["extra_json"]) == {"wechat_channels": {}}
    assert follow["remark"] is None and follow["remark_mobiles"] is None


def test_remark_mobiles_are_kept_raw_and_normalised() -> None:
    follow = parse(element(remark_mobiles=["bad", "138-0013-8000"])).follows_table().to_pylist()[0]
    assert json.loads(follow["remark_mobiles"]) == ["bad", "138-0013-8000"]
    assert json.loads(follow["remark_mobiles_e164"]) == [None, "+8613800138000"]
    assert follow["remark_mobile_e164"] == "+8613800138000"


def test_behavior_days_map_to_china_dates_and_omitted_reply_fields_are_null() -> None:
    day = dt.date(2025, 6, 30)
    rows = [
        {
            "stat_time": china_midnight(day),
            "chat_cnt": 2,
            "message_cnt": "7",
            "reply_percentage": 50.0,
            "avg_reply_time": 3,
            "negative_feedback_cnt": 0,
            "new_apply_cnt": 1,
            "new_contact_cnt": 1,
        },
        {
            "stat_time": china_midnight(day) - 86400,
            "chat_cnt": 0,
            "message_cnt": 0,
            "negative_feedback_cnt": 0,
            "new_apply_cnt": 0,
            "new_contact_cnt": 0,
        },
        {"stat_time": "soon", "chat_cnt": 1},
    ]
    table, rejects = behavior_table("rep1", rows, "ref")
    assert table.column("stat_date").to_pylist() == [day, day - dt.timedelta(days=1)]
    assert table.column("message_cnt").to_pylist() == [7, 0]
    assert table.column("reply_percentage").to_pylist() == [50.0, None]
    assert table.column("avg_reply_time").to_pylist() == [3, None]
    assert [r["table_name"] for r in rejects] == ["behavior_daily"]
    assert "stat_time 'soon'" in rejects[0]["reason"]


def test_clean_days_and_drifting_days_give_the_same_rows() -> None:
    day = dt.date(2025, 6, 1)
    clean = [
        {"stat_time": china_midnight(day), "chat_cnt": 2, "message_cnt": 7, "new_apply_cnt": 1},
        {"stat_time": china_midnight(day) + 86400, "chat_cnt": 1, "reply_percentage": 50},
    ]
    drifting = [dict(clean[0], message_cnt="7"), dict(clean[1], reply_percentage="50")]
    fast, no_rejects = behavior_table("rep1", clean, "ref")
    slow, none_either = behavior_table("rep1", drifting, "ref")
    assert fast.equals(slow)
    assert no_rejects == none_either == []
    assert fast.column("stat_date").to_pylist() == [day, day + dt.timedelta(days=1)]
    # A boolean is not a count, whichever way the page is read.
    _, rejects = behavior_table("rep1", [dict(clean[0], chat_cnt=True)], "ref")
    assert len(rejects) == 1
