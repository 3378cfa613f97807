{#- The instant the funnel is measured at, one row. The var as_of when set (a
    backtest, a month-end close); otherwise the latest CRM event the warehouse holds, not
    the wall clock: data lands late, and a sandbox's world ends before today. Also the
    earliest event, so the business day table covers every date the funnel reads. -#}
{%- if var('as_of') is none %}
    {%- set as_of_at = 'max(last_event_at)' %}
    {%- set is_as_of_from_var = 'false' %}
{%- else %}
    {%- set as_of_at = "cast('" ~ var('as_of') ~ "' as timestamp with time zone)" %}
    {%- set is_as_of_from_var = 'true' %}
{%- endif %}
with

leads as (
    select * from {{ ref('stg_crm__leads') }}
    where not is_deleted
),

opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
    where not is_deleted
),

stage_changes as (
    select * from {{ ref('stg_crm__opportunity_stage_changes') }}
    where not is_deleted
),

activities as (
    select * from {{ ref('stg_crm__activities') }}
    where not is_deleted
),

event_bounds as (
    select
        min(created_at) as first_event_at,
        max(
            greatest(
                created_at,
                coalesce(first_response_at, created_at),
                coalesce(mql_at, created_at),
                coalesce(sql_at, created_at),
                coalesce(converted_at, created_at)
            )
        ) as last_event_at
    from leads
    union all
    select
        min(created_at) as first_event_at,
        max(coalesce(closed_at, created_at)) as last_event_at
    from opportunities
    union all
    select
        min(entered_at) as first_event_at,
        max(entered_at) as last_event_at
    from stage_changes
    union all
    select
        min(occurred_at) as first_event_at,
        max(occurred_at) as last_event_at
    from activities
),

as_of as (
    select
        {{ as_of_at }} as as_of_at,
        {{ is_as_of_from_var }} as is_as_of_from_var,
        min(first_event_at) as first_event_at,
        max(last_event_at) as last_event_at
    from event_bounds
),

final as (
    select
        as_of_at,
        {{ to_business_date('as_of_at') }} as as_of_date,
        is_as_of_from_var,
        first_event_at,
        {{ to_business_date('first_event_at') }} as first_event_date,
        last_event_at
    from as_of
)

select * from final
