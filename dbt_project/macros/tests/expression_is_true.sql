{#-
    Generic test: every row satisfies a boolean SQL expression.

    Fails on each row where the expression is false or null, so write a null-safe
    expression (`x is null or x >= 0`) when nulls are allowed. On a column, the
    expression is appended to the column (`column_name: amount`, `expression: ">= 0"`
    tests `amount >= 0`); on a model it stands alone. Use the `where` config to test a
    subset of rows. Same contract as dbt_utils.expression_is_true, which cannot be
    installed here.

        data_tests:
          - expression_is_true:
              arguments:
                expression: "closing_date >= opening_date"
-#}
{% test expression_is_true(model, expression, column_name=none) %}

select *
from {{ model }}
where not coalesce(
    ({% if column_name is not none %}{{ column_name }} {% endif %}{{ expression }}),
    false
)

{% endtest %}
