"""A neutral REST CRM over the sandbox world's ``crm`` tables (all 13 objects).

Demo credentials (fixed): client_id ``salesdw-sandbox``, client_secret ``sandbox-secret``.

Endpoints:

- ``POST /oauth/token`` — form or JSON body ``grant_type=client_credentials``,
  ``client_id``, ``client_secret`` → ``{access_token, token_type: "Bearer",
  expires_in: 3600}``; a wrong id or secret → 401 ``{"error": "invalid_client"}``.
- ``GET /api/v1/objects`` — every object with its endpoint and fields (name, type).
- ``GET /api/v1/<object>?updated_since=&cursor=&limit=`` with
  ``Authorization: Bearer <token>`` → ``{"data": [...], "next_cursor": str|null,
  "has_more": bool}``. Records are ordered by ``(updated_at, id)``;
  ``updated_since`` (ISO 8601, no offset = UTC) is an *inclusive* lower bound
  (``updated_at >= updated_since``); ``cursor`` is opaque (it encodes the last
  ``(updated_at, id)`` served, so paging is stable while records change: a record
  updated meanwhile moves to the end and is served again there); ``limit``
  1..2000, default 500, else 400 ``invalid_request``.
- ``POST /api/v1/<object>`` — upsert one record (JSON object with the object's
  fields): with an existing ``id`` it updates the given fields, else it creates a
  record with a new id; ``updated_at`` is stamped now (``created_at`` too on
  create), or 1 ms after the object's newest record if the world's clock is ahead,
  so a changed record always sorts last. 201 created / 200 updated,
  ``{"data": record}``; unknown fields or wrong types → 400. Upserts live in memory
  only (the world files stay as generated).

Records render like a real REST API: timestamps ISO 8601 UTC with milliseconds
and ``Z`` (the CRM keeps millisecond precision), dates ``YYYY-MM-DD``, money and
decimals as strings (``"12345.67"``) beside the object's ``currency`` field,
soft-deleted records with ``is_deleted: true``. Null fields are left out of the
record for contacts, leads, activities, marketing_events and service_cases and
sent as ``null`` for the other objects, as real CRMs differ there.

Faults (:class:`~sandbox.emulators.base.Faults`, counted over list calls
``GET /api/v1/<object>``; tokens and upserts are not counted):

- ``token_ttl_calls=N``: a token answers N list calls, then 401 ``invalid_token``.
- ``rate_limit_every=N``: every Nth list call → 429 ``rate_limit_exceeded`` with
  ``Retry-After: 1``.
- ``server_error_every=N``: every Nth list call → 500, 502, 503 in rotation.
- ``malformed_every=N``: every Nth record served (counted across objects) is
  corrupted, rotating over what the object has: missing ``id``, ``mobile``
  ``"13x-abc"``, first money field ``"N/A"``, first date field ``"2025-02-30"``.
- ``drop_connection_after=N``: the Nth list call and every later one close the
  connection without an answer (a crashed upstream stays down until the fault
  is cleared with ``POST /_sandbox/faults``).

Run it on its own with ``python -m sandbox.emulators.crm <sandbox_dir>``.
"""

from __future__ import annotations

from pathlib import Path

from sandbox.emulators.base import Faults
from sandbox.emulators.crm.app import (
    API_PREFIX,
    CLIENT_ID,
    CLIENT_SECRET,
    MAX_LIMIT,
    CrmApp,
    decode_cursor,
    encode_cursor,
)

__all__ = [
    "API_PREFIX",
    "CLIENT_ID",
    "CLIENT_SECRET",
    "MAX_LIMIT",
    "CrmApp",
    "create_app",
    "decode_cursor",
    "encode_cursor",
]


def create_app(sandbox_dir: Path, faults: Faults | None = None) -> CrmApp:
    """Build the CRM emulator over ``<sandbox_dir>/world/crm``.

    Args:
        sandbox_dir: The sandbox directory holding ``world/crm/*.parquet``.
        faults: Fault knobs (none by default).

    Returns:
        The app; serve it with ``RunningEmulator(app).start()``.
    """
    return CrmApp(sandbox_dir, faults)
