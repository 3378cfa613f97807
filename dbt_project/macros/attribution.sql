{#- The attribution models fct_attribution_credits holds, in the order BI lists them. -#}
{% macro attribution_model_names() -%}
    {{ return([
        "first_touch", "last_touch", "last_non_direct", "linear", "time_decay",
        "position_based", "w_shaped", "full_path", "markov", "shapley",
    ]) }}
{%- endmacro %}

{#- One row per attribution model, column `model`. -#}
{% macro attribution_models_select() -%}
    {%- for model_name in attribution_model_names() %}
        select '{{ model_name }}' as model
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
{%- endmacro %}
