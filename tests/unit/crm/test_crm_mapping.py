"""Mapping another CRM by configuration: request parameters, paging style, since format."""

from __future__ import annotations

import datetime as dt

from dlt.sources.helpers.rest_client.paginators import (
    JSONLinkPaginator,
    JSONResponseCursorPaginator,
)

from ingestion.crm.helpers import list_params, make_client
from ingestion.crm.settings import CRM_API, CRM_OBJECTS, CrmApi, CrmField, CrmObject

SINCE = dt.datetime(2025, 3, 1, 8, 0, 0, 123456, tzinfo=dt.UTC)

# A Salesforce-shaped mapping: SOQL through queryAll, nextRecordsUrl paging, Id/SystemModstamp.
SALESFORCE = CrmApi(
    token_path="services/oauth2/token",
    data_selector="records",
    paging="next_url",
    next_url_path="nextRecordsUrl",
    limit_param=None,
    since_param=None,
    headers={"Sforce-Query-Options": "batchSize=2000"},
)
SF_LEAD = CrmObject(
    name="leads",
    endpoint="services/data/v60.0/queryAll",
    fields=(
        CrmField("id", source="Id", required=True),
        CrmField("mobile", "phone", source="MobilePhone"),
        CrmField("updated_at", "timestamp", source="SystemModstamp", required=True),
    ),
    params={
        "q": "SELECT Id, MobilePhone, SystemModstamp FROM Lead "
        "WHERE SystemModstamp >= {since} ORDER BY SystemModstamp, Id"
    },
)


def test_the_sandbox_mapping_sends_updated_since_and_limit() -> None:
    params = list_params(CRM_API, CRM_OBJECTS["leads"], SINCE, 5000)
    assert params == {"updated_since": "2025-03-01T08:00:00.123Z", "limit": 2000}


def test_a_soql_mapping_puts_since_into_the_query() -> None:
    params = list_params(SALESFORCE, SF_LEAD, SINCE, 2000)
    assert params == {
        "q": "SELECT Id, MobilePhone, SystemModstamp FROM Lead WHERE "
        "SystemModstamp >= 2025-03-01T08:00:00.123Z ORDER BY SystemModstamp, Id"
    }


def test_epoch_millisecond_since_for_crms_that_filter_on_epoch() -> None:
    api = CrmApi(since_param="last_modified_time", since_format="epoch_ms", limit_param=None)
    params = list_params(api, CRM_OBJECTS["leads"], SINCE, 100)
    assert params == {"last_modified_time": "1740816000123"}


def test_paging_style_picks_the_paginator_and_makes_no_request() -> None:
    cursor = make_client("http://crm.invalid", "id", "secret", CRM_API)
    link = make_client("http://crm.invalid", "id", "secret", SALESFORCE)
    assert isinstance(cursor.paginator, JSONResponseCursorPaginator)
    assert isinstance(link.paginator, JSONLinkPaginator)
    assert cursor.auth.access_token is None  # the token is fetched on the first request
    assert link.auth.access_token_url == "http://crm.invalid/services/oauth2/token"
