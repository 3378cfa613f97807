"""Constants of the SEM source: endpoints, report columns, error codes, page sizes."""

from __future__ import annotations

from typing import Any

SOURCE_NAME = "sem"
BAIDU = "baidu"
OCEAN = "ocean_engine"
CURRENCY = "CNY"
CHINA_TZ_NAME = "Asia/Shanghai"
DELETED_SUFFIX = "[已删除]"

# ------------------------------------------------------------------ Baidu 百度营销
BAIDU_DEFAULT_URL = "https://api.baidu.com"
BAIDU_OAUTH_DEFAULT_URL = "https://u.baidu.com"
BAIDU_REPORT_PATH = "/json/sms/service/OpenApiReportService/getReportData"
BAIDU_LEADS_PATH = "/json/sms/service/LeadsNoticeService/getNoticeList"
BAIDU_REFRESH_PATH = "/oauth/refreshToken"
KEYWORD_REPORT_TYPE = 2602783
KEYWORD_COLUMNS = [
    "date",
    "userName",
    "campaignId",
    "campaignName",
    "adGroupId",
    "adGroupName",
    "keywordId",
    "wInfoNameStatus",
    "impression",
    "click",
    "cost",
]
BAIDU_REPORT_ROWS = 10_000  # rowCount per page of the synchronous report
BAIDU_LEADS_PAGE = 1_000
# Header status: 0 ok, 1 partial (body still present), 2 failure, 3 system error.
BAIDU_OK_STATUSES = frozenset({0, 1})
BAIDU_SYSTEM_ERROR_STATUS = 3
# Token problems: missing, invalid, deleted, not authorised (8401-8412).
BAIDU_AUTH_CODES = frozenset({8401, 8402, 8403, 8408, 8410, 8412})
# Rate limits and transient system errors: retried with backoff.
BAIDU_RETRY_CODES = frozenset({405, 421, 502, 800, 8601, 8602, 8604, 8605, 8606})

# ------------------------------------------------------------------ Ocean Engine 巨量引擎
OCEAN_DEFAULT_URL = "https://ad.oceanengine.com"
OCEAN_CLUES_PATH = "/open_api/2/tools/clue/get/"
OCEAN_REPORT_PATH = "/open_api/v3.0/report/custom/get/"
OCEAN_REFRESH_PATH = "/open_api/oauth2/refresh_token/"
OCEAN_PAGE = 1_000
OCEAN_REPORT_DIMENSIONS = ["stat_time_day", "cdp_promotion_id", "cdp_promotion_name"]
OCEAN_REPORT_METRICS = ["stat_cost", "show_cnt", "click_cnt"]
# The public code list is unconfirmed: these follow the SDKs and stay configurable.
OCEAN_AUTH_CODES = frozenset({40102, 40103, 40104, 40105, 40107})
OCEAN_RETRY_CODES = frozenset({40100, 40110, 50000, 51010})

# ------------------------------------------------------------------ windows and retries
BATCH_ROWS = 50_000  # rows per Arrow table handed to dlt (it has a cost per item)
BATCH_REJECTS = 5_000  # rejected rows per list handed to dlt
# Calls in flight per system (Baidu, Ocean Engine). Neither publishes a concurrency
# limit for these endpoints; rate-limit answers are retried with backoff.
MAX_WORKERS = 4
WINDOW_DAYS = 30  # Baidu notices and Ocean reports: at most 30 days per request
MAX_RETRIES = 6
BACKOFF_SECONDS = 1.0
MAX_BACKOFF_SECONDS = 30.0
TIMEOUT_SECONDS = 60.0

# formDetail / remark_dict labels -> column (lower-case keys; a form field's "type"
# is tried first, then its "name").
FORM_FIELDS: dict[str, str] = {
    "name": "name",
    "姓名": "name",
    "名字": "name",
    "联系人": "name",
    "称呼": "name",
    "company": "company",
    "公司": "company",
    "公司名称": "company",
    "企业名称": "company",
    "单位": "company",
    "单位名称": "company",
    "企业": "company",
    "email": "email",
    "e-mail": "email",
    "邮箱": "email",
    "电子邮箱": "email",
    "邮件": "email",
    "电子邮件": "email",
    "title": "title",
    "职位": "title",
    "职务": "title",
    "岗位": "title",
    "头衔": "title",
    "phone": "phone",
    "mobile": "phone",
    "tel": "phone",
    "电话": "phone",
    "手机": "phone",
    "手机号": "phone",
    "手机号码": "phone",
    "联系电话": "phone",
    "联系方式": "phone",
}

# ------------------------------------------------------------------ raw table hints
_MONEY: dict[str, Any] = {"data_type": "decimal", "precision": 18, "scale": 2}


def _columns(*specs: tuple[str, str | dict[str, Any], bool]) -> dict[str, dict[str, Any]]:
    columns: dict[str, dict[str, Any]] = {}
    for name, kind, nullable in specs:
        hint = dict(kind) if isinstance(kind, dict) else {"data_type": kind}
        hint["nullable"] = nullable
        columns[name] = hint
    return columns


KEYWORD_HINTS = _columns(
    ("date", "date", False),
    ("user_name", "text", True),
    ("campaign_id", "bigint", True),
    ("campaign_name", "text", True),
    ("is_campaign_deleted", "bool", True),
    ("adgroup_id", "bigint", True),
    ("adgroup_name", "text", True),
    ("is_adgroup_deleted", "bool", True),
    ("keyword_id", "bigint", False),
    ("keyword", "text", True),
    ("is_keyword_deleted", "bool", True),
    ("impression", "bigint", True),
    ("click", "bigint", True),
    ("cost", _MONEY, True),
    ("currency", "text", False),
    ("_source_system", "text", False),
)
LEAD_HINTS = _columns(
    ("clue_id", "text", False),
    ("commit_time", "timestamp", False),
    ("clue_phone_number", "text", True),
    ("phone_e164", "text", True),
    ("name", "text", True),
    ("company", "text", True),
    ("email", "text", True),
    ("title", "text", True),
    ("form_detail", "text", True),
    ("flow_channel_name", "text", True),
    ("area", "text", True),
    ("campaign_id", "bigint", True),
    ("campaign_name", "text", True),
    ("adgroup_id", "bigint", True),
    ("adgroup_name", "text", True),
    ("keyword_id", "bigint", True),
    ("keyword", "text", True),
    ("search_word", "text", True),
    ("url", "text", True),
    ("bd_vid", "text", True),
    ("solution_type", "text", True),
    ("_source_system", "text", False),
)
PROMOTION_HINTS = _columns(
    ("stat_date", "date", False),
    ("advertiser_id", "text", False),
    ("promotion_id", "text", False),
    ("promotion_name", "text", True),
    ("show_cnt", "bigint", True),
    ("click_cnt", "bigint", True),
    ("cost", _MONEY, True),
    ("currency", "text", False),
    ("_source_system", "text", False),
)
CLUE_HINTS = _columns(
    ("clue_id", "text", False),
    ("create_time", "timestamp", False),
    ("advertiser_id", "text", True),
    ("promotion_id", "text", True),
    ("promotion_name", "text", True),
    ("clue_type", "bigint", True),
    ("clue_source", "text", True),
    ("name", "text", True),
    ("telephone", "text", True),
    ("phone_e164", "text", True),
    ("gender", "text", True),
    ("email", "text", True),
    ("weixin", "text", True),
    ("province_name", "text", True),
    ("city_name", "text", True),
    ("remark_dict", "text", True),
    ("app_name", "text", True),
    ("clue_state", "bigint", True),
    ("_source_system", "text", False),
)
# New API fields never reach a raw table by themselves (each table's columns are built
# explicitly); a column added here in code is accepted, a type change is refused.
SCHEMA_CONTRACT = {"tables": "evolve", "columns": "evolve", "data_type": "freeze"}
