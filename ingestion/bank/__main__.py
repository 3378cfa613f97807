"""``python -m ingestion.bank``: load the landing folder's statement files into $SALESDW_HOME."""

from __future__ import annotations

import sys

import dlt

from ingestion.bank import bank_source
from ingestion.common.standalone import run_standalone

if __name__ == "__main__":
    sys.exit(
        run_standalone(
            "bank",
            lambda args, home: bank_source(
                landing_dir=dlt.config.get("sources.bank.landing_dir") or str(home.landing("bank"))
            ),
            description=__doc__,
        )
    )
