"""``python -m ingestion.bank``: load the landing folder's statement files into $SALESDW_HOME."""

from __future__ import annotations

import logging
import sys

import dlt

from ingestion.bank import bank_source
from ingestion.common.pipeline import make_pipeline, run_pipeline
from ingestion.settings import resolve_home

log = logging.getLogger("ingestion.bank")


def main() -> int:
    """Load ``SOURCES__BANK__LANDING_DIR`` (else ``<home>/landing/bank``) and log a summary."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    home = resolve_home()
    landing = dlt.config.get("sources.bank.landing_dir") or str(home.landing("bank"))
    summary = run_pipeline(
        make_pipeline("bank", home), bank_source(landing_dir=landing), source_name="bank"
    )
    log.info(
        "bank: %d rows %s, %d rejected, %.1fs",
        summary.rows,
        summary.rows_per_table,
        summary.rejected_rows,
        summary.seconds,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
