{#- One row per visit of an opportunity to a stage (a spell): from the stage change that
    entered the stage to the next change to another stage. Consecutive history rows of
    one stage (an amount or date edit the CRM logged as a change) are one spell; a
    return to a stage left earlier is a new spell.

    exited_at is the next spell's entry; for the last spell of a deal the CRM closed
    without a closing stage row, the close; else null (the spell is current). A closed
    stage never ends. Durations run to the exit, or to as-of for the current spell of an
    open stage ("so far"); business days are business minutes over a working day's
    business minutes. Stage order, closing stages and SLAs come from the seed
    opportunity_stages; a move to a lower stage order is a regression. -#}
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

known_changes as (
    select
        stage_changes.*,
        lag(stage_changes.stage) over (
            partition by stage_changes.opportunity_id
            order by stage_changes.entered_at asc, stage_changes.stage_change_id asc
        ) as previous_stage
    from stage_changes
    inner join opportunities
        on stage_changes.opportunity_id = opportunities.opportunity_id
    cross join as_of
    where stage_changes.entered_at <= as_of.as_of_at
),

spell_starts as (
    select *
    from known_changes
    where previous_stage is null or previous_stage <> stage
),

sequenced as (
    select
        *,
        row_number() over (
            partition by opportunity_id order by entered_at asc, stage_change_id asc
        ) as spell_number,
        lead(entered_at) over (
            partition by opportunity_id order by entered_at asc, stage_change_id asc
        ) as next_entered_at,
        lead(stage) over (
            partition by opportunity_id order by entered_at asc, stage_change_id asc
        ) as next_stage
    from spell_starts
),

bounded as (
    select
        sequenced.stage_change_id as stage_spell_id,
        sequenced.opportunity_id,
        sequenced.spell_number,
        sequenced.stage,
        stages.stage_order,
        stages.is_closed as is_closed_stage,
        stages.is_won as is_won_stage,
        sequenced.previous_stage,
        sequenced.next_stage,
        next_stages.stage_order as next_stage_order,
        sequenced.amount as entry_amount,
        sequenced.currency,
        sequenced.probability_pct as entry_probability_pct,
        sequenced.forecast_category as entry_forecast_category,
        sequenced.close_date as entry_close_date,
        sequenced.changed_by_user_id,
        sequenced.entered_at,
        coalesce(
            sequenced.next_entered_at,
            case
                when not stages.is_closed and opportunities.closed_at <= as_of.as_of_at
                    then opportunities.closed_at
            end
        ) as exited_at,
        stages.max_business_days_in_stage,
        as_of.as_of_at
    from sequenced
    inner join opportunities
        on sequenced.opportunity_id = opportunities.opportunity_id
    cross join as_of
    left join stages
        on sequenced.stage = stages.stage
    left join stages as next_stages
        on sequenced.next_stage = next_stages.stage
),

measured as (
    select
        *,
        exited_at is null as is_current,
        case
            when exited_at is not null then exited_at
            when not is_closed_stage then as_of_at
        end as measured_until_at
    from bounded
),

durations as (
    select
        measured.*,
        {{ seconds_between('measured.entered_at', 'measured.measured_until_at') }} / 3600.0
            as duration_hours,
        {{ business_minutes_between(
            'measured.entered_at', 'measured.measured_until_at', 'entered_day', 'until_day'
        ) }} / {{ business_minutes_per_day() }}.0 as duration_business_days
    from measured
    left join business_days as entered_day
        on {{ to_business_date('measured.entered_at') }} = entered_day.calendar_date
    left join business_days as until_day
        on {{ to_business_date('measured.measured_until_at') }} = until_day.calendar_date
),

final as (
    select
        stage_spell_id,
        opportunity_id,
        spell_number,
        stage,
        stage_order,
        is_closed_stage,
        is_won_stage,
        entered_at,
        {{ to_business_date('entered_at') }} as entered_date,
        exited_at,
        is_current,
        duration_hours,
        duration_business_days,
        max_business_days_in_stage,
        coalesce(duration_business_days > max_business_days_in_stage, false) as is_past_sla,
        previous_stage,
        next_stage,
        coalesce(next_stage_order < stage_order, false) as is_regression,
        entry_amount,
        currency,
        entry_probability_pct,
        entry_forecast_category,
        entry_close_date,
        changed_by_user_id
    from durations
)

select * from final
