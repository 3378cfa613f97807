{#-
    Generic test: within each partition, intervals [from, to) follow each other without
    overlap or gap: each interval ends when the next begins, only the last is open
    (to null), and none ends before it begins. Returns the offending rows.

        data_tests:
          - intervals_are_contiguous:
              arguments:
                partition_by: [account_id]
                from_column: entered_at
                to_column: exited_at
-#}
{% test intervals_are_contiguous(model, partition_by, from_column, to_column) %}

{%- set partition_csv = partition_by | join(", ") %}

with

ordered as (
    select
        {{ partition_csv }},
        {{ from_column }} as interval_from,
        {{ to_column }} as interval_to,
        lead({{ from_column }}) over (
            partition by {{ partition_csv }} order by {{ from_column }}
        ) as next_from
    from {{ model }}
)

select *
from ordered
where
    interval_from is null
    or interval_to <= interval_from
    or (next_from is null and interval_to is not null)
    or (next_from is not null and interval_to is null)
    or interval_to <> next_from

{% endtest %}
