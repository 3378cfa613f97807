{#- dbt-duckdb has no DuckDB form of safe_cast: it would become a plain cast that fails
    on a bad value. try_cast returns null instead, which staging models then test. -#}
{% macro duckdb__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}
