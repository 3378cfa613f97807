{#-
    Generic test: no two rows share the same values in a set of columns (the grain of
    a table without a single-column key, e.g. report_date x keyword id).

    Returns one row per duplicated combination with its count. Rows where any of the
    columns is null are compared like other values (null = null), so a grain column
    that may be null should also carry a not_null test. Same contract as
    dbt_utils.unique_combination_of_columns, which cannot be installed here.

        data_tests:
          - unique_combination_of_columns:
              arguments:
                combination_of_columns: [report_date, baidu_keyword_id]
-#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

{%- set columns_csv = combination_of_columns | join(", ") %}

select
    {{ columns_csv }},
    count(*) as row_count
from {{ model }}
group by {{ columns_csv }}
having count(*) > 1

{% endtest %}
