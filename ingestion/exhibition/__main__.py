"""``python -m ingestion.exhibition [--home DIR] [--landing DIR]``: load landed badge-scan files."""

from __future__ import annotations

import argparse
import logging
import sys

from ingestion.common.pipeline import make_pipeline, run_pipeline
from ingestion.exhibition import exhibition_source
from ingestion.exhibition.settings import SOURCE_NAME
from ingestion.settings import resolve_home


def main(argv: list[str] | None = None) -> int:
    """Load every new file of the landing folder into ``raw_exhibition``."""
    parser = argparse.ArgumentParser(prog="python -m ingestion.exhibition", description=__doc__)
    parser.add_argument("--home", help="data directory (default: $SALESDW_HOME or ./.salesdw)")
    parser.add_argument("--landing", help="landing folder (default: <home>/landing/exhibition)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    home = resolve_home(args.home)
    landing = args.landing or str(home.landing(SOURCE_NAME))
    summary = run_pipeline(
        make_pipeline(SOURCE_NAME, home),
        exhibition_source(landing_dir=landing),
        source_name=SOURCE_NAME,
    )
    tables = ", ".join(f"{t}={n}" for t, n in sorted(summary.rows_per_table.items())) or "none"
    print(  # noqa: T201 (a CLI prints its summary)
        f"exhibition: {summary.rows} rows ({tables}), {summary.rejected_rows} rejected, "
        f"{summary.seconds:.1f}s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
