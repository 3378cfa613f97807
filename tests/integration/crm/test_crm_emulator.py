"""The CRM emulator over HTTP: auth, paging, rendering, upserts and faults."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
from crm_expectations import world_table

from sandbox.emulators.base import RunningEmulator
from sandbox.emulators.crm import CLIENT_ID, CLIENT_SECRET, create_app
from sandbox.schema import CRM_TABLES

ISO_MS = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")


def _headers(url: str) -> dict[str, str]:
    body = {
        "grant_type": "client_credentials",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
    }
    answer = requests.post(f"{url}/oauth/token", data=body, timeout=10)
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def _all(url: str, name: str, headers: dict[str, str], **params: object) -> list[dict]:
    records, cursor = [], None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        page = requests.get(
            f"{url}/api/v1/{name}", params=query, headers=headers, timeout=10
        ).json()
        records += page["data"]
        cursor = page["next_cursor"]
        assert page["has_more"] is (cursor is not None)
        if not cursor:
            return records


@pytest.fixture(scope="module")
def crm(crm_sandbox: Path) -> Iterator[RunningEmulator]:
    """One emulator for the tests that only read (the others start their own)."""
    with RunningEmulator(create_app(crm_sandbox)) as emulator:
        yield emulator


def test_token_by_form_or_json_and_refusals(crm: RunningEmulator) -> None:
    good = {
        "grant_type": "client_credentials",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
    }
    by_form = requests.post(f"{crm.url}/oauth/token", data=good, timeout=10).json()
    by_json = requests.post(f"{crm.url}/oauth/token", json=good, timeout=10).json()
    for token in (by_form, by_json):
        assert token["token_type"] == "Bearer" and token["expires_in"] > 0
    assert by_form["access_token"] != by_json["access_token"]
    wrong = requests.post(f"{crm.url}/oauth/token", data={**good, "client_secret": "x"}, timeout=10)
    assert (wrong.status_code, wrong.json()["error"]) == (401, "invalid_client")
    grant = requests.post(
        f"{crm.url}/oauth/token", data={**good, "grant_type": "password"}, timeout=10
    )
    assert grant.status_code == 400
    anonymous = requests.get(f"{crm.url}/api/v1/leads", timeout=10)
    assert (anonymous.status_code, anonymous.json()["error"]) == (401, "invalid_token")


def test_objects_lists_every_object_and_field(crm: RunningEmulator) -> None:
    listing = requests.get(
        f"{crm.url}/api/v1/objects", headers=_headers(crm.url), timeout=10
    ).json()["data"]
    assert {o["name"] for o in listing} == set(CRM_TABLES)
    opportunities = next(o for o in listing if o["name"] == "opportunities")
    types = {f["name"]: f["type"] for f in opportunities["fields"]}
    assert [f["name"] for f in opportunities["fields"]] == CRM_TABLES["opportunities"].names
    assert (types["amount"], types["close_date"], types["updated_at"]) == (
        "decimal",
        "date",
        "datetime",
    )


def test_paging_serves_every_record_once_in_cursor_order(crm: RunningEmulator, crm_sandbox) -> None:
    headers = _headers(crm.url)
    for name in ("opportunities", "leads"):
        records = _all(crm.url, name, headers, limit=37)
        world = world_table(crm_sandbox, name)
        assert sorted(r["id"] for r in records) == world["id"].to_pylist()
        keys = [(r["updated_at"], r["id"]) for r in records]
        assert keys == sorted(keys)
        assert all(ISO_MS.fullmatch(r["updated_at"]) for r in records)
    opportunity = next(
        r for r in _all(crm.url, "opportunities", headers, limit=500) if r.get("amount") is not None
    )
    assert re.fullmatch(r"-?\d+\.\d{2}", opportunity["amount"]) and opportunity["currency"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", opportunity["close_date"])
    # Opportunities send every field (nulls as null); leads leave null fields out.
    opportunities = _all(crm.url, "opportunities", headers, limit=500)
    assert all(set(r) == set(CRM_TABLES["opportunities"].names) for r in opportunities)
    leads = _all(crm.url, "leads", headers, limit=500)
    assert all(None not in r.values() for r in leads)
    assert any(len(r) < len(CRM_TABLES["leads"].names) for r in leads)


def test_updated_since_is_inclusive(crm: RunningEmulator) -> None:
    headers = _headers(crm.url)
    records = _all(crm.url, "accounts", headers, limit=500)
    middle = records[len(records) // 2]
    since = _all(crm.url, "accounts", headers, updated_since=middle["updated_at"])
    assert since[0]["updated_at"] == middle["updated_at"]
    assert {r["id"] for r in since} == {
        r["id"] for r in records if r["updated_at"] >= middle["updated_at"]
    }


def test_paging_is_stable_while_records_change(
    start_crm: Callable[..., RunningEmulator], crm_sandbox: Path
) -> None:
    crm = start_crm()
    headers = _headers(crm.url)
    first = requests.get(
        f"{crm.url}/api/v1/leads", params={"limit": 25}, headers=headers, timeout=10
    ).json()
    served = [r["id"] for r in first["data"]]
    everything = world_table(crm_sandbox, "leads")["id"].to_pylist()
    not_yet = sorted(set(everything) - set(served))[0]
    for record_id in (served[0], not_yet):  # one already served, one still to come
        answer = requests.post(
            f"{crm.url}/api/v1/leads",
            headers=headers,
            timeout=10,
            json={"id": record_id, "status": "working"},
        )
        assert answer.status_code == 200
    cursor = first["next_cursor"]
    while cursor:
        page = requests.get(
            f"{crm.url}/api/v1/leads",
            params={"limit": 25, "cursor": cursor},
            headers=headers,
            timeout=10,
        ).json()
        served += [r["id"] for r in page["data"]]
        cursor = page["next_cursor"]
    assert set(served) == set(everything)  # nothing skipped
    assert served[-2:] == [served[0], not_yet]  # the changed ones come again, last
    assert len(served) == len(everything) + 1


def test_upsert_creates_with_a_new_id_and_updates_in_place(
    start_crm: Callable[..., RunningEmulator],
) -> None:
    crm = start_crm()
    headers = _headers(crm.url)
    created = requests.post(
        f"{crm.url}/api/v1/leads",
        headers=headers,
        timeout=10,
        json={"id": "no-such-id", "name": "李四", "status": "new"},
    )
    assert created.status_code == 201
    lead = created.json()["data"]
    assert lead["id"] != "no-such-id" and lead["created_at"] == lead["updated_at"]
    updated = requests.post(
        f"{crm.url}/api/v1/leads",
        headers=headers,
        timeout=10,
        json={"id": lead["id"], "status": "working"},
    ).json()["data"]
    assert (updated["name"], updated["status"]) == ("李四", "working")
    assert updated["updated_at"] > lead["updated_at"]
    unknown = requests.post(
        f"{crm.url}/api/v1/leads", headers=headers, timeout=10, json={"colour": "red"}
    )
    wrong_type = requests.post(
        f"{crm.url}/api/v1/opportunities", headers=headers, timeout=10, json={"amount": "lots"}
    )
    assert unknown.status_code == wrong_type.status_code == 400


def test_bad_limit_and_cursor_are_refused(crm: RunningEmulator) -> None:
    headers = _headers(crm.url)
    for params in (
        {"limit": 2001},
        {"limit": 0},
        {"cursor": "not-a-cursor"},
        {"updated_since": "yesterday"},
    ):
        answer = requests.get(f"{crm.url}/api/v1/users", params=params, headers=headers, timeout=10)
        assert (answer.status_code, answer.json()["error"]) == (400, "invalid_request")


def test_faults_answer_like_an_overloaded_crm(start_crm: Callable[..., RunningEmulator]) -> None:
    crm = start_crm(rate_limit_every=2, server_error_every=3, token_ttl_calls=20)
    headers = _headers(crm.url)
    answers = [
        requests.get(f"{crm.url}/api/v1/users", headers=headers, timeout=10) for _ in range(21)
    ]
    statuses = [a.status_code for a in answers]
    assert statuses[:6] == [200, 429, 500, 429, 200, 429]
    assert answers[1].headers["Retry-After"] == "1"
    assert {s for s in statuses if s >= 500} == {500, 502, 503}
    assert (statuses[20], answers[20].json()["error"]) == (401, "invalid_token")


def test_malformed_records_are_deterministic(start_crm: Callable[..., RunningEmulator]) -> None:
    pages = []
    for _ in range(2):
        crm = start_crm(malformed_every=7)
        pages.append(_all(crm.url, "opportunities", _headers(crm.url), limit=50))
    assert pages[0] == pages[1]
    broken = [
        r
        for r in pages[0]
        if "id" not in r or r.get("amount") == "N/A" or r.get("close_date") == "2025-02-30"
    ]
    assert len(broken) == len(pages[0]) // 7


def test_a_dropped_connection_stays_down_until_cleared(
    start_crm: Callable[..., RunningEmulator],
) -> None:
    crm = start_crm(drop_connection_after=2)
    headers = _headers(crm.url)
    assert requests.get(f"{crm.url}/api/v1/users", headers=headers, timeout=10).ok
    for _ in range(2):
        with pytest.raises(requests.ConnectionError):
            requests.get(f"{crm.url}/api/v1/users", headers=headers, timeout=10)
    requests.post(f"{crm.url}/_sandbox/faults", json={"drop_connection_after": 0}, timeout=10)
    assert requests.get(f"{crm.url}/api/v1/users", headers=headers, timeout=10).ok
