"""``python -m ingestion.crm [--home DIR] [--objects a,b]``: load the CRM into ``raw_crm``.

Settings come from dlt's providers: ``SOURCES__CRM__BASE_URL``, ``SOURCES__CRM__CLIENT_ID``,
``SOURCES__CRM__CLIENT_SECRET`` (or ``.dlt/config.toml`` / ``.dlt/secrets.toml``). For the
sandbox, start the emulator first: ``python -m sandbox.emulators.crm <home>/sandbox``.
"""

from __future__ import annotations

import argparse
import logging
import sys

from ingestion.common.pipeline import make_pipeline, run_pipeline
from ingestion.crm import crm_source
from ingestion.crm.settings import SOURCE_SYSTEM
from ingestion.settings import resolve_home


def main(argv: list[str] | None = None) -> int:
    """Load every (or the chosen) CRM object into the warehouse of the data directory."""
    parser = argparse.ArgumentParser(prog="python -m ingestion.crm", description=__doc__)
    parser.add_argument("--home", help="data directory (default: $SALESDW_HOME or ./.salesdw)")
    parser.add_argument("--objects", help="comma-separated objects (default: all)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    objects = [o.strip() for o in args.objects.split(",")] if args.objects else None
    home = resolve_home(args.home)
    summary = run_pipeline(
        make_pipeline(SOURCE_SYSTEM, home), crm_source(objects=objects), source_name=SOURCE_SYSTEM
    )
    tables = ", ".join(f"{t}={n}" for t, n in sorted(summary.rows_per_table.items())) or "none"
    rate = summary.rows / summary.seconds if summary.seconds else 0.0
    print(  # noqa: T201 (a CLI prints its summary)
        f"crm: {summary.rows} rows ({tables}), {summary.rejected_rows} rejected, "
        f"{summary.seconds:.1f}s ({rate:,.0f} rows/s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
