{#- The business's calendar date of a UTC instant (var business_timezone, default
    Asia/Shanghai): daily reports, SLAs and funnels count China days. -#}
{% macro to_business_date(timestamp_utc) -%}
    {{ return(adapter.dispatch("to_business_date", "salesdw")(timestamp_utc)) }}
{%- endmacro %}

{% macro default__to_business_date(timestamp_utc) -%}
    cast(from_utc_timestamp({{ timestamp_utc }}, '{{ var("business_timezone") }}') as date)
{%- endmacro %}

{% macro duckdb__to_business_date(timestamp_utc) -%}
    cast(timezone('{{ var("business_timezone") }}', {{ timestamp_utc }}) as date)
{%- endmacro %}

{% macro postgres__to_business_date(timestamp_utc) -%}
    cast({{ timestamp_utc }} at time zone '{{ var("business_timezone") }}' as date)
{%- endmacro %}

{#- The UTC instant a business calendar date begins (midnight in business_timezone):
    a bank booking date becomes a time comparable with CRM timestamps. -#}
{% macro business_day_start(date) -%}
    {{ return(adapter.dispatch("business_day_start", "salesdw")(date)) }}
{%- endmacro %}

{% macro default__business_day_start(date) -%}
    to_utc_timestamp(cast({{ date }} as timestamp), '{{ var("business_timezone") }}')
{%- endmacro %}

{% macro duckdb__business_day_start(date) -%}
    timezone('{{ var("business_timezone") }}', cast({{ date }} as timestamp))
{%- endmacro %}

{% macro postgres__business_day_start(date) -%}
    (cast({{ date }} as timestamp) at time zone '{{ var("business_timezone") }}')
{%- endmacro %}
