"""API records → typed Arrow rows and rejects: form_detail, ids, money, China time."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pyarrow as pa

from ingestion.sem.columns import china_time_to_utc
from ingestion.sem.records import (
    clue_page,
    keyword_page,
    notice_page,
    parse_form_detail,
    promotion_page,
    strip_deleted,
    unique_rows,
)

UTC = dt.UTC


def test_form_detail_by_type_then_name() -> None:
    raw = json.dumps(
        [
            {"name": "姓名", "type": "name", "value": " 张伟 "},
            {"name": "电话", "type": "phone", "value": "13800138000"},
            {"name": "公司名称", "type": "text", "value": "上海云帆信息科技有限公司"},
            {"name": "所属行业", "type": "select", "value": "制造业"},
            {"name": "邮箱", "type": "email", "value": "zw@yunfan.cn"},
            {"name": "职务", "type": "text", "value": "IT经理"},
        ],
        ensure_ascii=False,
    )
    assert parse_form_detail(raw) == {
        "name": " 张伟 ",  # values are kept as sent
        "phone": "13800138000",
        "company": "上海云帆信息科技有限公司",
        "email": "zw@yunfan.cn",
        "title": "IT经理",
    }


def test_form_detail_tolerates_odd_shapes() -> None:
    assert parse_form_detail(None) == {}
    assert parse_form_detail("not json [") == {}
    assert parse_form_detail('{"公司": "云帆", "Email": "a@b.cn"}') == {
        "company": "云帆",
        "email": "a@b.cn",
    }
    # Empty values do not hide a later field of the same column.
    twice = [{"name": "姓名", "value": ""}, {"name": "联系人", "value": "李雷"}]
    assert parse_form_detail(twice) == {"name": "李雷"}


def test_strip_deleted() -> None:
    names, deleted = strip_deleted(pa.array(["工业软件[已删除]", "MES", None, "x [已删除] "]))
    assert names.to_pylist() == ["工业软件", "MES", None, "x"]
    assert deleted.to_pylist() == [True, False, None, True]


def _report_row(**changes: object) -> dict:
    row = {
        "date": "2025-01-02",
        "userName": "u",
        "campaignId": 1,
        "campaignName": "c[已删除]",
        "adGroupId": 2,
        "adGroupName": "g",
        "keywordId": 3,
        "wInfoNameStatus": "k",
        "impression": 100,
        "click": 3,
        "cost": 0.29,
    }
    row.update(changes)
    return row


def test_keyword_page_types_and_rejects() -> None:
    rows = [
        _report_row(),
        _report_row(keywordId=4, cost="--"),
        _report_row(keywordId=5, date="2025-02-30"),
        _report_row(keywordId=None),
        _report_row(keywordId=6, cost=12.3, impression="77"),
    ]
    table, rejects = keyword_page(rows, "getReportData p1")
    assert table is not None
    got = table.to_pylist()
    assert [r["keyword_id"] for r in got] == [3, 6]
    assert got[0]["cost"] == Decimal("0.29") and got[1]["cost"] == Decimal("12.30")
    assert got[1]["impression"] == 77
    assert got[0]["campaign_name"] == "c" and got[0]["is_campaign_deleted"] is True
    assert (got[0]["currency"], got[0]["_source_system"]) == ("CNY", "baidu")
    assert table.schema.field("cost").type == pa.decimal128(18, 2)
    assert [r["reason"] for r in rejects] == [
        "unparseable cost '--'",
        "unparseable date '2025-02-30'",
        "missing keyword id",
    ]
    # An intact key names the record; a broken one falls back to the page and place.
    assert [r["source_ref"] for r in rejects] == [
        "getReportData date=2025-01-02 keywordId=4",
        "getReportData p1 row 2",
        "getReportData p1 row 3",
    ]
    assert json.loads(rejects[0]["raw_payload"])["keywordId"] == 4


def _notice(**changes: object) -> dict:
    notice = {
        "clueId": "88",
        "cluePhoneNumber": "138-0013-8000",
        "commitTime": "2025-01-01 08:30:00",
        "formDetail": json.dumps([{"name": "姓名", "type": "name", "value": "王"}]),
        "campaignId": 1,
        "adGroupId": 2,
        "keywordId": 3,
        "keyword": "k[已删除]",
        "bdVid": "v",
        "solutionType": "form",
    }
    notice.update(changes)
    return notice


def test_notice_page_parses_phone_time_and_form() -> None:
    notices = [
        _notice(),
        _notice(clueId="89", cluePhoneNumber="暂无"),
        _notice(clueId="90", commitTime="2025-02-30 25:61:00"),
        _notice(clueId=None),
        _notice(
            clueId="91", cluePhoneNumber=None, formDetail=[{"name": "手机", "value": "13900139000"}]
        ),
    ]
    table, rejects = notice_page(notices, "getNoticeList p1")
    assert table is not None
    got = {r["clue_id"]: r for r in table.to_pylist()}
    assert set(got) == {"88", "91"}
    first = got["88"]
    assert first["commit_time"] == dt.datetime(2025, 1, 1, 0, 30, tzinfo=UTC)
    assert (first["clue_phone_number"], first["phone_e164"]) == ("138-0013-8000", "+8613800138000")
    assert (first["name"], first["keyword"], first["adgroup_id"]) == ("王", "k", 2)
    assert got["91"]["phone_e164"] == "+8613900139000"  # from the form when no clue phone
    assert json.loads(got["91"]["form_detail"]) == [{"name": "手机", "value": "13900139000"}]
    assert [r["reason"] for r in rejects] == [
        "unparseable phone '暂无'",
        "unparseable commit time '2025-02-30 25:61:00'",
        "missing clue id",
    ]


def test_clue_page_normalises_ids_to_text() -> None:
    clues = [
        {
            "clue_id": 7400000000000000123,
            "advertiser_id": "17",
            "promotion_id": 99,
            "create_time_detail": "2025-03-01 12:00:00",
            "telephone": "+86 139 0013 9000",
            "remark_dict": {"公司名称": "云帆"},
            "clue_type": "0",
            "clue_state": 2,
        },
        {
            "clue_id": "7400000000000000124",
            "advertiser_id": 17,
            "promotion_id": "99",
            "create_time": "2025-03-01",
            "telephone": "1.38E+10",
        },
    ]
    table, rejects = clue_page(clues, "clue/get p1")
    assert table is not None
    row = table.to_pylist()[0]
    assert (row["clue_id"], row["advertiser_id"], row["promotion_id"]) == (
        "7400000000000000123",
        "17",
        "99",
    )
    assert row["create_time"] == dt.datetime(2025, 3, 1, 4, 0, tzinfo=UTC)
    assert (row["clue_type"], row["clue_state"], row["phone_e164"]) == (0, 2, "+8613900139000")
    assert json.loads(row["remark_dict"]) == {"公司名称": "云帆"}
    assert row["_source_system"] == "ocean_engine"
    assert [r["reason"] for r in rejects] == ["unparseable phone '1.38E+10'"]


def test_promotion_page_flattens_dimensions_and_metrics() -> None:
    rows = [
        {
            "dimensions": {
                "stat_time_day": "2025-01-05",
                "cdp_promotion_id": "501",
                "cdp_promotion_name": "p",
            },
            "metrics": {"stat_cost": "10.10", "show_cnt": "300", "click_cnt": 4},
        },
        {
            "dimensions": {"stat_time_day": "2025-01-05", "cdp_promotion_id": "502"},
            "metrics": {"stat_cost": "N/A", "show_cnt": "1", "click_cnt": "0"},
        },
    ]
    table, rejects = promotion_page(rows, 17, "report p1")
    assert table is not None
    assert table.to_pylist()[0] | {"_source_system": None} == {
        "stat_date": dt.date(2025, 1, 5),
        "advertiser_id": "17",
        "promotion_id": "501",
        "promotion_name": "p",
        "show_cnt": 300,
        "click_cnt": 4,
        "cost": Decimal("10.10"),
        "currency": "CNY",
        "_source_system": None,
    }
    assert [r["reason"] for r in rejects] == ["unparseable cost 'N/A'"]
    assert json.loads(rejects[0]["raw_payload"])["dimensions"]["cdp_promotion_id"] == "502"


def test_money_is_exact_to_the_cent() -> None:
    cents = [i / 100 for i in range(0, 100_000, 7)]
    rows = [_report_row(keywordId=i, cost=c) for i, c in enumerate(cents)]
    table, rejects = keyword_page(rows, "p")
    assert not rejects and table is not None
    assert table["cost"].to_pylist() == [Decimal(f"{c:.2f}") for c in cents]


def test_china_time_formats() -> None:
    want = dt.datetime(2025, 1, 1, 0, 0, tzinfo=UTC)
    for value in (
        "2025-01-01 08:00:00",
        "2025-01-01T08:00:00",
        "2025-01-01T00:00:00+00:00",
        1735689600,
        "1735689600000",
    ):
        assert china_time_to_utc(value) == want, value


def test_an_empty_page_gives_nothing() -> None:
    assert keyword_page([], "p") == (None, [])
    assert clue_page([], "p") == (None, [])


def test_unique_rows_keeps_the_first_occurrence_across_batches() -> None:
    seen: set = set()
    day = dt.date(2025, 1, 1)
    first = pa.table({"date": pa.array([day, day, day], pa.date32()), "k": [1, 2, 1]})
    second = pa.table({"date": pa.array([day, day], pa.date32()), "k": [2, 3]})
    assert unique_rows(first, ("date", "k"), seen).column("k").to_pylist() == [1, 2]
    assert unique_rows(second, ("date", "k"), seen).column("k").to_pylist() == [3]
    ids = pa.table({"clue_id": ["a", "b", "a"]})
    assert unique_rows(ids, ("clue_id",), set()).num_rows == 2
