{#- One string field of a JSON object held in a text column (keys may be Chinese). -#}
{% macro json_field(json_text, key) -%}
    {{ return(adapter.dispatch("json_field", "salesdw")(json_text, key)) }}
{%- endmacro %}

{% macro default__json_field(json_text, key) -%}
    get_json_object({{ json_text }}, '$.{{ key }}')
{%- endmacro %}

{% macro duckdb__json_field(json_text, key) -%}
    json_extract_string({{ json_text }}, '$."{{ key }}"')
{%- endmacro %}

{% macro postgres__json_field(json_text, key) -%}
    (cast({{ json_text }} as json) ->> '{{ key }}')
{%- endmacro %}
