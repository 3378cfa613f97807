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
import logging
import sys

from ingestion.common.pipeline import make_pipeline, run_pipeline
from ingestion.sem import sem_source
from ingestion.sem.settings import SOURCE_NAME
from ingestion.settings import resolve_home


def main(argv: list[str] | None = None) -> int:
    """Load Baidu and Ocean Engine data into the warehouse of the data directory."""
    parser = argparse.ArgumentParser(prog="python -m ingestion.sem", description=__doc__)
    parser.add_argument("--home", help="data directory (default: $SALESDW_HOME or ./.salesdw)")
    parser.add_argument("--end-date", help="last China date to load (default: today)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    home = resolve_home(args.home)
    overrides = {"end_date": args.end_date} if args.end_date else {}
    summary = run_pipeline(
        make_pipeline(SOURCE_NAME, home), sem_source(**overrides), source_name=SOURCE_NAME
    )
    tables = ", ".join(f"{t}={n}" for t, n in sorted(summary.rows_per_table.items())) or "none"
    rate = summary.rows / summary.seconds if summary.seconds else 0.0
    print(  # noqa: T201 (a CLI prints its summary)
        f"sem: {summary.rows} rows ({tables}), {summary.rejected_rows} rejected, "
        f"{summary.seconds:.1f}s ({rate:,.0f} rows/s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
