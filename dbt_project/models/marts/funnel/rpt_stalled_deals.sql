{#- Open opportunities at as-of that need a manager's look, one row per deal, with each
    reason as a flag and as readable text:
      past stage SLA      longer in the current stage than the stage's
                          max_business_days_in_stage (seed opportunity_stages), in
                          business days;
      no follow-up        no rep activity on the deal for stalled_no_follow_up_hours
                          (wall-clock hours since the last activity, or since the deal
                          was created when it has none);
      visits without notes  stalled_visits_without_notes or more visits logged on the deal
                          without notes (visits nobody can learn from).
    Open means the deal's current stage spell is in a stage that does not close it. -#}
with

spells as (
    select * from {{ ref('int_opportunity_stage_spells') }}
),

follow_ups as (
    select * from {{ ref('int_follow_up_gaps') }}
    where subject_type = 'opportunity' and is_latest_activity
),

opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
    where not is_deleted
),

users as (
    select * from {{ ref('stg_crm__users') }}
),

as_of as (
    select * from {{ ref('int_funnel__as_of') }}
),

open_deals as (
    select
        spells.opportunity_id,
        spells.stage,
        spells.stage_order,
        spells.entered_at as stage_entered_at,
        spells.duration_business_days as business_days_in_stage,
        spells.max_business_days_in_stage,
        spells.is_past_sla as is_past_stage_sla,
        opportunities.owner_user_id,
        opportunities.account_id,
        opportunities.lead_id,
        opportunities.amount,
        opportunities.currency,
        opportunities.created_at as opportunity_created_at,
        follow_ups.last_activity_at,
        coalesce(follow_ups.visits_without_notes_count, 0) as visits_without_notes_count,
        {{ seconds_between(
            'coalesce(follow_ups.last_activity_at, opportunities.created_at)', 'as_of.as_of_at'
        ) }} / 3600.0 as hours_without_follow_up,
        as_of.as_of_at
    from spells
    inner join opportunities
        on spells.opportunity_id = opportunities.opportunity_id
    cross join as_of
    left join follow_ups
        on spells.opportunity_id = follow_ups.subject_id
    where spells.is_current and not spells.is_closed_stage
),

reasons as (
    select
        *,
        hours_without_follow_up >= {{ var('stalled_no_follow_up_hours') }}
            as is_without_follow_up,
        visits_without_notes_count >= {{ var('stalled_visits_without_notes') }}
            as has_visits_without_notes
    from open_deals
),

stalled as (
    select
        reasons.*,
        case when reasons.is_past_stage_sla then 1 else 0 end
        + case when reasons.is_without_follow_up then 1 else 0 end
        + case when reasons.has_visits_without_notes then 1 else 0 end as stalled_reason_count,
        case
            when reasons.is_past_stage_sla
                then
                    'past ' || reasons.stage || ' SLA ('
                    || cast(
                        cast(reasons.business_days_in_stage as decimal(10, 1))
                        as {{ dbt.type_string() }}
                    )
                    || ' of ' || cast(reasons.max_business_days_in_stage as {{ dbt.type_string() }})
                    || ' business days); '
            else ''
        end
        || case
            when reasons.is_without_follow_up
                then
                    'no follow-up for '
                    || cast(
                        cast(floor(reasons.hours_without_follow_up) as {{ dbt.type_bigint() }})
                        as {{ dbt.type_string() }}
                    )
                    || ' h; '
            else ''
        end
        || case
            when reasons.has_visits_without_notes
                then
                    cast(reasons.visits_without_notes_count as {{ dbt.type_string() }})
                    || ' visits without notes; '
            else ''
        end as reason_list
    from reasons
    where
        reasons.is_past_stage_sla
        or reasons.is_without_follow_up
        or reasons.has_visits_without_notes
),

final as (
    select
        stalled.opportunity_id,
        stalled.owner_user_id,
        users.user_name as owner_name,
        users.region as owner_region,
        users.team as owner_team,
        stalled.account_id,
        stalled.lead_id,
        stalled.stage,
        stalled.stage_order,
        stalled.stage_entered_at,
        stalled.business_days_in_stage,
        stalled.max_business_days_in_stage,
        stalled.amount,
        stalled.currency,
        stalled.opportunity_created_at,
        stalled.last_activity_at,
        stalled.hours_without_follow_up,
        stalled.visits_without_notes_count,
        stalled.is_past_stage_sla,
        stalled.is_without_follow_up,
        stalled.has_visits_without_notes,
        stalled.stalled_reason_count,
        substr(stalled.reason_list, 1, {{ dbt.length('stalled.reason_list') }} - 2)
            as stalled_reason,
        stalled.as_of_at
    from stalled
    left join users
        on stalled.owner_user_id = users.user_id
)

select * from final
