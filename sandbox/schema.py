"""The sandbox world's tables: the contract between the generator and the emulators.

The generator (``sandbox.world``) writes every table below as Parquet under
``<home>/sandbox/world/<system>/<table>.parquet`` (the state each source system
holds, in that system's own messy values) and the ground truth under
``<home>/sandbox/truth/<table>.parquet``. The emulators (``sandbox.emulators``)
serve the system tables over the real protocols; the file writers
(``sandbox.files``) turn the exhibition and bank tables into file drops.

Timestamps are UTC (``timestamp[us, tz=UTC]``); an emulator renders them the way
its real system does (epoch seconds, China-time strings, ISO 8601). Money is
``decimal128(18, 2)`` beside a currency column. Ids are strings unless the real
system uses integers. Nullable unless stated: real systems omit fields.

The generator may add columns (document them here); it must not rename or drop
any, since emulators, connectors and tests read them by name.
"""

from __future__ import annotations

import pyarrow as pa

TS = pa.timestamp("us", tz="UTC")
MONEY = pa.decimal128(18, 2)
STR = pa.string()
I64 = pa.int64()
I32 = pa.int32()
F64 = pa.float64()
BOOL = pa.bool_()
DATE = pa.date32()

# The seven channels of the customer journey, as codes used everywhere.
CHANNELS = ("sem", "douyin", "website", "exhibition", "wechat", "email", "sales")

# Opportunity stages in order, with the CRM's default probability (%).
OPPORTUNITY_STAGES = (
    ("qualification", 10),
    ("needs_analysis", 25),
    ("proposal", 50),
    ("negotiation", 75),
    ("closed_won", 100),
    ("closed_lost", 0),
)

LEAD_STATUSES = ("new", "working", "mql", "sql", "converted", "disqualified")


def _schema(*fields: tuple[str, pa.DataType]) -> pa.Schema:
    return pa.schema([pa.field(name, dtype) for name, dtype in fields])


# --------------------------------------------------------------------------- CRM
# A neutral REST CRM (see sandbox.emulators.crm). Every object has ``id``,
# ``created_at``, ``updated_at`` (the incremental cursor) and ``is_deleted``.
_CRM_AUDIT = (("created_at", TS), ("updated_at", TS), ("is_deleted", BOOL))

CRM_TABLES: dict[str, pa.Schema] = {
    "users": _schema(
        ("id", STR),
        ("name", STR),
        ("email", STR),
        ("wechat_userid", STR),  # the rep's WeChat Work member id
        ("team", STR),
        ("region", STR),  # east, north, south, west, central
        ("role", STR),  # rep, manager, director, vp
        ("industries", STR),  # comma list of industries the rep knows best
        ("products", STR),  # comma list of products the rep sells best
        ("capacity", I32),  # open leads the rep can carry
        ("is_active", BOOL),
        *_CRM_AUDIT,
    ),
    "campaigns": _schema(
        ("id", STR),
        ("name", STR),
        ("channel", STR),  # one of CHANNELS
        ("type", STR),  # search, lead_ad, exhibition, email, content, webinar
        ("start_date", DATE),
        ("end_date", DATE),
        ("budget", MONEY),
        ("actual_cost", MONEY),
        ("currency", STR),
        ("external_id", STR),  # Baidu campaign id, Douyin promotion id, exhibition id
        *_CRM_AUDIT,
    ),
    "accounts": _schema(
        ("id", STR),
        ("name", STR),  # as typed by a rep: variants of the legal name
        ("industry", STR),
        ("employee_count", I32),
        ("province", STR),
        ("city", STR),
        ("region", STR),
        ("tech_stack", STR),  # comma list
        ("owner_id", STR),
        *_CRM_AUDIT,
    ),
    "contacts": _schema(
        ("id", STR),
        ("account_id", STR),
        ("name", STR),
        ("mobile", STR),  # messy: '+86 138-0013-8000', '13800138000', full-width
        ("email", STR),
        ("title", STR),
        ("department", STR),
        ("wechat_external_userid", STR),
        ("owner_id", STR),
        *_CRM_AUDIT,
    ),
    "leads": _schema(
        ("id", STR),
        ("name", STR),
        ("company", STR),
        ("mobile", STR),
        ("email", STR),
        ("title", STR),
        ("source_channel", STR),  # one of CHANNELS
        ("campaign_id", STR),
        ("keyword", STR),
        ("click_id", STR),  # Baidu bd_vid / Douyin click id, for leads from an ad
        # Baidu clue id, Douyin clue id, badge id or WeChat external_userid:
        ("external_lead_id", STR),
        ("status", STR),  # one of LEAD_STATUSES
        ("owner_id", STR),
        ("first_response_at", TS),  # first rep activity on the lead
        ("mql_at", TS),
        ("sql_at", TS),
        ("converted_at", TS),
        ("converted_contact_id", STR),
        ("converted_account_id", STR),
        ("converted_opportunity_id", STR),
        ("disqualified_reason", STR),
        *_CRM_AUDIT,
        # Added by the generator: enrichment a rep or the form captures (industry code as in
        # accounts.industry; employee headcount). Observable inputs of lead scoring.
        ("industry", STR),
        ("employee_count", I32),
    ),
    "opportunities": _schema(
        ("id", STR),
        ("name", STR),
        ("account_id", STR),
        ("contact_id", STR),
        ("lead_id", STR),
        ("owner_id", STR),
        ("product", STR),
        ("stage", STR),  # one of OPPORTUNITY_STAGES
        ("amount", MONEY),
        ("currency", STR),
        ("probability", I32),
        ("forecast_category", STR),  # pipeline, best_case, commit, closed, omitted
        ("close_date", DATE),  # expected, or actual once closed
        ("is_closed", BOOL),
        ("is_won", BOOL),
        ("closed_at", TS),
        *_CRM_AUDIT,
    ),
    "opportunity_stage_history": _schema(
        ("id", STR),
        ("opportunity_id", STR),
        ("stage", STR),
        ("amount", MONEY),
        ("currency", STR),
        ("probability", I32),
        ("forecast_category", STR),
        ("close_date", DATE),
        ("changed_by", STR),
        *_CRM_AUDIT,  # created_at is when the opportunity entered this stage
    ),
    "activities": _schema(
        ("id", STR),
        ("type", STR),  # call, visit, meeting, email, wechat, note
        ("subject", STR),
        ("notes", STR),  # empty for visits without notes
        ("lead_id", STR),
        ("contact_id", STR),
        ("account_id", STR),
        ("opportunity_id", STR),
        ("owner_id", STR),
        ("occurred_at", TS),
        ("duration_minutes", I32),
        *_CRM_AUDIT,
    ),
    # Web and email behaviour tracked by the CRM's marketing module: the big table
    # (scale 1 ≈ 1M rows, scale 20 ≈ 20M).
    "marketing_events": _schema(
        ("id", STR),
        # page_view, pricing_view, download, webinar, email_sent, email_open, email_click,
        # form_submit
        ("event_type", STR),
        ("lead_id", STR),
        ("contact_id", STR),
        ("anonymous_id", STR),  # cookie id, always present
        ("campaign_id", STR),
        ("url", STR),
        ("occurred_at", TS),
        *_CRM_AUDIT,
    ),
    "quotes": _schema(
        ("id", STR),
        ("quote_no", STR),
        ("opportunity_id", STR),
        ("account_id", STR),
        ("list_amount", MONEY),
        ("discount_pct", pa.decimal128(5, 2)),
        ("amount", MONEY),
        ("currency", STR),
        ("approval_level", STR),  # rep, manager, director, vp (discount authority)
        ("approved_by", STR),
        ("status", STR),  # draft, approved, sent, accepted, rejected
        *_CRM_AUDIT,
    ),
    "orders": _schema(
        ("id", STR),
        ("order_no", STR),  # e.g. SO-2025-000123
        ("account_id", STR),
        ("opportunity_id", STR),
        ("quote_id", STR),
        ("owner_id", STR),
        ("amount", MONEY),
        ("currency", STR),
        ("status", STR),  # confirmed, completed, cancelled (completed = the rep says so)
        ("order_date", DATE),
        ("completed_at", TS),
        *_CRM_AUDIT,
    ),
    "invoices": _schema(
        ("id", STR),
        ("invoice_no", STR),  # e.g. INV-2025-000456 (a 发票 number may also appear)
        ("order_id", STR),
        ("account_id", STR),
        ("amount", MONEY),
        ("currency", STR),
        ("issued_date", DATE),
        ("due_date", DATE),
        ("status", STR),  # issued, cancelled
        *_CRM_AUDIT,
    ),
    "service_cases": _schema(
        ("id", STR),
        ("account_id", STR),
        ("contact_id", STR),
        ("subject", STR),
        ("priority", STR),  # low, normal, high, urgent
        ("status", STR),  # open, in_progress, resolved, closed
        ("opened_at", TS),
        ("resolved_at", TS),
        *_CRM_AUDIT,
    ),
    # Dated exchange rates, as Salesforce's DatedConversionRate keeps them: the rate is
    # units of iso_code per ONE unit of the corporate currency (CNY), valid from
    # start_date until the day before next_start_date.
    "currency_rates": _schema(
        ("id", STR),
        ("iso_code", STR),
        ("start_date", DATE),
        ("next_start_date", DATE),
        ("conversion_rate", pa.decimal128(18, 9)),
        *_CRM_AUDIT,
    ),
}

# ------------------------------------------------------------------- WeChat Work
WECHAT_TABLES: dict[str, pa.Schema] = {
    # Members with customer contact enabled (get_follow_user_list).
    "follow_users": _schema(("userid", STR), ("name", STR)),
    "external_contacts": _schema(
        ("external_userid", STR),
        ("name", STR),
        ("position", STR),
        ("avatar", STR),
        ("corp_name", STR),
        ("corp_full_name", STR),
        ("type", I32),  # 1 WeChat user, 2 WeCom user
        ("gender", I32),  # 0 unknown, 1 male, 2 female
        ("unionid", STR),  # type 1 only
    ),
    # One row per (customer, follower): follow_user[] / follow_info.
    "follow_info": _schema(
        ("external_userid", STR),
        ("userid", STR),
        ("remark", STR),
        ("description", STR),
        ("createtime", TS),
        ("tags_json", STR),  # JSON list of {group_name, tag_name, type, tag_id}
        ("remark_corp_name", STR),
        ("remark_mobiles", pa.list_(STR)),
        ("add_way", I32),
        ("oper_userid", STR),
        ("state", STR),  # channel code a QR "contact me" carries (e.g. expo2025sh)
    ),
    # get_user_behavior_data, one row per member per China-time day.
    "behavior_daily": _schema(
        ("userid", STR),
        ("stat_date", DATE),
        ("chat_cnt", I32),
        ("message_cnt", I32),
        ("reply_percentage", F64),  # null on days without chats
        ("avg_reply_time", I32),  # minutes; null on days without chats
        ("negative_feedback_cnt", I32),
        ("new_apply_cnt", I32),
        ("new_contact_cnt", I32),
    ),
}

# --------------------------------------------------------------------------- SEM
SEM_TABLES: dict[str, pa.Schema] = {
    # Baidu keyword report (reportType 2602783), one row per day x keyword.
    "baidu_keyword_daily": _schema(
        ("date", DATE),
        ("user_name", STR),  # the Baidu ad account
        ("campaign_id", I64),
        ("campaign_name", STR),
        ("adgroup_id", I64),
        ("adgroup_name", STR),
        ("keyword_id", I64),
        ("keyword", STR),
        ("impression", I64),
        ("click", I64),
        ("cost", MONEY),  # CNY
    ),
    # Baidu LeadsNoticeService notices.
    "baidu_leads": _schema(
        ("clue_id", STR),
        ("clue_phone_number", STR),
        ("commit_time", TS),
        ("flow_channel_name", STR),
        ("area", STR),
        ("form_detail", STR),  # JSON array string of {name, type, value}
        ("campaign_id", I64),
        ("campaign_name", STR),
        ("adgroup_id", I64),
        ("adgroup_name", STR),
        ("keyword_id", I64),
        ("keyword", STR),
        ("search_word", STR),
        ("url", STR),
        ("bd_vid", STR),
        ("solution_type", STR),
    ),
    # Ocean Engine (Douyin) promotion report, one row per day x promotion.
    "douyin_promotion_daily": _schema(
        ("stat_date", DATE),
        ("advertiser_id", I64),
        ("promotion_id", I64),
        ("promotion_name", STR),
        ("show_cnt", I64),
        ("click_cnt", I64),
        ("cost", MONEY),  # CNY
    ),
    # Ocean Engine clues (2/tools/clue/get/).
    "douyin_clues": _schema(
        ("clue_id", STR),
        ("advertiser_id", I64),
        ("promotion_id", I64),
        ("promotion_name", STR),
        ("clue_type", I32),
        ("clue_source", STR),
        ("create_time", TS),
        ("name", STR),
        ("telephone", STR),
        ("gender", STR),
        ("email", STR),
        ("weixin", STR),
        ("province_name", STR),
        ("city_name", STR),
        ("remark_dict_json", STR),  # custom form fields, JSON object string
        ("app_name", STR),  # 今日头条, 抖音
        ("clue_state", I32),
    ),
}

# -------------------------------------------------------------------- Exhibition
# Rows before they are written to badge-scan files (sandbox.files.exhibition).
EXHIBITION_TABLES: dict[str, pa.Schema] = {
    "exhibitions": _schema(
        ("exhibition_id", STR),
        ("name", STR),  # e.g. 2025中国国际工业博览会
        ("city", STR),
        ("booth", STR),
        ("start_date", DATE),
        ("end_date", DATE),
        ("cost", MONEY),
        ("currency", STR),
        ("file_format", STR),  # csv_utf8_bom, csv_gbk, xlsx
        ("header_variant", I32),  # which header synonym set the organiser uses
    ),
    "badge_scans": _schema(
        ("scan_id", STR),  # unique per scan row in the world (duplicates share badge_id)
        ("exhibition_id", STR),
        ("badge_id", STR),
        ("name", STR),
        ("mobile", STR),
        ("email", STR),
        ("company", STR),
        ("title", STR),
        ("department", STR),
        ("scanned_at", TS),
        ("source", STR),  # 来源: 扫码, 名片, 手工录入
        ("rating", STR),  # 评级: A/B/C or 热/温/冷 or 1-5
        ("notes", STR),
    ),
}

# -------------------------------------------------------------------------- Bank
# Lines before they are written to statement files (sandbox.files.bank).
BANK_TABLES: dict[str, pa.Schema] = {
    "bank_accounts": _schema(
        ("account_no", STR),  # IBAN-like or Chinese account number
        ("bank_name", STR),
        ("bic", STR),
        ("currency", STR),
        ("file_format", STR),  # mt940, camt053, cn_csv
        ("opening_balance", MONEY),  # balance before the first line
    ),
    "bank_lines": _schema(
        ("line_id", STR),  # the bank serial number (流水号 / AcctSvcrRef)
        ("account_no", STR),
        ("booking_date", DATE),
        ("value_date", DATE),
        ("amount", MONEY),  # signed: credit positive, debit negative
        ("currency", STR),
        ("counterparty_name", STR),  # payer-name variant as the bank prints it
        ("counterparty_account", STR),
        ("remittance", STR),  # 摘要/附言/Ustrd: may carry the order or invoice number
        ("end_to_end_id", STR),
        ("bank_reference", STR),
        ("transaction_code", STR),  # e.g. NTRF, NCHG (fee), NRTI (refund)
    ),
}

# --------------------------------------------------------------------- Truth
TRUTH_TABLES: dict[str, pa.Schema] = {
    "persons": _schema(
        ("person_id", STR),
        ("account_key", STR),  # the true company (truth accounts.account_key)
        ("name", STR),
        ("phone_e164", STR),  # +8613800138000
        ("email", STR),  # lower-case canonical
        ("unionid", STR),
        ("propensity", F64),  # true probability to become a won customer
    ),
    "accounts": _schema(
        ("account_key", STR),
        ("legal_name", STR),  # e.g. 上海云帆信息科技有限公司
        ("industry", STR),
        ("employee_count", I32),
        ("region", STR),
        # Added by the generator:
        ("province", STR),
        ("city", STR),
        ("tech_stack", STR),  # comma list
        ("english_name", STR),  # as foreign-currency payers print it
        ("email_domain", STR),
    ),
    # Every identifier a source system holds for a person.
    "identities": _schema(
        ("source_system", STR),  # crm, wechat_work, sem, exhibition
        ("source_table", STR),
        ("source_id", STR),
        ("person_id", STR),
    ),
    "channel_effects": _schema(
        ("channel", STR),
        ("effect", F64),  # additive lift on the log-odds of conversion per touch
        ("touch_definition", STR),  # added: which source records count as one touch
    ),
    "lead_outcomes": _schema(
        ("lead_id", STR),
        ("person_id", STR),
        ("propensity", F64),  # true conversion propensity at lead creation
        ("is_mql", BOOL),
        ("is_sql", BOOL),
        ("has_opportunity", BOOL),
        ("is_won", BOOL),  # won by as_of (agrees with the CRM)
        # Added by the generator:
        ("will_win", BOOL),  # the Bernoulli(propensity) draw: is_won, or an open deal that will win
        ("is_opportunity_open", BOOL),  # has an opportunity still open at as_of
        ("source_channel", STR),
    ),
    # True payment -> invoice/order links: one row per (bank line, invoice).
    "payment_links": _schema(
        ("line_id", STR),
        ("invoice_id", STR),
        ("order_id", STR),
        ("amount", MONEY),  # part of the line that pays this invoice, in invoice currency
        ("kind", STR),  # full, partial, combined, fee_net, late, refund
    ),
}

# Truth tables added by the generator.
TRUTH_TABLES.update(
    {
        # Every record the generator deliberately made malformed (source systems' own faults).
        "defects": _schema(
            ("system", STR),
            ("table", STR),
            ("record_id", STR),  # clue_id, scan_id, ...
            ("defect", STR),  # one sentence
        ),
        # The dated exchange rates used for foreign-currency payments.
        "fx_rates": _schema(
            ("date", DATE),
            ("currency", STR),
            ("rate_to_cny", pa.decimal128(18, 6)),  # CNY per 1 unit of currency
        ),
        # Per-lead touch counts per channel (what truth.channel_effects multiply).
        "lead_touches": _schema(
            ("lead_id", STR),
            ("channel", STR),
            ("touches", I64),
        ),
        # Which true company every CRM account record stands for.
        "account_identities": _schema(
            ("source_system", STR),
            ("source_table", STR),
            ("source_id", STR),
            ("account_key", STR),
        ),
    }
)

ALL_SYSTEM_TABLES: dict[str, dict[str, pa.Schema]] = {
    "crm": CRM_TABLES,
    "wechat_work": WECHAT_TABLES,
    "sem": SEM_TABLES,
    "exhibition": EXHIBITION_TABLES,
    "bank": BANK_TABLES,
}
