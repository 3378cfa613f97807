"""Hashes of identifiers that join across sources (and in dbt)."""

from __future__ import annotations

import hashlib

from ingestion.common.normalize.email import normalize_email
from ingestion.common.normalize.phone import normalize_phone


def hash_identifier(value: str | None) -> str | None:
    """SHA-256 (lower-case hex) of an already normalised identifier.

    Pass the output of :func:`normalize_phone` or :func:`normalize_email`: the hash
    joins across sources only because every source normalises the same way. The
    value is trimmed and nothing else, so this equals DuckDB's
    ``sha256(trim(value))`` and a dbt model can recompute it. No salt: the hash
    pseudonymises for joining, it does not make a phone number secret.

    Args:
        value: A normalised identifier, or None.

    Returns:
        64 hex characters, or None for None or an empty string.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def phone_hash(raw: object, default_region: str = "CN") -> str | None:
    """``hash_identifier(normalize_phone(raw))``: the phone hash every source uses."""
    return hash_identifier(normalize_phone(raw, default_region))


def email_hash(raw: object) -> str | None:
    """``hash_identifier(normalize_email(raw))``: the e-mail hash every source uses."""
    return hash_identifier(normalize_email(raw))
