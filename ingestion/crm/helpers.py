"""HTTP for the CRM: OAuth2 client credentials with one refresh on 401, cursor paging, retries.

Everything goes through dlt's helpers: a :class:`RESTClient` with a
:class:`JSONResponseCursorPaginator` (``next_cursor`` / ``has_more``), dlt's
retrying ``requests`` session (429 honouring ``Retry-After``, 5xx and dropped
connections with exponential backoff) and an OAuth2 client-credentials auth that
fetches a token, renews it before ``expires_in`` runs out and, when the server
says the token is no longer valid (401), fetches a new one and resends once.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import logging
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pyarrow as pa
import pyarrow.json as pa_json
from dlt.common import jsonpath
from dlt.common.configuration.specs.base_configuration import configspec
from dlt.common.json import json as dlt_json
from dlt.common.pendulum import pendulum
from dlt.sources.helpers.requests import Client
from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.auth import OAuth2ClientCredentials
from dlt.sources.helpers.rest_client.paginators import (
    BasePaginator,
    JSONLinkPaginator,
    JSONResponseCursorPaginator,
)
from dlt.sources.helpers.rest_client.utils import join_url
from requests import PreparedRequest, Response

from ingestion.crm.schema import wire_struct
from ingestion.crm.settings import CrmApi, CrmObject

log = logging.getLogger(__name__)


class CrmAuthError(RuntimeError):
    """The CRM refused to issue an access token (wrong client id or secret, or down)."""


@configspec
class CrmClientCredentials(OAuth2ClientCredentials):
    """OAuth2 client credentials that also recover from a token the server expired early.

    dlt's :class:`OAuth2ClientCredentials` renews a token when ``expires_in`` has
    passed. A CRM may revoke a token sooner (our sandbox after N calls): on a 401
    the response hook fetches a new token and resends the request once; a second
    401 is returned as is and fails the request.
    """

    def __post_init__(self) -> None:
        super().__post_init__()
        self._token_lock = threading.Lock()
        self.refreshes = 0

    def obtain_token(self) -> None:
        """Fetch a token; a refusal raises :class:`CrmAuthError` with the server's answer."""
        response = self.session.post(self.access_token_url, **self.build_access_token_request())
        if response.status_code >= 400:
            raise CrmAuthError(
                f"CRM token request to {self.access_token_url} failed with HTTP "
                f"{response.status_code}: {response.text[:300]}"
            )
        document = response.json()
        self.parse_native_representation(self.parse_access_token(document))
        self.token_expiry = pendulum.now().add(seconds=self.parse_expiration_in_seconds(document))

    def __call__(self, request: PreparedRequest) -> PreparedRequest:
        with self._token_lock:
            if self.access_token is None or self.is_token_expired():
                self.obtain_token()
        request.headers["Authorization"] = f"Bearer {self.access_token}"
        request.register_hook("response", self._resend_with_new_token)
        return request

    def _resend_with_new_token(self, response: Response, **send_kwargs: Any) -> Response:
        if response.status_code != 401:
            return response
        sent_with = response.request.headers.get("Authorization")
        with self._token_lock:
            # Another request may have renewed the token already.
            if sent_with == f"Bearer {self.access_token}":
                log.info("CRM token rejected (%s): fetching a new one", response.text[:200])
                self.obtain_token()
                self.refreshes += 1
            token = self.access_token
        _ = response.content  # release the connection before reusing it
        response.close()
        retry = response.request.copy()
        retry.headers["Authorization"] = f"Bearer {token}"
        # A retry of the whole request by the session must carry the new token too.
        response.request.headers["Authorization"] = f"Bearer {token}"
        fresh = response.connection.send(retry, **send_kwargs)
        fresh.history.append(response)
        fresh.request = retry
        return fresh


_SIMPLE_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class ArrowPage:
    """A page read by Arrow's JSON reader: its records and the body they came from."""

    records: pa.StructArray
    body: bytes
    data_selector: str

    def raw_records(self) -> list[Any]:
        """The records as dicts (decoded again, only for the payload of rejected rows)."""
        return list(dlt_json.loadb(self.body).get(self.data_selector) or [])


class CrmRESTClient(RESTClient):
    """A RESTClient that decodes each page once, straight into Arrow when it can.

    With ``record_type`` set (see :meth:`for_object`), a page is read by Arrow's JSON
    reader against the object's wire types: no Python object per value. A page that
    does not fit (a number where a string belongs, a nested extra field) is decoded
    with dlt's JSON instead and parsed record by record. Either way the paginator's
    ``response.json()`` reuses the decoded envelope instead of decoding the body again.
    """

    record_type: pa.StructType | None = None

    def for_object(self, obj: CrmObject) -> CrmRESTClient:
        """A client sharing this one's session and auth that reads ``obj``'s pages as Arrow."""
        client = copy.copy(self)
        client.record_type = wire_struct(obj)
        return client

    def extract_response(self, response: Response, data_selector: jsonpath.TJsonPath) -> list[Any]:
        """The page's records: ``[ArrowPage]`` on the fast path, else a list of dicts."""
        simple = isinstance(data_selector, str) and _SIMPLE_KEY.fullmatch(data_selector)
        if self.record_type is not None and simple:
            page = self._read_with_arrow(response, str(data_selector))
            if page is not None:
                return [page]
        document = dlt_json.loadb(response.content)
        response.json = lambda **_: document  # type: ignore[method-assign]
        data = jsonpath.find_values(data_selector, document)
        data = data[0] if isinstance(data, list) and len(data) == 1 else data
        if data is None:
            return []
        return data if isinstance(data, list) else [data]

    def _read_with_arrow(self, response: Response, selector: str) -> ArrowPage | None:
        body = response.content
        schema = pa.schema([pa.field(selector, pa.list_(self.record_type))])
        try:
            envelope = pa_json.read_json(
                io.BytesIO(body),
                read_options=pa_json.ReadOptions(use_threads=False, block_size=len(body) + 1),
                parse_options=pa_json.ParseOptions(
                    explicit_schema=schema, unexpected_field_behavior="infer"
                ),
            )
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
            return None
        if envelope.num_rows != 1:
            return None
        records = envelope.column(selector).combine_chunks().flatten()
        if any(pa.types.is_nested(field.type) for field in records.type):
            return None  # nested extra fields: leave them to the generic path
        top = envelope.drop_columns([selector]).to_pylist()[0]
        response.json = lambda **_: top  # type: ignore[method-assign]
        return ArrowPage(records, body, selector)


def make_client(
    base_url: str,
    client_id: str,
    client_secret: str,
    api: CrmApi,
    *,
    request_max_attempts: int = 5,
    request_backoff_factor: float = 1.0,
    request_max_retry_delay: float = 30.0,
    request_timeout: float = 60.0,
) -> CrmRESTClient:
    """A REST client for the CRM: auth, paginator, retrying session.

    Args:
        base_url: The CRM's base URL (``https://crm.example.com``).
        client_id: OAuth2 client id.
        client_secret: OAuth2 client secret.
        api: The API's shape.
        request_max_attempts: Attempts per request (429, 5xx, dropped connections).
        request_backoff_factor: Exponential backoff multiplier in seconds.
        request_max_retry_delay: Upper bound of one wait, also of ``Retry-After``.
        request_timeout: Seconds before a request times out.

    Returns:
        The client; no request is made until it is used.
    """
    session = Client(
        raise_for_status=False,
        request_timeout=request_timeout,
        request_max_attempts=request_max_attempts,
        request_backoff_factor=request_backoff_factor,
        request_max_retry_delay=request_max_retry_delay,
        respect_retry_after_header=True,
    ).session
    auth = CrmClientCredentials(
        access_token_url=join_url(base_url, api.token_path),
        client_id=client_id,
        client_secret=client_secret,
        session=session,
    )
    paginator: BasePaginator
    if api.paging == "next_url":
        paginator = JSONLinkPaginator(next_url_path=api.next_url_path)
    else:
        paginator = JSONResponseCursorPaginator(
            cursor_path=api.next_cursor_path,
            cursor_param=api.cursor_param,
            has_more_path=api.has_more_path,
        )
    return CrmRESTClient(
        base_url=base_url,
        headers=dict(api.headers) or None,
        auth=auth,
        paginator=paginator,
        data_selector=api.data_selector,
        session=session,
    )


def format_since(moment: dt.datetime, since_format: str = "iso_ms") -> str:
    """An ``updated_since`` value: ISO 8601 UTC with milliseconds and ``Z``, or epoch ms."""
    utc = moment.astimezone(dt.UTC)
    if since_format == "epoch_ms":
        return str(int(utc.timestamp() * 1000))
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond // 1000:03d}Z"


def list_params(api: CrmApi, obj: CrmObject, since: dt.datetime, page_size: int) -> dict[str, Any]:
    """The first list request's parameters (templates filled with since and limit)."""
    values = {
        "since": format_since(since, api.since_format),
        "limit": min(page_size, api.max_page_size),
    }
    params: dict[str, Any] = {
        key: value.format(**values) for key, value in {**api.extra_params, **obj.params}.items()
    }
    if api.since_param:
        params[api.since_param] = values["since"]
    if api.limit_param:
        params[api.limit_param] = values["limit"]
    return params


def fetch_pages(
    client: CrmRESTClient, obj: CrmObject, api: CrmApi, since: dt.datetime, page_size: int
) -> Iterator[tuple[list[Any] | pa.StructArray, str, Callable[[], list[Any]] | None]]:
    """Every page of one object changed since ``since`` (inclusive), oldest first.

    Yields:
        The page's records (Arrow or dicts), a reference to the request (path and
        query) for rejects, and how to get the records as dicts for an Arrow page.
    """
    params = list_params(api, obj, since, page_size)
    for page in client.for_object(obj).paginate(obj.endpoint, params=params):
        url = urlsplit(page.response.url)
        source_ref = f"GET {url.path}?{url.query}"
        if len(page) == 1 and isinstance(page[0], ArrowPage):
            yield page[0].records, source_ref, page[0].raw_records
        else:
            yield list(page), source_ref, None
