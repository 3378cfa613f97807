{#- Schemas are a contract with BI users: a model configured with schema `funnel`
    lands in `funnel`, not dbt's default `<target schema>_funnel`. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
