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
