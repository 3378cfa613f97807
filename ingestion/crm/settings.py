"""How the CRM's API and objects map to raw tables: the one place a real CRM is configured.

``CRM_API`` describes the HTTP shape (token endpoint, envelope, cursor paging,
parameter names); ``CRM_OBJECTS`` holds one :class:`CrmObject` per raw table:
its endpoint, primary key, incremental cursor field, typed fields (the Arrow
schema the connector builds) and the dlt schema contract for new columns.
Pointing salesdw at Salesforce, 纷享销客 or 销售易 means writing another such
mapping (see README.md), not changing the connector.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from dlt.common.schema.typing import TSchemaContract

SOURCE_SYSTEM = "crm"

FieldKind = Literal[
    "text", "int32", "int64", "bool", "timestamp", "epoch_ms", "date", "decimal", "phone"
]
"""How a field is parsed: ``timestamp`` is ISO 8601 with a zone, ``epoch_ms`` epoch
milliseconds (number or digit string), ``decimal`` a number or numeric string
(money travels as a string beside a currency field), ``phone`` a raw phone kept
as text plus its E.164 form in ``<name>_e164``."""


@dataclass(frozen=True)
class CrmField:
    """One field of a CRM object and the raw column it lands in.

    Attributes:
        name: Raw column name in the warehouse.
        kind: How the value is parsed and typed.
        source: The API's field name when it differs from ``name``.
        required: A record without a usable value is rejected.
        precision: Decimal precision (``decimal`` only).
        scale: Decimal scale (``decimal`` only).
    """

    name: str
    kind: FieldKind = "text"
    source: str | None = None
    required: bool = False
    precision: int = 18
    scale: int = 2

    @property
    def api_name(self) -> str:
        """The key of this field in an API record."""
        return self.source or self.name


@dataclass(frozen=True)
class CrmObject:
    """One CRM object loaded into one raw table.

    Attributes:
        name: Raw table name (``raw_crm.<name>``).
        endpoint: Path of the list endpoint, relative to the base URL.
        fields: The typed fields; every other field a record carries is passed
            through as text and meets ``schema_contract``.
        primary_key: Merge key.
        cursor_field: Raw column of the incremental cursor (last-modified time).
        schema_contract: dlt schema contract of the table.
        params: Extra list-request parameters of this object (templated like
            ``CrmApi.extra_params``).
    """

    name: str
    endpoint: str
    fields: tuple[CrmField, ...]
    primary_key: str = "id"
    cursor_field: str = "updated_at"
    schema_contract: TSchemaContract = "evolve"
    params: dict[str, str] = field(default_factory=dict)

    def field(self, name: str) -> CrmField:
        """The field with raw column ``name``."""
        return next(f for f in self.fields if f.name == name)


@dataclass(frozen=True)
class CrmApi:
    """The HTTP shape of the CRM's API (all paths relative to the base URL).

    The defaults describe the sandbox CRM: OAuth2 client credentials, list
    endpoints answering ``{"data": [...], "next_cursor": ..., "has_more": ...}``,
    the next page asked for with ``cursor=<next_cursor>``. Parameter values in
    ``extra_params`` (and in each object's ``params``) may hold ``{since}`` and
    ``{limit}``, e.g. a Salesforce SOQL query.

    Attributes:
        token_path: OAuth2 client-credentials token endpoint.
        data_selector: Key (or JSON path) of the records in a page.
        paging: ``cursor`` (a cursor value sent back as a parameter) or
            ``next_url`` (the page names the URL of the next page).
        next_cursor_path: Where the next cursor is (``cursor`` paging).
        has_more_path: Where the "more pages" flag is (``cursor`` paging), or None.
        cursor_param: Parameter that carries the cursor (``cursor`` paging).
        next_url_path: Where the next page's URL is (``next_url`` paging).
        limit_param: Page-size parameter, or None when the API has none.
        since_param: Incremental lower-bound parameter, or None when ``{since}``
            goes into a templated parameter instead.
        since_format: ``iso_ms`` (``2025-01-02T03:04:05.678Z``) or ``epoch_ms``.
        max_page_size: The API's largest page.
        headers: Sent with every request (e.g. ``Sforce-Query-Options``).
        extra_params: Sent with every list request (templated).
    """

    token_path: str = "oauth/token"
    data_selector: str = "data"
    paging: Literal["cursor", "next_url"] = "cursor"
    next_cursor_path: str = "next_cursor"
    has_more_path: str | None = "has_more"
    cursor_param: str = "cursor"
    next_url_path: str = "nextRecordsUrl"
    limit_param: str | None = "limit"
    since_param: str | None = "updated_since"
    since_format: Literal["iso_ms", "epoch_ms"] = "iso_ms"
    max_page_size: int = 2000
    headers: dict[str, str] = field(default_factory=dict)
    extra_params: dict[str, str] = field(default_factory=dict)


CRM_API = CrmApi()

# Finance objects must not change shape unnoticed: a new column fails the load until
# a person maps it. Everything else takes new columns as they come.
FINANCE_CONTRACT: TSchemaContract = {"tables": "evolve", "columns": "freeze", "data_type": "freeze"}
DEFAULT_CONTRACT: TSchemaContract = "evolve"


def _text(*names: str) -> tuple[CrmField, ...]:
    return tuple(CrmField(n) for n in names)


_ID = (CrmField("id", required=True),)
_AUDIT = (
    CrmField("created_at", "timestamp"),
    CrmField("updated_at", "timestamp", required=True),
    CrmField("is_deleted", "bool"),
)
_MONEY = CrmField("amount", "decimal")

# fmt: off
_OBJECT_FIELDS: dict[str, tuple[CrmField, ...]] = {
    "users": (
        *_ID, *_text("name", "email", "wechat_userid", "team", "region", "role", "industries",
                     "products"),
        CrmField("capacity", "int32"), CrmField("is_active", "bool"), *_AUDIT,
    ),
    "campaigns": (
        *_ID, *_text("name", "channel", "type"), CrmField("start_date", "date"),
        CrmField("end_date", "date"), CrmField("budget", "decimal"),
        CrmField("actual_cost", "decimal"), *_text("currency", "external_id"), *_AUDIT,
    ),
    "accounts": (
        *_ID, *_text("name", "industry"), CrmField("employee_count", "int32"),
        *_text("province", "city", "region", "tech_stack", "owner_id"), *_AUDIT,
    ),
    "contacts": (
        *_ID, *_text("account_id", "name"), CrmField("mobile", "phone"),
        *_text("email", "title", "department", "wechat_external_userid", "owner_id"), *_AUDIT,
    ),
    "leads": (
        *_ID, *_text("name", "company"), CrmField("mobile", "phone"),
        *_text("email", "title", "source_channel", "campaign_id", "keyword", "click_id",
               "external_lead_id", "status", "owner_id"),
        CrmField("first_response_at", "timestamp"), CrmField("mql_at", "timestamp"),
        CrmField("sql_at", "timestamp"), CrmField("converted_at", "timestamp"),
        *_text("converted_contact_id", "converted_account_id", "converted_opportunity_id",
               "disqualified_reason"),
        *_AUDIT,
        CrmField("industry"), CrmField("employee_count", "int32"),
    ),
    "opportunities": (
        *_ID, *_text("name", "account_id", "contact_id", "lead_id", "owner_id", "product",
                     "stage"),
        _MONEY, CrmField("currency"), CrmField("probability", "int32"),
        CrmField("forecast_category"), CrmField("close_date", "date"),
        CrmField("is_closed", "bool"), CrmField("is_won", "bool"),
        CrmField("closed_at", "timestamp"), *_AUDIT,
    ),
    "opportunity_stage_history": (
        *_ID, *_text("opportunity_id", "stage"), _MONEY, CrmField("currency"),
        CrmField("probability", "int32"), CrmField("forecast_category"),
        CrmField("close_date", "date"), CrmField("changed_by"), *_AUDIT,
    ),
    "activities": (
        *_ID, *_text("type", "subject", "notes", "lead_id", "contact_id", "account_id",
                     "opportunity_id", "owner_id"),
        CrmField("occurred_at", "timestamp"), CrmField("duration_minutes", "int32"), *_AUDIT,
    ),
    "marketing_events": (
        *_ID, *_text("event_type", "lead_id", "contact_id", "anonymous_id", "campaign_id",
                     "url"),
        CrmField("occurred_at", "timestamp"), *_AUDIT,
    ),
    "quotes": (
        *_ID, *_text("quote_no", "opportunity_id", "account_id"),
        CrmField("list_amount", "decimal"), CrmField("discount_pct", "decimal", precision=5),
        _MONEY, *_text("currency", "approval_level", "approved_by", "status"), *_AUDIT,
    ),
    "orders": (
        *_ID, *_text("order_no", "account_id", "opportunity_id", "quote_id", "owner_id"),
        _MONEY, *_text("currency", "status"), CrmField("order_date", "date"),
        CrmField("completed_at", "timestamp"), *_AUDIT,
    ),
    "invoices": (
        *_ID, *_text("invoice_no", "order_id", "account_id"), _MONEY, CrmField("currency"),
        CrmField("issued_date", "date"), CrmField("due_date", "date"), CrmField("status"),
        *_AUDIT,
    ),
    "service_cases": (
        *_ID, *_text("account_id", "contact_id", "subject", "priority", "status"),
        CrmField("opened_at", "timestamp"), CrmField("resolved_at", "timestamp"), *_AUDIT,
    ),
    # Salesforce DatedConversionRate semantics: units of iso_code per one CNY.
    "currency_rates": (
        *_ID, CrmField("iso_code", required=True), CrmField("start_date", "date"),
        CrmField("next_start_date", "date"),
        CrmField("conversion_rate", "decimal", required=True, scale=9), *_AUDIT,
    ),
}
# fmt: on

FINANCE_OBJECTS = frozenset({"orders", "invoices", "currency_rates"})

CRM_OBJECTS: dict[str, CrmObject] = {
    name: CrmObject(
        name=name,
        endpoint=f"api/v1/{name}",
        fields=fields,
        schema_contract=FINANCE_CONTRACT if name in FINANCE_OBJECTS else DEFAULT_CONTRACT,
    )
    for name, fields in _OBJECT_FIELDS.items()
}
