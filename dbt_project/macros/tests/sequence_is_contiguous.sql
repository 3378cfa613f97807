{#-
    Generic test: within each partition, a sequence column numbers the rows 1, 2, ...
    n without gap or repeat. Returns each partition where it does not, with what it
    found. Nulls in the column fail (use the `where` config to skip rows that carry
    no sequence).

        data_tests:
          - sequence_is_contiguous:
              arguments:
                partition_by: [person_id]
-#}
{% test sequence_is_contiguous(model, column_name, partition_by) %}

{%- set partition_csv = partition_by | join(", ") %}

select
    {{ partition_csv }},
    count(*) as row_count,
    count(distinct {{ column_name }}) as distinct_values,
    min({{ column_name }}) as min_value,
    max({{ column_name }}) as max_value
from {{ model }}
group by {{ partition_csv }}
having
    count({{ column_name }}) <> count(*)
    or count(distinct {{ column_name }}) <> count(*)
    or min({{ column_name }}) <> 1
    or max({{ column_name }}) <> count(*)

{% endtest %}
