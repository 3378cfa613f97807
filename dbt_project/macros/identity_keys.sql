{#- Identity keys, mirroring ingestion/common/normalize so a value normalised in
    SQL and one normalised by a dlt source give the same hash. -#}

{#- Full-width ASCII (Ａ-Ｚ, ０-９, ＠, ．), the ideographic space and full stops become
    their half-width forms: Chinese input methods type them into forms. -#}
{% macro to_halfwidth(text) -%}
    {#- translate() with this long a mapping costs ~2.5 s per million values on
        DuckDB: only texts holding a character outside printable ASCII need it. -#}
    case
        when {{ regex_matches(text, "[^ -~]") }}
            then translate(
                {{ text }},
                '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～　。｡',
                '!"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~ ..'
            )
        else {{ text }}
    end
{%- endmacro %}

{#- The canonical e-mail address in a cell, or null: lower-cased, the first
    address-shaped token (so "Name <a@b.cn>", "mailto:" and "a@b.cn; c@d.cn" work),
    placeholders such as none@… or …@example.com dropped. -#}
{% macro normalize_email(text) -%}
    {%- set address -%}
        nullif(
            {{ regex_extract(
                "lower(" ~ to_halfwidth(text) ~ ")",
                "[a-z0-9_%+-]+(\\.[a-z0-9_%+-]+)*@([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}"
            ) }},
            ''
        )
    {%- endset -%}
    case when not {{ is_placeholder_email(address) }} then {{ address }} end
{%- endmacro %}

{% macro is_placeholder_email(email) -%}
    {#- regular expressions, not IN lists: DuckDB plans an IN list inside a CASE as a
        mark join that every reader of a staging view pays for, even one that never
        selects the e-mail -#}
    (
        {{ regex_matches(
            email,
            "^(none|null|nil|na|n\\.a|noemail|no-email|no_email|nomail|test|xxx|xx|x|email|unknown)@"
        ) }}
        or {{ regex_matches(
            email,
            "@(example\\.(com|org|net)|test\\.com|none\\.com|email\\.com|xxx\\.com|xx\\.com)$"
        ) }}
    )
{%- endmacro %}

{#- A mainland mobile number in E.164 (+861[3-9] and nine digits). Landlines are
    company switchboards shared by colleagues, so they never identify a person. -#}
{% macro is_cn_mobile(phone_e164) -%}
    coalesce({{ regex_matches(phone_e164, "^\\+861[3-9][0-9]{9}$") }}, false)
{%- endmacro %}

{#- sha256 hex of a normalised identifier, as ingestion.common.normalize.hashing. -#}
{% macro identifier_hash(value) -%}
    {{ return(adapter.dispatch("identifier_hash", "salesdw")(value)) }}
{%- endmacro %}

{% macro default__identifier_hash(value) -%}
    case when trim({{ value }}) <> '' then sha2(trim({{ value }}), 256) end
{%- endmacro %}

{% macro duckdb__identifier_hash(value) -%}
    sha256(nullif(trim({{ value }}), ''))
{%- endmacro %}

{% macro postgres__identifier_hash(value) -%}
    case
        when trim({{ value }}) <> ''
            then encode(sha256(convert_to(trim({{ value }}), 'UTF8')), 'hex')
    end
{%- endmacro %}

{#- A role mailbox (info@, sales@, 客服…) is shared by colleagues: it never
    identifies one person. -#}
{% macro is_role_email(email) -%}
    coalesce({{ dbt.split_part(email, "'@'", 1) }} in (
        'info', 'sales', 'admin', 'service', 'services', 'contact', 'support', 'office',
        'hr', 'marketing', 'market', 'kefu', 'postmaster', 'webmaster', 'enquiry',
        'inquiry', 'business', 'bd', 'purchase', 'caigou', 'hello', 'team', 'mail',
        'finance', 'account', 'accounts', 'ceo', 'job', 'jobs', 'public', 'xiaoshou'
    ), false)
{%- endmacro %}

{#- A person's name as a matching key: no spaces of either width, lower case. -#}
{% macro person_name_key(name) -%}
    nullif(lower(replace(replace({{ name }}, ' ', ''), '　', '')), '')
{%- endmacro %}

{#- Whether two company names (rows of int_identity__company_keys, by alias) are one
    company. Loose: their core keys contain one another (智信机械, 苏州智信精密机械), or they
    share a trade name (远和机械, 远和精密机械; a trade name ending another, 迈星 in 常州迈星,
    has an unlisted city before it), or one's English name spells the other's trade name
    in pinyin (Dongguan Putuo Plastic Products, 普拓塑胶). Strict: core keys contain one
    another, or a shared trade name (or its pinyin) and what the companies do agrees:
    one sector (嘉巨物流, 嘉巨供应链管理) or one industry part in the other (机械 in 精密机械).
    和新纺织 and 和新精密机械 agree loosely, not strictly. Null when either has no core key. -#}
{% macro companies_agree(left, right, strict=false) -%}
    {%- set left_core = left ~ '.company_core_key' -%}
    {%- set right_core = right ~ '.company_core_key' -%}
    {%- set left_brand = left ~ '.company_brand_key' -%}
    {%- set right_brand = right ~ '.company_brand_key' -%}
    {%- set left_industry = 'substr(' ~ left_core ~ ', ' ~ dbt.length(left_brand) ~ ' + 1)' -%}
    {%- set right_industry = 'substr(' ~ right_core ~ ', ' ~ dbt.length(right_brand) ~ ' + 1)' -%}
    {%- set same_brand -%}
        {{ dbt.right(left_brand, dbt.length(right_brand)) }} = {{ right_brand }}
        or {{ dbt.right(right_brand, dbt.length(left_brand)) }} = {{ left_brand }}
    {%- endset -%}
    {%- set same_brand_pinyin -%}
        {{ dbt.position(left ~ '.company_brand_pinyin', right_core) }} > 0
        or {{ dbt.position(right ~ '.company_brand_pinyin', left_core) }} > 0
    {%- endset -%}
    case when {{ left_core }} is not null and {{ right_core }} is not null then (
        {{ dbt.position(left_core, right_core) }} > 0
        or {{ dbt.position(right_core, left_core) }} > 0
        {%- if strict %}
        or coalesce(({{ same_brand }} or {{ same_brand_pinyin }})
            and {{ left }}.company_sector = {{ right }}.company_sector, false)
        or coalesce(({{ same_brand }}) and (
            {{ dbt.position(left_industry, right_industry) }} > 0
            or {{ dbt.position(right_industry, left_industry) }} > 0
        ), false)
        {%- else %}
        or coalesce({{ same_brand }} or {{ same_brand_pinyin }}, false)
        {%- endif %}
    ) end
{%- endmacro %}

{#- The two hashed identity keys of a person record: `phone_hash` (mainland mobiles
    only) and `email_hash`, from a normalised E.164 phone and a raw e-mail cell. -#}
{% macro identity_key_columns(phone_e164, email) -%}
    case
        when {{ is_cn_mobile(phone_e164) }} then {{ identifier_hash(phone_e164) }}
    end as phone_hash,
    {{ identifier_hash(normalize_email(email)) }} as email_hash
{%- endmacro %}
