"""``python -m ingestion.wechat_work [--home DIR]``: load WeChat Work into ``raw_wechat_work``.

Settings come from dlt's providers: ``SOURCES__WECHAT_WORK__BASE_URL``, ``__CORPID``,
``__CORPSECRET`` (and optionally ``__TODAY``), or ``.dlt/config.toml`` / ``secrets.toml``.
"""

from __future__ import annotations

import sys

from ingestion.common.standalone import run_standalone
from ingestion.wechat_work import wechat_work_source
from ingestion.wechat_work.settings import SOURCE_NAME

if __name__ == "__main__":
    sys.exit(
        run_standalone(SOURCE_NAME, lambda args, home: wechat_work_source(), description=__doc__)
    )
