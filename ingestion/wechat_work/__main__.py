"""``python -m ingestion.wechat_work [--home DIR]``: load WeChat Work into ``raw_wechat_work``.

Settings come from dlt's providers: ``SOURCES__WECHAT_WORK__BASE_URL``, ``__CORPID``,
``__CORPSECRET`` (and optionally ``__TODAY``), or ``.dlt/config.toml`` / ``secrets.toml``.
"""

from __future__ import annotations

import argparse
import logging
import sys

from ingestion.common.pipeline import make_pipeline, run_pipeline
from ingestion.settings import resolve_home
from ingestion.wechat_work import wechat_work_source
from ingestion.wechat_work.settings import SOURCE_NAME


def main(argv: list[str] | None = None) -> int:
    """Load follow users, external contacts and contact statistics into the warehouse."""
    parser = argparse.ArgumentParser(prog="python -m ingestion.wechat_work", description=__doc__)
    parser.add_argument("--home", help="data directory (default: $SALESDW_HOME or ./.salesdw)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    home = resolve_home(args.home)
    summary = run_pipeline(
        make_pipeline(SOURCE_NAME, home), wechat_work_source(), source_name=SOURCE_NAME
    )
    tables = ", ".join(f"{t}={n}" for t, n in sorted(summary.rows_per_table.items())) or "none"
    print(  # noqa: T201 (a CLI prints its summary)
        f"wechat_work: {summary.rows} rows ({tables}), {summary.rejected_rows} rejected, "
        f"{summary.seconds:.1f}s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
