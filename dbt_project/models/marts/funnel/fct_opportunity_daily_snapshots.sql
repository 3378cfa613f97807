{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='snapshot_date',
    on_schema_change='fail',
) }}
{#- The state of every opportunity at the end of every day of its life (business dates),
    for forecasting backtests: stage, amount, probability, forecast category, expected
    close date, days in the stage, closed and won, as the CRM's stage history shows them
    at the end of that day, never as the deal looks today. From the day of its first
    stage change (its creation) to the day it closed (one row showing it closed), or to
    as-of for a deal still open. Owner, company and lead are the deal's current values
    (the CRM keeps no history of them).

    Each change of a day closes the state of the previous one; a day with several
    changes takes its last. States expand to days with a date series, no range join.
    Incremental: a run rebuilds the last funnel_snapshot_lookback_days snapshot dates
    and everything after (delete+insert by snapshot_date), so late history rows of
    recent days land and a re-run changes nothing. Rebuild with --full-refresh after
    changing history further back, or as_of. -#}
{%- if is_incremental() %}
    {%- set first_day = 'greatest(state_ranges.entered_date, rebuild_window.first_snapshot_date)' %}
{%- else %}
    {%- set first_day = 'state_ranges.entered_date' %}
{%- endif %}
with

stage_changes as (
    select * from {{ ref('stg_crm__opportunity_stage_changes') }}
    where not is_deleted
),

opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
    where not is_deleted
),

stages as (
    select * from {{ ref('opportunity_stages') }}
),

business_days as (
    select * from {{ ref('int_funnel__business_days') }}
),

as_of as (
    select * from {{ ref('int_funnel__as_of') }}
),

{%- if is_incremental() %}

rebuild_window as (
    select
        cast(
            {{ dbt.dateadd('day', -var('funnel_snapshot_lookback_days'), 'max(snapshot_date)') }}
            as date
        ) as first_snapshot_date
    from {{ this }}
),
{%- endif %}

known_changes as (
    select
        stage_changes.*,
        {{ to_business_date('stage_changes.entered_at') }} as entered_date,
        coalesce(
            lag(stage_changes.stage) over (
                partition by stage_changes.opportunity_id
                order by stage_changes.entered_at asc, stage_changes.stage_change_id asc
            ) <> stage_changes.stage,
            true
        ) as is_new_spell,
        min({{ to_business_date('stage_changes.entered_at') }}) over (
            partition by stage_changes.opportunity_id
        ) as first_state_date,
        as_of.as_of_date
    from stage_changes
    cross join as_of
    where stage_changes.entered_at <= as_of.as_of_at
),

spelled as (
    select
        *,
        max(case when is_new_spell then entered_at end) over (
            partition by opportunity_id
            order by entered_at asc, stage_change_id asc
            rows between unbounded preceding and current row
        ) as stage_entered_at,
        row_number() over (
            partition by opportunity_id, entered_date
            order by entered_at desc, stage_change_id desc
        ) as rank_in_day
    from known_changes
),

-- everything that holds for a whole state is settled here, once per state, before the
-- states expand to days
day_end_states as (
    select
        spelled.opportunity_id,
        spelled.stage_change_id,
        spelled.stage,
        spelled.amount,
        spelled.currency,
        coalesce(spelled.probability_pct, stages.default_probability_pct) as probability_pct,
        coalesce(spelled.forecast_category, stages.forecast_category_default)
            as forecast_category,
        spelled.close_date as expected_close_date,
        spelled.stage_entered_at,
        spelled.entered_date,
        spelled.first_state_date,
        spelled.as_of_date,
        lead(spelled.entered_date) over (
            partition by spelled.opportunity_id order by spelled.entered_date asc
        ) as next_state_date,
        {{ to_business_date('spelled.stage_entered_at') }} as stage_entered_date,
        stage_day.working_days_before as stage_working_days_before,
        stages.stage_order,
        stages.is_closed,
        stages.is_won,
        stages.max_business_days_in_stage,
        opportunities.account_id,
        opportunities.owner_user_id,
        opportunities.lead_id
    from spelled
    inner join opportunities
        on spelled.opportunity_id = opportunities.opportunity_id
    left join stages
        on spelled.stage = stages.stage
    left join business_days as stage_day
        on {{ to_business_date('spelled.stage_entered_at') }} = stage_day.calendar_date
    where spelled.rank_in_day = 1
),

state_ranges as (
    select
        *,
        case
            when next_state_date is not null
                then cast({{ dbt.dateadd('day', -1, 'next_state_date') }} as date)
            when is_closed then entered_date
            else as_of_date
        end as valid_to_date
    from day_end_states
),

snapshot_days as (
    select
        state_ranges.*,
        {{ date_series(first_day, 'state_ranges.valid_to_date') }} as snapshot_date
    from state_ranges
    {%- if is_incremental() %}
    cross join rebuild_window
    where state_ranges.valid_to_date >= rebuild_window.first_snapshot_date
    {%- endif %}
),

final as (
    select
        snapshot_days.opportunity_id,
        snapshot_days.snapshot_date,
        snapshot_days.stage_change_id,
        snapshot_days.stage,
        snapshot_days.stage_order,
        snapshot_days.is_closed,
        snapshot_days.is_won,
        snapshot_days.amount,
        snapshot_days.currency,
        snapshot_days.probability_pct,
        snapshot_days.forecast_category,
        snapshot_days.expected_close_date,
        snapshot_days.stage_entered_at,
        {{ dbt.datediff('snapshot_days.stage_entered_date', 'snapshot_days.snapshot_date', 'day') }}
            as days_in_stage,
        snapshot_day.working_days_before - snapshot_days.stage_working_days_before
            as business_days_in_stage,
        coalesce(
            not snapshot_days.is_closed
            and snapshot_day.working_days_before - snapshot_days.stage_working_days_before
            > snapshot_days.max_business_days_in_stage,
            false
        ) as is_past_sla,
        {{ dbt.datediff(
            'snapshot_days.first_state_date', 'snapshot_days.snapshot_date', 'day'
        ) }} as days_since_created,
        snapshot_days.snapshot_date = snapshot_days.as_of_date as is_as_of_date,
        snapshot_days.account_id,
        snapshot_days.owner_user_id,
        snapshot_days.lead_id
    from snapshot_days
    left join business_days as snapshot_day
        on snapshot_days.snapshot_date = snapshot_day.calendar_date
)

select * from final
