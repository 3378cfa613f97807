{#-
    Generic test: every non-null value of a column matches a regular expression
    (the whole value: anchor the pattern with ^ and $). Nulls pass; add not_null when
    the column must be filled. The pattern goes through `regex_matches`
    (macros/regex.sql), so it runs on every engine the project supports; keep it to
    the common subset (character classes, quantifiers, anchors) and no single quotes.

        data_tests:
          - matches_pattern:
              arguments:
                pattern: "^[A-Z]{3}$"
-#}
{% test matches_pattern(model, column_name, pattern) %}

select {{ column_name }}
from {{ model }}
where {{ column_name }} is not null
    and not {{ regex_matches(column_name, pattern) }}

{% endtest %}
