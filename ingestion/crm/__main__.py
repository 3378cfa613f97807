"""``python -m ingestion.crm [--home DIR] [--objects a,b]``: load the CRM into ``raw_crm``.

Settings come from dlt's providers: ``SOURCES__CRM__BASE_URL``, ``SOURCES__CRM__CLIENT_ID``,
``SOURCES__CRM__CLIENT_SECRET`` (or ``.dlt/config.toml`` / ``.dlt/secrets.toml``). For the
sandbox, start the emulator first: ``python -m sandbox.emulators.crm <home>/sandbox``.
"""

from __future__ import annotations

import argparse
import sys

from ingestion.common.standalone import run_standalone
from ingestion.crm import crm_source
from ingestion.crm.settings import SOURCE_SYSTEM
from ingestion.settings import Home


def _options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--objects", help="comma-separated objects (default: all)")


def _build(args: argparse.Namespace, home: Home):
    objects = [o.strip() for o in args.objects.split(",")] if args.objects else None
    return crm_source(objects=objects)


if __name__ == "__main__":
    sys.exit(run_standalone(SOURCE_SYSTEM, _build, description=__doc__, add_options=_options))
