"""The world's WeChat Work tables, precomputed once so serving a page is cheap.

Every external contact and every (customer, follower) pair is rendered to JSON
bytes at start-up, in the shape the real API sends them: empty fields omitted,
``unionid`` only for WeChat users (type 1), and a little type drift that real
responses show (``gender`` as ``"1"``, ``createtime`` and ``add_way`` as digit
strings). A page of ``batch/get_by_user`` is then a join of byte strings.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from sandbox.world.tables import read_system_table

log = logging.getLogger(__name__)

SYSTEM = "wechat_work"
CHINA_TZ = dt.timezone(dt.timedelta(hours=8))
EPOCH_DAY = dt.date(1970, 1, 1)

# Deterministic type drift: which rows render a number as a string (real responses do this).
GENDER_AS_STRING_EVERY = (7, 3)  # contact index % 7 == 3
CREATETIME_AS_STRING_EVERY = (11, 7)  # pair index % 11 == 7
ADD_WAY_AS_STRING_EVERY = (13, 2)  # pair index % 13 == 2

BEHAVIOR_FIELDS = (
    "chat_cnt",
    "message_cnt",
    "reply_percentage",
    "avg_reply_time",
    "negative_feedback_cnt",
    "new_apply_cnt",
    "new_contact_cnt",
)


def _dumps(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()


def compact(record: dict[str, Any]) -> dict[str, Any]:
    """Drop the empty fields (None, "" and []) the real API leaves out."""
    return {k: v for k, v in record.items() if v is not None and v != "" and v != []}


def _drifts(index: int, rule: tuple[int, int]) -> bool:
    return index % rule[0] == rule[1]


def _epoch_seconds(column: pa.ChunkedArray) -> list[int | None]:
    micros = pc.cast(column, pa.int64()).to_pylist()
    return [None if m is None else m // 1_000_000 for m in micros]


def _parse_tags(tags_json: str | None) -> list[dict[str, Any]]:
    if not tags_json:
        return []
    try:
        tags = json.loads(tags_json)
    except ValueError:
        return []
    return [compact(t) for t in tags if isinstance(t, dict)]


def china_day(unix_seconds: int) -> int:
    """Days since 1970-01-01 of the China-time day holding a unix time."""
    return (unix_seconds + 8 * 3600) // 86400


def china_midnight(day: int) -> int:
    """Unix seconds of China-time midnight at the start of a day number."""
    return day * 86400 - 8 * 3600


def day_number(value: dt.date) -> int:
    """Days since 1970-01-01."""
    return (value - EPOCH_DAY).days


@dataclass
class WeChatStore:
    """Serving structures over the wechat_work world tables."""

    follow_userids: list[str]
    contact_index: dict[str, int]
    contact_json: list[bytes]
    contact_records: list[dict[str, Any]]
    pair_userids: list[str]
    pair_contact: list[int]
    pair_follow_json: list[bytes]
    user_ranges: dict[str, tuple[int, int]]
    contact_pairs: dict[str, list[int]]
    follow_table: pa.Table
    pair_rows: list[int]  # pair index -> row of follow_table
    behavior: dict[str, dict[int, tuple[Any, ...]]] = field(default_factory=dict)

    @classmethod
    def load(cls, sandbox_dir: Path) -> WeChatStore:
        """Read the world tables of one sandbox and precompute every response fragment."""
        follow_users = read_system_table(sandbox_dir, SYSTEM, "follow_users")
        contacts = read_system_table(sandbox_dir, SYSTEM, "external_contacts")
        follow = read_system_table(sandbox_dir, SYSTEM, "follow_info")
        behavior = read_system_table(sandbox_dir, SYSTEM, "behavior_daily")

        contact_records, contact_json = _render_contacts(contacts)
        contact_index = {rec["external_userid"]: i for i, rec in enumerate(contact_records)}

        order = pc.sort_indices(
            follow, sort_keys=[("userid", "ascending"), ("external_userid", "ascending")]
        )
        pair_rows = order.to_pylist()
        follow_sorted = follow.take(order)
        pair_userids = follow_sorted.column("userid").to_pylist()
        pair_ext = follow_sorted.column("external_userid").to_pylist()
        pair_contact = [contact_index.get(e, -1) for e in pair_ext]
        pair_follow_json = _render_follow_batch(follow_sorted)

        user_ranges: dict[str, tuple[int, int]] = {}
        for i, userid in enumerate(pair_userids):
            start, _ = user_ranges.get(userid, (i, i))
            user_ranges[userid] = (start, i + 1)
        contact_pairs: dict[str, list[int]] = {}
        for i, ext in enumerate(pair_ext):
            contact_pairs.setdefault(ext, []).append(i)
        for record in contact_records:  # customers without a follower still answer `get`
            contact_pairs.setdefault(record["external_userid"], [])

        store = cls(
            follow_userids=follow_users.column("userid").to_pylist(),
            contact_index=contact_index,
            contact_json=contact_json,
            contact_records=contact_records,
            pair_userids=pair_userids,
            pair_contact=pair_contact,
            pair_follow_json=pair_follow_json,
            user_ranges=user_ranges,
            contact_pairs=contact_pairs,
            follow_table=follow,
            pair_rows=pair_rows,
            behavior=_index_behavior(behavior),
        )
        log.info(
            "wechat_work store: %d follow users, %d contacts, %d pairs, %d behaviour users",
            len(store.follow_userids),
            len(contact_json),
            len(pair_userids),
            len(store.behavior),
        )
        return store

    def element(self, pair: int) -> bytes:
        """One ``external_contact_list`` element of batch/get_by_user as JSON bytes."""
        contact = self.pair_contact[pair]
        contact_json = self.contact_json[contact] if contact >= 0 else b"{}"
        return (
            b'{"external_contact":'
            + contact_json
            + b',"follow_info":'
            + self.pair_follow_json[pair]
            + b"}"
        )

    def follow_user_full(self, pairs: list[int]) -> list[dict[str, Any]]:
        """``follow_user[]`` of externalcontact/get for some pairs: tags with their names."""
        rows = self.follow_table.take([self.pair_rows[p] for p in pairs]).to_pylist()
        out = []
        for row in rows:
            created = row["createtime"]
            out.append(
                compact(
                    {
                        "userid": row["userid"],
                        "remark": row["remark"],
                        "description": row["description"],
                        "createtime": None if created is None else int(created.timestamp()),
                        "tags": _parse_tags(row["tags_json"]),
                        "remark_corp_name": row["remark_corp_name"],
                        "remark_mobiles": row["remark_mobiles"] or [],
                        "oper_userid": row["oper_userid"],
                        "add_way": row["add_way"],
                        "state": row["state"],
                    }
                )
            )
        return out


def _render_contacts(contacts: pa.Table) -> tuple[list[dict[str, Any]], list[bytes]]:
    records: list[dict[str, Any]] = []
    rendered: list[bytes] = []
    for i, row in enumerate(contacts.to_pylist()):
        gender = row["gender"]
        if gender is not None and _drifts(i, GENDER_AS_STRING_EVERY):
            gender = str(gender)
        record = compact(
            {
                "external_userid": row["external_userid"],
                "name": row["name"],
                "position": row["position"],
                "avatar": row["avatar"],
                "corp_name": row["corp_name"],
                "corp_full_name": row["corp_full_name"],
                "type": row["type"],
                "gender": gender,
                # The real API sends unionid only for WeChat users (type 1).
                "unionid": row["unionid"] if row["type"] == 1 else None,
            }
        )
        records.append(record)
        rendered.append(_dumps(record))
    return records, rendered


def _render_follow_batch(follow: pa.Table) -> list[bytes]:
    columns = {name: follow.column(name).to_pylist() for name in follow.column_names}
    createtimes = _epoch_seconds(follow.column("createtime"))
    rendered: list[bytes] = []
    for i in range(follow.num_rows):
        created: int | str | None = createtimes[i]
        if created is not None and _drifts(i, CREATETIME_AS_STRING_EVERY):
            created = str(created)
        add_way: int | str | None = columns["add_way"][i]
        if add_way is not None and _drifts(i, ADD_WAY_AS_STRING_EVERY):
            add_way = str(add_way)
        tag_ids = [t["tag_id"] for t in _parse_tags(columns["tags_json"][i]) if "tag_id" in t]
        rendered.append(
            _dumps(
                compact(
                    {
                        "userid": columns["userid"][i],
                        "remark": columns["remark"][i],
                        "description": columns["description"][i],
                        "createtime": created,
                        "tag_id": tag_ids,
                        "remark_corp_name": columns["remark_corp_name"][i],
                        "remark_mobiles": columns["remark_mobiles"][i] or [],
                        "oper_userid": columns["oper_userid"][i],
                        "add_way": add_way,
                        "state": columns["state"][i],
                    }
                )
            )
        )
    return rendered


def _index_behavior(behavior: pa.Table) -> dict[str, dict[int, tuple[Any, ...]]]:
    """userid -> China day number -> the day's figures in BEHAVIOR_FIELDS order."""
    users = behavior.column("userid").to_pylist()
    days = [
        day_number(d) if d is not None else None for d in behavior.column("stat_date").to_pylist()
    ]
    values = [behavior.column(f).to_pylist() for f in BEHAVIOR_FIELDS]
    index: dict[str, dict[int, tuple[Any, ...]]] = {}
    for i, (userid, day) in enumerate(zip(users, days, strict=True)):
        if userid is None or day is None:
            continue
        index.setdefault(userid, {})[day] = tuple(column[i] for column in values)
    return index
