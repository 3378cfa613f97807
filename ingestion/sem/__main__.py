"""``python -m ingestion.sem [--home DIR] [--end-date YYYY-MM-DD]``: load SEM into ``raw_sem``.

Settings come from dlt's providers: ``SOURCES__SEM__BAIDU_BASE_URL``,
``SOURCES__SEM__BAIDU_USER_NAME``, ``SOURCES__SEM__BAIDU_ACCESS_TOKEN``,
``SOURCES__SEM__OCEAN_BASE_URL``, ``SOURCES__SEM__OCEAN_ACCESS_TOKEN``,
``SOURCES__SEM__OCEAN_ADVERTISER_IDS`` (or ``.dlt/config.toml`` / ``.dlt/secrets.toml``);
either system is skipped when it is not configured. For the sandbox, start the
emulators first (``python -m sandbox.emulators --sandbox-dir ... --endpoints ...``).
"""

from __future__ import annotations

import argparse
import sys

from ingestion.common.standalone import run_standalone
from ingestion.sem import sem_source
from ingestion.sem.settings import SOURCE_NAME
from ingestion.settings import Home


def _options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--end-date", help="last China date to load (default: today)")


def _build(args: argparse.Namespace, home: Home):
    return sem_source(**({"end_date": args.end_date} if args.end_date else {}))


if __name__ == "__main__":
    sys.exit(run_standalone(SOURCE_NAME, _build, description=__doc__, add_options=_options))
