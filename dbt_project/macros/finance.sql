{#- A document number or a reference as matching compares it: half-width, upper case,
    letters and digits only ("ｓｏ－２０２６－０００９１" and "SO 2026 00091" agree). -#}
{% macro reference_key(text) -%}
    {{ regex_replace("upper(" ~ to_halfwidth(text) ~ ")", "[^A-Z0-9]", "") }}
{%- endmacro %}
