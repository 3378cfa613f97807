"""Search ads and lead ads: Baidu 百度营销 and Ocean Engine 巨量引擎 (Douyin) on one server.

Sandbox credentials (fixed):

- Baidu: header ``userName`` "salesdw-baidu", ``accessToken`` "sandbox-baidu-token".
  Refresh: ``POST /oauth/refreshToken`` {appId "salesdw-baidu-app", secretKey
  "sandbox-baidu-secret", refreshToken "sandbox-baidu-refresh-token", userId}
  → {code 0, data {accessToken, refreshToken, expiresIn}} (real host: u.baidu.com).
- Ocean Engine: header ``Access-Token`` "sandbox-ocean-token". Refresh:
  ``POST /open_api/oauth2/refresh_token/`` {app_id "1800000000000001", secret
  "sandbox-ocean-secret", grant_type "refresh_token", refresh_token
  "sandbox-ocean-refresh-token"} → {code 0, data {access_token, refresh_token, ...}}.

Routes:

- ``POST /json/sms/service/OpenApiReportService/getReportData``: reportType 2602783
  (keyword) or 2290316 (campaign, summed), timeUnit DAY, startRow/rowCount paging
  (rowCount <= 10,000). Deleted objects carry a "[已删除]" name suffix.
- ``POST /json/sms/service/LeadsNoticeService/getNoticeList``: window <= 30 days
  (else status 2, failure 9105), pageNo/pageSize (<= 1,000), optional solutionType.
  ``body.data[0]`` = {pageNo, pageSize, totalCount, totalPage, notices[]}.
- ``GET /open_api/2/tools/clue/get/``: clues; ids as numbers or strings; ``app_name``
  is missing for clues younger than 10 minutes on the emulator clock.
- ``GET /open_api/v3.0/report/custom/get/``: daily promotion report of one
  advertiser (<= 30 days, page_size <= 1,000).
- Control (not data calls): ``POST /_sandbox/sem/clock`` {now | advance_minutes},
  ``POST /_sandbox/sem/baidu_leads`` {count}, ``POST /_sandbox/sem/douyin_clues``
  {count} (append records created "now"), plus the base app's faults and health.

Errors (see :class:`~sandbox.emulators.sem.faults.SemCodes`): Baidu bad/expired
token → header status 2, failure 8402 (missing token 8401, bad userName 8102);
rate limit → status 3, failure 421; server errors alternate HTTP 500 and status 3
failure 8601. Ocean Engine: invalid token 40105, expired token 40102, rate limit
40100, server errors alternate HTTP 500 and code 50000. Malformed records cycle
through a bad value (cost "--", phone "12345"), an impossible date or time, and a
missing clue id.

The clock ("now") defaults to ``as_of`` in ``<sandbox_dir>/truth/meta.json``.
"""

from __future__ import annotations

from pathlib import Path

from sandbox.emulators.base import Faults
from sandbox.emulators.sem.app import (
    BAIDU_ACCESS_TOKEN,
    BAIDU_APP_ID,
    BAIDU_REFRESH_TOKEN,
    BAIDU_SECRET_KEY,
    BAIDU_USER_NAME,
    OCEAN_ACCESS_TOKEN,
    OCEAN_APP_ID,
    OCEAN_REFRESH_TOKEN,
    OCEAN_SECRET,
    SemEmulator,
)
from sandbox.emulators.sem.faults import SemCodes

__all__ = [
    "BAIDU_ACCESS_TOKEN",
    "BAIDU_APP_ID",
    "BAIDU_REFRESH_TOKEN",
    "BAIDU_SECRET_KEY",
    "BAIDU_USER_NAME",
    "OCEAN_ACCESS_TOKEN",
    "OCEAN_APP_ID",
    "OCEAN_REFRESH_TOKEN",
    "OCEAN_SECRET",
    "SemCodes",
    "SemEmulator",
    "create_app",
]


def create_app(sandbox_dir: Path, faults: Faults | None = None) -> SemEmulator:
    """Build the SEM emulator over ``<sandbox_dir>/world/sem``."""
    return SemEmulator(Path(sandbox_dir), faults)
