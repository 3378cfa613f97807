{#- A source's rejected rows, or none: dlt creates `rejected_rows` only when a load
    first rejects something, and a clean source must still build. -#}
{% macro rejected_rows_of(source_name) -%}
    {%- set relation = load_relation(source(source_name, "rejected_rows")) -%}
    {%- if relation is not none %}
    select
        reject_id,
        table_name,
        reason,
        source_ref,
        raw_payload,
        rejected_at,
        '{{ source_name | replace("raw_", "") }}' as _source_system
    from {{ relation }}
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as reject_id,
        cast(null as {{ dbt.type_string() }}) as table_name,
        cast(null as {{ dbt.type_string() }}) as reason,
        cast(null as {{ dbt.type_string() }}) as source_ref,
        cast(null as {{ dbt.type_string() }}) as raw_payload,
        cast(null as timestamp with time zone) as rejected_at,
        '{{ source_name | replace("raw_", "") }}' as _source_system
    where 1 = 0
    {%- endif %}
{%- endmacro %}
