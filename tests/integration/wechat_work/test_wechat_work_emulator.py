"""The WeChat Work emulator speaks the real protocol: tokens, envelopes, paging, limits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow.compute as pc
import pytest
import requests

from sandbox.emulators.base import Faults, RunningEmulator
from sandbox.emulators.wechat_work import app as app_module
from sandbox.emulators.wechat_work.app import read_as_of
from sandbox.emulators.wechat_work.store import china_midnight, day_number
from sandbox.world.tables import read_system_table

BATCH = "/cgi-bin/externalcontact/batch/get_by_user"
BEHAVIOR = "/cgi-bin/externalcontact/get_user_behavior_data"


class Api:
    """A bare-bones caller of the emulator that returns the JSON envelope."""

    def __init__(self, emulator: RunningEmulator) -> None:
        self.url = emulator.url
        self.session = requests.Session()

    def token(self, secret: str = "sandbox-secret") -> dict[str, Any]:
        params = {"corpid": "ww_sandbox_corp", "corpsecret": secret}
        response = self.session.get(self.url + "/cgi-bin/gettoken", params=params)
        assert response.status_code == 200
        return response.json()

    def get(self, path: str, token: str | None, **params: str) -> dict[str, Any]:
        if token is not None:
            params["access_token"] = token
        response = self.session.get(self.url + path, params=params)
        assert response.status_code == 200
        return response.json()

    def post(self, path: str, token: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self.session.post(self.url + path, params={"access_token": token}, json=body)
        assert response.status_code == 200
        return response.json()


@pytest.fixture
def api(shared_emulator: RunningEmulator) -> Api:
    return Api(shared_emulator)


def world(sandbox: Path, table: str) -> list[dict[str, Any]]:
    return read_system_table(sandbox, "wechat_work", table).to_pylist()


def test_token_is_stable_while_valid_and_checked_on_every_call(api: Api) -> None:
    first = api.token()
    assert first["errcode"] == 0 and first["expires_in"] == 7200
    assert api.token()["access_token"] == first["access_token"]
    assert api.token(secret="wrong")["errcode"] == 40001
    follow_list = "/cgi-bin/externalcontact/get_follow_user_list"
    assert api.get(follow_list, None)["errcode"] == 41001
    assert api.get(follow_list, "not-a-token")["errcode"] == 40014
    assert api.get(follow_list, first["access_token"])["errcode"] == 0


def test_token_expires_after_its_calls_and_a_new_one_is_issued(
    start_emulator: Callable[..., RunningEmulator],
) -> None:
    api = Api(start_emulator(Faults(token_ttl_calls=2)))
    token = api.token()["access_token"]
    path = "/cgi-bin/externalcontact/get_follow_user_list"
    assert [api.get(path, token)["errcode"] for _ in range(3)] == [0, 0, 42001]
    fresh = api.token()["access_token"]
    assert fresh != token
    assert api.get(path, fresh)["errcode"] == 0


def test_follow_users_and_list_match_the_world(api: Api, wechat_sandbox: Path) -> None:
    token = api.token()["access_token"]
    follow = api.get("/cgi-bin/externalcontact/get_follow_user_list", token)
    assert follow["follow_user"] == [u["userid"] for u in world(wechat_sandbox, "follow_users")]
    pairs = world(wechat_sandbox, "follow_info")
    userid = pairs[0]["userid"]
    listed = api.get("/cgi-bin/externalcontact/list", token, userid=userid)
    assert sorted(listed["external_userid"]) == sorted(
        p["external_userid"] for p in pairs if p["userid"] == userid
    )
    assert api.get("/cgi-bin/externalcontact/list", token, userid="nobody")["errcode"] == 84061


def test_batch_pages_cover_every_pair_once(api: Api, wechat_sandbox: Path) -> None:
    token = api.token()["access_token"]
    userids = [u["userid"] for u in world(wechat_sandbox, "follow_users")][:100]
    seen, cursor, sizes = [], "", []
    while True:
        page = api.post(BATCH, token, {"userid_list": userids, "cursor": cursor, "limit": 1000})
        assert page["errcode"] == 0
        sizes.append(len(page["external_contact_list"]))
        seen += [
            (e["external_contact"]["external_userid"], e["follow_info"]["userid"])
            for e in page["external_contact_list"]
        ]
        cursor = page.get("next_cursor", "")
        if not cursor:
            break
    expected = {
        (p["external_userid"], p["userid"])
        for p in world(wechat_sandbox, "follow_info")
        if p["userid"] in set(userids)
    }
    assert len(seen) == len(set(seen)) and set(seen) == expected
    assert max(sizes) == min(100, len(expected))  # limit is clamped to 100


def test_batch_defaults_and_limits(api: Api, wechat_sandbox: Path) -> None:
    token = api.token()["access_token"]
    pairs = world(wechat_sandbox, "follow_info")
    busiest = max({p["userid"] for p in pairs}, key=[p["userid"] for p in pairs].count)
    page = api.post(BATCH, token, {"userid": busiest})  # the legacy single-userid form
    count = sum(p["userid"] == busiest for p in pairs)
    assert len(page["external_contact_list"]) == min(50, count)
    assert ("next_cursor" in page) == (count > 50)
    too_many = api.post(BATCH, token, {"userid_list": [f"u{i}" for i in range(101)]})
    assert too_many["errcode"] == 40058
    assert api.post(BATCH, token, {"userid_list": [busiest], "cursor": "%%"})["errcode"] == 40058


def test_batch_follow_info_has_tag_ids_only_and_contacts_omit_empty_fields(
    api: Api, wechat_sandbox: Path
) -> None:
    token = api.token()["access_token"]
    userids = [u["userid"] for u in world(wechat_sandbox, "follow_users")][:100]
    page = api.post(BATCH, token, {"userid_list": userids, "limit": 100})
    for item in page["external_contact_list"]:
        assert "tags" not in item["follow_info"]
        assert all(v not in (None, "", []) for v in item["external_contact"].values())
        contact = item["external_contact"]
        if "unionid" in contact:
            assert int(contact["type"]) == 1
    drift = [
        e
        for e in page["external_contact_list"]
        if isinstance(e["external_contact"].get("gender"), str)
    ]
    assert drift, "some genders arrive as strings, as in reality"


def test_get_pages_followers_beyond_the_page_size(
    api: Api, wechat_sandbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pairs = world(wechat_sandbox, "follow_info")
    counts: dict[str, int] = {}
    for p in pairs:
        counts[p["external_userid"]] = counts.get(p["external_userid"], 0) + 1
    customer = max(counts, key=counts.__getitem__)
    monkeypatch.setattr(app_module, "GET_FOLLOWERS_PER_PAGE", 1)
    token = api.token()["access_token"]
    followers, cursor = [], ""
    while True:
        page = api.get(
            "/cgi-bin/externalcontact/get", token, external_userid=customer, cursor=cursor
        )
        assert page["external_contact"]["external_userid"] == customer
        followers += page["follow_user"]
        assert all("tag_name" in t for f in page["follow_user"] for t in f.get("tags", []))
        cursor = page.get("next_cursor", "")
        if not cursor:
            break
    assert len(followers) == counts[customer]
    missing = api.get("/cgi-bin/externalcontact/get", token, external_userid="wm-none")
    assert missing["errcode"] == 84061


def test_behavior_rules(api: Api, wechat_sandbox: Path) -> None:
    token = api.token()["access_token"]
    today = read_as_of(wechat_sandbox)
    rows = world(wechat_sandbox, "behavior_daily")
    userid = rows[0]["userid"]
    first = today - dt.timedelta(days=9)

    def ask(start: dt.date, end: dt.date, users: list[str]) -> dict[str, Any]:
        body = {
            "userid": users,
            "start_time": china_midnight(day_number(start)) + 3600,  # floored to midnight
            "end_time": china_midnight(day_number(end)) + 7200,
        }
        return api.post(BEHAVIOR, token, body)

    answer = ask(first, today, [userid])
    assert answer["errcode"] == 0
    assert [d["stat_time"] for d in answer["behavior_data"]] == [
        china_midnight(day_number(first) + i) for i in range(10)
    ]
    for day in answer["behavior_data"]:
        if day["chat_cnt"] == 0:
            assert "reply_percentage" not in day and "avg_reply_time" not in day
    assert ask(today - dt.timedelta(days=31), today, [userid])["errcode"] == 40058
    assert (
        ask(today - dt.timedelta(days=181), today - dt.timedelta(days=170), [userid])["errcode"]
        == 40058
    )
    others = sorted({r["userid"] for r in rows} - {userid})[:2]
    summed = ask(today, today, [userid, *others])["behavior_data"][0]["chat_cnt"]
    assert summed == sum(
        r["chat_cnt"] or 0
        for r in rows
        if r["userid"] in {userid, *others} and r["stat_date"] == today
    )


def test_faults_map_to_real_errcodes(start_emulator: Callable[..., RunningEmulator]) -> None:
    api = Api(start_emulator(Faults(rate_limit_every=2, server_error_every=3)))
    token = api.token()["access_token"]
    path = "/cgi-bin/externalcontact/get_follow_user_list"
    codes = [api.get(path, token)["errcode"] for _ in range(6)]
    assert codes == [0, 45009, -1, 45009, 0, 45009]


def test_malformed_records_alternate_between_two_defects(
    start_emulator: Callable[..., RunningEmulator], wechat_sandbox: Path
) -> None:
    api = Api(start_emulator(Faults(malformed_every=5)))
    token = api.token()["access_token"]
    userids = pc.unique(read_system_table(wechat_sandbox, "wechat_work", "follow_info")["userid"])
    page = api.post(BATCH, token, {"userid_list": userids.to_pylist()[:100], "limit": 100})
    items = page["external_contact_list"]
    assert len(items) >= 10
    assert items[4]["follow_info"]["createtime"] == "abc"
    assert "external_userid" not in items[9]["external_contact"]


def test_dropped_connection_answers_nothing(start_emulator: Callable[..., RunningEmulator]) -> None:
    api = Api(start_emulator(Faults(drop_connection_after=1)))
    token = api.token()["access_token"]
    with pytest.raises(requests.ConnectionError):
        api.get("/cgi-bin/externalcontact/get_follow_user_list", token)
