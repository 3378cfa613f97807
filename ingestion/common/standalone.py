"""``python -m ingestion.<source>``: load one source without Dagster, then print a summary.

Each source's ``__main__`` names its extra options and how to build the source from
them; parsing, logging, the pipeline run and the summary line are shared here.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable

from dlt.extract.source import DltSource

from ingestion.common.pipeline import make_pipeline, run_pipeline
from ingestion.settings import Home, resolve_home

BuildSource = Callable[[argparse.Namespace, Home], DltSource]
AddOptions = Callable[[argparse.ArgumentParser], None]


def run_standalone(
    source_name: str,
    build_source: BuildSource,
    *,
    description: str | None = None,
    add_options: AddOptions | None = None,
    argv: list[str] | None = None,
) -> int:
    """Parse ``--home`` (and the source's options), load the source, print one line."""
    parser = argparse.ArgumentParser(
        prog=f"python -m ingestion.{source_name}", description=description
    )
    parser.add_argument("--home", help="data directory (default: $SALESDW_HOME or ./.salesdw)")
    if add_options:
        add_options(parser)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    home = resolve_home(args.home)
    summary = run_pipeline(
        make_pipeline(source_name, home), build_source(args, home), source_name=source_name
    )
    print(summary.describe())  # noqa: T201 (a command prints its summary)
    return 0
