"""Constants of the WeChat Work source: endpoints, limits, error codes, raw table schemas."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

SOURCE_NAME = "wechat_work"
DEFAULT_BASE_URL = "https://qyapi.weixin.qq.com"

TOKEN_PATH = "/cgi-bin/gettoken"
FOLLOW_USER_LIST_PATH = "/cgi-bin/externalcontact/get_follow_user_list"
BATCH_GET_BY_USER_PATH = "/cgi-bin/externalcontact/batch/get_by_user"
BEHAVIOR_PATH = "/cgi-bin/externalcontact/get_user_behavior_data"

# API limits (SOURCES.md): userid_list <= 100 per call, pages of <= 100 pairs,
# statistics spans of <= 30 days within the last 180 days.
MAX_USERIDS_PER_CALL = 100
PAGE_LIMIT = 100
BEHAVIOR_WINDOW_DAYS = 30
BEHAVIOR_HISTORY_DAYS = 180

# Retries: -1 (busy) up to 3 times; 45009/45033 after a wait (the real block lasts 60 s).
BUSY_RETRIES = 3
RATE_LIMIT_RETRIES = 5
TOKEN_EXPIRY_MARGIN_SECONDS = 300

ERRCODE_BUSY = -1
ERRCODE_TOO_MANY_CONCURRENT = 45033
TOKEN_ERRCODES = frozenset({40014, 42001})
RATE_LIMIT_ERRCODES = frozenset({45009, 45033})

# What each errcode means, for error messages a person can act on.
ERRCODES: dict[int, str] = {
    -1: "system busy (retried up to 3 times)",
    40001: "invalid corpsecret: check sources.wechat_work.corpsecret",
    40013: "invalid corpid: check sources.wechat_work.corpid",
    40014: "invalid access_token (refetched once)",
    40058: "invalid request parameter",
    41001: "access_token missing",
    42001: "access_token expired (refetched once)",
    45009: "API call frequency limit reached (a minute block lasts 60 s, an hour block 60 min)",
    45033: "too many concurrent calls",
    47001: "data format error (the request body is not valid JSON)",
    48002: "the app has no permission for this API",
    60011: "the member or department is outside the app's visibility",
    60020: "this server's IP is not on the app's trusted IP list",
    84061: "no such customer relation",
    84074: "the app has no customer-contact permission",
}

# A crawl hands dlt one Arrow table per this many (customer, follower) pairs.
FLUSH_ROWS = 50_000

TS_UTC = pa.timestamp("us", tz="UTC")


def _field(name: str, dtype: pa.DataType, nullable: bool = True) -> pa.Field:
    return pa.field(name, dtype, nullable=nullable)


EXTERNAL_CONTACTS_SCHEMA = pa.schema(
    [
        _field("external_userid", pa.string(), nullable=False),
        _field("name", pa.string()),
        _field("position", pa.string()),
        _field("avatar", pa.string()),
        _field("corp_name", pa.string()),
        _field("corp_full_name", pa.string()),
        _field("type", pa.int64()),
        _field("gender", pa.int64()),
        _field("unionid", pa.string()),
        _field("extra_json", pa.string()),  # fields the API added that this contract does not name
        _field("_source_system", pa.string(), nullable=False),
    ]
)

CONTACT_FOLLOW_USERS_SCHEMA = pa.schema(
    [
        _field("external_userid", pa.string(), nullable=False),
        _field("userid", pa.string(), nullable=False),
        _field("remark", pa.string()),
        _field("description", pa.string()),
        _field("createtime", TS_UTC),
        _field("tag_ids", pa.string()),  # JSON list of enterprise tag ids
        _field("remark_corp_name", pa.string()),
        _field("remark_mobiles", pa.string()),  # JSON list, as typed
        _field("remark_mobiles_e164", pa.string()),  # JSON list, aligned, null where unparseable
        _field("remark_mobile_e164", pa.string()),  # the first usable one
        _field("add_way", pa.int64()),
        _field("oper_userid", pa.string()),
        _field("state", pa.string()),
        _field("extra_json", pa.string()),
        _field("_source_system", pa.string(), nullable=False),
    ]
)

FOLLOW_USERS_SCHEMA = pa.schema(
    [
        _field("userid", pa.string(), nullable=False),
        _field("_source_system", pa.string(), nullable=False),
    ]
)

BEHAVIOR_DAILY_SCHEMA = pa.schema(
    [
        _field("userid", pa.string(), nullable=False),
        _field("stat_date", pa.date32(), nullable=False),
        _field("chat_cnt", pa.int64()),
        _field("message_cnt", pa.int64()),
        _field("reply_percentage", pa.float64()),
        _field("avg_reply_time", pa.int64()),
        _field("negative_feedback_cnt", pa.int64()),
        _field("new_apply_cnt", pa.int64()),
        _field("new_contact_cnt", pa.int64()),
        _field("_source_system", pa.string(), nullable=False),
    ]
)

# Merge on the primary keys with the upsert strategy: half the load time of
# delete-insert on DuckDB; the source guarantees each key at most once per load.
UPSERT: dict[str, Any] = {"disposition": "merge", "strategy": "upsert"}

# Existing tables keep their columns (new API fields land in extra_json instead);
# new tables (e.g. rejected_rows on the first reject) may appear.
SCHEMA_CONTRACT: dict[str, Any] = {"tables": "evolve", "columns": "freeze", "data_type": "freeze"}
