"""``python -m ingestion.exhibition [--home DIR] [--landing DIR]``: load landed badge-scan files."""

from __future__ import annotations

import argparse
import sys

from ingestion.common.standalone import run_standalone
from ingestion.exhibition import exhibition_source
from ingestion.exhibition.settings import SOURCE_NAME
from ingestion.settings import Home


def _options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--landing", help="landing folder (default: <home>/landing/exhibition)")


def _build(args: argparse.Namespace, home: Home):
    return exhibition_source(landing_dir=args.landing or str(home.landing(SOURCE_NAME)))


if __name__ == "__main__":
    sys.exit(run_standalone(SOURCE_NAME, _build, description=__doc__, add_options=_options))
