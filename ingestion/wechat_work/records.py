"""Turn API records into typed columns, tolerating the type drift real answers show.

The API sends numbers as strings now and then (``"gender": "1"``,
``"createtime": "1700000000"``) and leaves empty fields out. Such values are
coerced; a value that cannot be read (``createtime: "abc"``) or a missing key
sends the record to ``rejected_rows`` with a one-sentence reason.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from ingestion.common.normalize.arrays import normalize_phone_array
from ingestion.common.normalize.phone import normalize_phone
from ingestion.common.rejects import rejected_row
from ingestion.wechat_work.helpers import china_date
from ingestion.wechat_work.settings import (
    BEHAVIOR_DAILY_SCHEMA,
    CONTACT_FOLLOW_USERS_SCHEMA,
    EXTERNAL_CONTACTS_SCHEMA,
    SOURCE_NAME,
)

CONTACT_TEXT_FIELDS = ("name", "position", "avatar", "corp_name", "corp_full_name", "unionid")
FOLLOW_TEXT_FIELDS = ("remark", "description", "remark_corp_name", "oper_userid", "state")
KNOWN_CONTACT_FIELDS = frozenset({"external_userid", "type", "gender", *CONTACT_TEXT_FIELDS})
KNOWN_FOLLOW_FIELDS = frozenset(
    {
        "userid",
        "createtime",
        "tag_id",
        "remark_mobiles",
        "add_way",
        *FOLLOW_TEXT_FIELDS,
    }
)
BEHAVIOR_INT_FIELDS = (
    "chat_cnt",
    "message_cnt",
    "avg_reply_time",
    "negative_feedback_cnt",
    "new_apply_cnt",
    "new_contact_cnt",
)


class FieldError(ValueError):
    """A field holds a value of the wrong type; the message says which and what."""


def to_int(value: Any, name: str) -> int | None:
    """An integer from an int, a whole float or a digit string; None when absent."""
    if value is None or value == "":
        return None
    if type(value) is int:
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("-").isdigit():
            return int(text)
    raise FieldError(f"{name} {value!r} is not an integer")


def to_float(value: Any, name: str) -> float | None:
    """A float from a number or a numeric string; None when absent."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise FieldError(f"{name} {value!r} is not a number")
    try:
        return float(value)
    except (TypeError, ValueError) as exc:
        raise FieldError(f"{name} {value!r} is not a number") from exc


def to_text(value: Any) -> str | None:
    """Text, or None for an absent or empty value."""
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode  # one encoder, not one per call
_EMPTY: dict[str, Any] = {}
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f]')  # what JSON escapes besides non-ASCII


def _text(value: Any) -> str | None:
    # The common case (a non-empty str) first: this runs ~20 times per pair.
    if value.__class__ is str:
        return value or None
    return to_text(value)


def _extra(record: dict[str, Any], known: frozenset[str]) -> str | None:
    extra = record.keys() - known
    if not extra:
        return None
    return json.dumps({k: record[k] for k in sorted(extra)}, ensure_ascii=False)


def json_list(values: list[Any]) -> str:
    """``json.dumps(values, ensure_ascii=False)``, without the encoder for plain strings."""
    plain = all(v is None or (v.__class__ is str and not _NEEDS_ESCAPE.search(v)) for v in values)
    if plain:
        return "[" + ", ".join("null" if v is None else f'"{v}"' for v in values) + "]"
    return _ENCODE(values)


def _mobiles_e164(lists: list[list[Any] | None]) -> tuple[list[str | None], list[str | None]]:
    """Aligned E.164 JSON lists and the first usable number, for remark_mobiles lists.

    Every number of a batch is normalised in one vectorised call when all are text
    (the scalar rules for the rest; both give the same values).
    """
    flat = [m for mobiles in lists if mobiles for m in mobiles]
    if all(m.__class__ is str for m in flat):
        normalised = normalize_phone_array(pa.array(flat, pa.string())).to_pylist()
    else:
        normalised = [normalize_phone(m) for m in flat]
    texts: list[str | None] = []
    firsts: list[str | None] = []
    at = 0
    for mobiles in lists:
        if not mobiles:
            texts.append(None)
            firsts.append(None)
            continue
        e164 = normalised[at : at + len(mobiles)]
        at += len(mobiles)
        texts.append(json_list(e164))
        firsts.append(next((p for p in e164 if p), None))
    return texts, firsts


def contact_row(contact: dict[str, Any], external_userid: str) -> tuple[Any, ...]:
    """One external_contacts row in schema order (without _source_system).

    Raises:
        FieldError: ``type`` or ``gender`` is not an integer.
    """
    get = contact.get
    type_, gender = get("type"), get("gender")
    if type_.__class__ is not int:
        type_ = to_int(type_, "type")
    if gender.__class__ is not int:
        gender = to_int(gender, "gender")
    return (
        external_userid,
        _text(get("name")),
        _text(get("position")),
        _text(get("avatar")),
        _text(get("corp_name")),
        _text(get("corp_full_name")),
        type_,
        gender,
        _text(get("unionid")),
        _extra(contact, KNOWN_CONTACT_FIELDS),
    )


def follow_row(follow: dict[str, Any], external_userid: str) -> tuple[Any, ...]:
    """One contact_follow_users row in schema order (createtime as unix seconds).

    Raises:
        FieldError: no ``userid``, or ``createtime``/``add_way`` is not an integer.
    """
    get = follow.get
    userid = get("userid")
    if not userid:
        raise FieldError("follow_info has no userid")
    created = get("createtime")
    if created.__class__ is not int:
        try:
            created = to_int(created, "createtime")
        except FieldError as exc:
            raise FieldError(f"createtime {created!r} is not unix seconds") from exc
    add_way = get("add_way")  # codes newer than the documented list pass through
    if add_way.__class__ is not int:
        add_way = to_int(add_way, "add_way")
    tag_ids = get("tag_id")
    mobiles = get("remark_mobiles")
    if mobiles and not isinstance(mobiles, list):
        mobiles = [mobiles]
    return (
        external_userid,
        userid if userid.__class__ is str else str(userid),
        _text(get("remark")),
        _text(get("description")),
        created,
        json_list(tag_ids) if tag_ids else None,
        _text(get("remark_corp_name")),
        json_list(mobiles) if mobiles else None,
        mobiles or None,  # normalised for the whole batch in follows_table()
        None,
        add_way,
        _text(get("oper_userid")),
        _text(get("state")),
        _extra(follow, KNOWN_FOLLOW_FIELDS),
    )


def _columns(rows: list[tuple[Any, ...]], width: int) -> list[Any]:
    return list(zip(*rows, strict=True)) if rows else [()] * width


@dataclass
class ContactBatch:
    """Parsed ``external_contact_list`` elements: rows of both tables plus rejects.

    A customer comes once per follower; its contact row is parsed once per batch.
    """

    contact_rows: list[tuple[Any, ...]] = field(default_factory=list)
    follow_rows: list[tuple[Any, ...]] = field(default_factory=list)
    rejects: list[dict[str, Any]] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)

    @property
    def pairs(self) -> int:
        """Follow rows parsed so far."""
        return len(self.follow_rows)

    def add_elements(self, elements: list[dict[str, Any]], source_ref: str) -> None:
        """Parse one page of ``batch/get_by_user``; bad elements become rejects."""
        contacts, follows, seen = self.contact_rows, self.follow_rows, self.seen
        for element in elements:
            contact = element.get("external_contact") or _EMPTY
            external_userid = contact.get("external_userid")
            if external_userid.__class__ is not str or not external_userid:
                reason = "external_contact has no external_userid (its follow_info is not loaded)"
                self.rejects.append(rejected_row("external_contacts", reason, element, source_ref))
                continue
            if external_userid not in seen:
                try:
                    contacts.append(contact_row(contact, external_userid))
                    seen.add(external_userid)
                except FieldError as exc:
                    self.rejects.append(
                        rejected_row("external_contacts", str(exc), element, source_ref)
                    )
            try:
                follows.append(follow_row(element.get("follow_info") or _EMPTY, external_userid))
            except FieldError as exc:
                self.rejects.append(
                    rejected_row("contact_follow_users", str(exc), element, source_ref)
                )

    def contacts_table(self) -> pa.Table:
        """The external_contacts rows (one per customer of this batch)."""
        schema = EXTERNAL_CONTACTS_SCHEMA
        columns = _columns(self.contact_rows, len(schema) - 1)
        arrays = [pa.array(c, f.type) for c, f in zip(columns, schema, strict=False)]
        arrays.append(pa.array([SOURCE_NAME] * len(self.contact_rows), pa.string()))
        return pa.Table.from_arrays(arrays, schema=schema)

    def follows_table(self) -> pa.Table:
        """The contact_follow_users rows, createtime as a UTC timestamp."""
        schema = CONTACT_FOLLOW_USERS_SCHEMA
        columns = _columns(self.follow_rows, len(schema) - 1)
        e164_at = schema.get_field_index("remark_mobiles_e164")
        columns[e164_at], columns[e164_at + 1] = _mobiles_e164(list(columns[e164_at]))
        arrays = []
        for values, target in zip(columns, schema, strict=False):
            if target.name == "createtime":
                seconds = pa.array(values, pa.int64()).cast(pa.timestamp("s", tz="UTC"))
                arrays.append(seconds.cast(target.type))
            else:
                arrays.append(pa.array(values, target.type))
        arrays.append(pa.array([SOURCE_NAME] * len(self.follow_rows), pa.string()))
        return pa.Table.from_arrays(arrays, schema=schema)


def keep_first(table: pa.Table, columns: tuple[str, ...], seen: set[Any]) -> pa.Table:
    """The rows whose key is not in ``seen`` yet (first occurrence wins); adds the keys.

    The raw tables are upserted, which needs each key at most once per load.
    """
    if len(columns) == 1:
        keys: list[Any] = table.column(columns[0]).to_pylist()
    else:
        keys = list(zip(*(table.column(c).to_pylist() for c in columns), strict=True))
    mask = [not (key in seen or seen.add(key)) for key in keys]
    return table.filter(pa.array(mask, pa.bool_()))


_NUMBERS = (int, float)


def _clean_behavior(userid: str, days: list[dict[str, Any]]) -> pa.Table | None:
    """The days as a table when every value has its usual type (ints, a float), else None.

    Column by column instead of day by day (a third of the cost); any other value
    (``"1"``, ``""``, ``true``, a missing ``stat_time``) leaves it to the checks below.
    """
    try:
        times = [day["stat_time"] for day in days]
    except (KeyError, TypeError):
        return None
    if any(t.__class__ is not int for t in times):
        return None
    columns: dict[str, Any] = {
        "userid": [userid] * len(days),
        "stat_date": [china_date(t) for t in times],
    }
    for name in BEHAVIOR_INT_FIELDS:
        values = [day.get(name) for day in days]
        if any(v is not None and v.__class__ is not int for v in values):
            return None
        columns[name] = values
    reply = [day.get("reply_percentage") for day in days]
    if any(v is not None and v.__class__ not in _NUMBERS for v in reply):
        return None
    columns["reply_percentage"] = reply
    columns["_source_system"] = [SOURCE_NAME] * len(days)
    return pa.Table.from_pydict(columns, schema=BEHAVIOR_DAILY_SCHEMA)


def behavior_table(
    userid: str, days: list[dict[str, Any]], source_ref: str
) -> tuple[pa.Table, list[dict[str, Any]]]:
    """Typed behavior_daily rows of one member, and the days that could not be read."""
    clean = _clean_behavior(userid, days)
    if clean is not None:
        return clean, []
    columns: dict[str, list[Any]] = {f.name: [] for f in BEHAVIOR_DAILY_SCHEMA}
    rejects = []
    for day in days:
        try:
            stat_time = to_int(day.get("stat_time"), "stat_time")
            if stat_time is None:
                raise FieldError("stat_time is missing")
            ints = [to_int(day.get(name), name) for name in BEHAVIOR_INT_FIELDS]
            reply_percentage = to_float(day.get("reply_percentage"), "reply_percentage")
        except FieldError as exc:
            rejects.append(rejected_row("behavior_daily", str(exc), day, source_ref))
            continue
        columns["userid"].append(userid)
        columns["stat_date"].append(china_date(stat_time))
        for name, value in zip(BEHAVIOR_INT_FIELDS, ints, strict=True):
            columns[name].append(value)
        columns["reply_percentage"].append(reply_percentage)
    columns["_source_system"] = [SOURCE_NAME] * len(columns["userid"])
    return pa.Table.from_pydict(columns, schema=BEHAVIOR_DAILY_SCHEMA), rejects
