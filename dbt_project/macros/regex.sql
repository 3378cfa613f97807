{#- Regular expressions differ per engine; models call these instead. -#}
{% macro regex_matches(text, pattern) -%}
    {{ return(adapter.dispatch("regex_matches", "salesdw")(text, pattern)) }}
{%- endmacro %}

{% macro default__regex_matches(text, pattern) -%}
    ({{ text }} rlike '{{ pattern }}')
{%- endmacro %}

{% macro duckdb__regex_matches(text, pattern) -%}
    regexp_matches({{ text }}, '{{ pattern }}')
{%- endmacro %}

{% macro postgres__regex_matches(text, pattern) -%}
    ({{ text }} ~ '{{ pattern }}')
{%- endmacro %}

{#- The first match of the whole pattern, '' when there is none. -#}
{% macro regex_extract(text, pattern) -%}
    {{ return(adapter.dispatch("regex_extract", "salesdw")(text, pattern)) }}
{%- endmacro %}

{% macro default__regex_extract(text, pattern) -%}
    regexp_extract({{ text }}, '{{ pattern }}', 0)
{%- endmacro %}

{% macro postgres__regex_extract(text, pattern) -%}
    coalesce(substring({{ text }} from '{{ pattern }}'), '')
{%- endmacro %}

{#- Every match of pattern replaced (engines differ on "all" versus "first"). -#}
{% macro regex_replace(text, pattern, replacement) -%}
    {{ return(adapter.dispatch("regex_replace", "salesdw")(text, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regex_replace(text, pattern, replacement) -%}
    regexp_replace({{ text }}, '{{ pattern }}', '{{ replacement }}')
{%- endmacro %}

{% macro duckdb__regex_replace(text, pattern, replacement) -%}
    regexp_replace({{ text }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}

{% macro postgres__regex_replace(text, pattern, replacement) -%}
    regexp_replace({{ text }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}
