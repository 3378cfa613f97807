"""The five source systems salesdw ingests, and how to build each one's dlt source.

A source is built in two situations: when Dagster loads its definitions (to learn
the resources, with placeholder settings and no I/O) and when a run starts (with
the real settings, resolved by dlt from env vars, ``.dlt/config.toml`` and
``.dlt/secrets.toml``, or given explicitly).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import dlt
from dlt.extract.source import DltSource

from ingestion.settings import Home

# Ingestion order of the demo: APIs first, file drops after.
SOURCE_NAMES: tuple[str, ...] = ("crm", "wechat_work", "sem", "exhibition", "bank")
FILE_SOURCES: frozenset[str] = frozenset({"exhibition", "bank"})

# Settings that let a source be built without configuration; they are never used to
# make a request (a run always builds the source again with real settings).
_PLACEHOLDERS: dict[str, dict[str, Any]] = {
    "crm": {"base_url": "http://unconfigured.invalid", "client_id": "-", "client_secret": "-"},
    "wechat_work": {"base_url": "http://unconfigured.invalid", "corpid": "-", "corpsecret": "-"},
    "sem": {
        "baidu_base_url": "http://unconfigured.invalid",
        "baidu_user_name": "-",
        "baidu_access_token": "-",
        "ocean_base_url": "http://unconfigured.invalid",
        "ocean_access_token": "-",
        "ocean_advertiser_ids": "0",
    },
}


def _factory(name: str) -> Any:
    if name not in SOURCE_NAMES:
        raise ValueError(f"unknown source {name!r}: choose from {', '.join(SOURCE_NAMES)}")
    module = importlib.import_module(f"ingestion.{name}")
    return getattr(module, f"{name}_source")


def build_source(name: str, home: Home, **settings: Any) -> DltSource:
    """Build a source for a run; unset settings resolve through dlt's config providers.

    File sources read ``<home>/landing/<source>/`` unless a landing folder is given or
    configured (``SOURCES__<SOURCE>__LANDING_DIR``, ``.dlt/config.toml``).
    """
    if (
        name in FILE_SOURCES
        and "landing_dir" not in settings
        and not dlt.config.get(f"sources.{name}.landing_dir")
    ):
        settings["landing_dir"] = str(home.landing(name))
    return _factory(name)(**settings)


def build_placeholder_source(name: str) -> DltSource:
    """Build a source only to list its resources (Dagster definitions); does no I/O."""
    settings = dict(_PLACEHOLDERS.get(name, {}))
    if name in FILE_SOURCES:
        settings["landing_dir"] = str(Path("/nonexistent/salesdw/landing") / name)
    return _factory(name)(**settings)
