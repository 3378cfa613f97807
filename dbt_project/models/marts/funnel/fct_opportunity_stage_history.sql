{#- The stage history of every opportunity as a mart: one row per stage spell
    (`int_opportunity_stage_spells`: entry, exit, duration in hours and business days,
    SLA, regressions) with the deal's owner, company, lead and source channel. -#}
with

spells as (
    select * from {{ ref('int_opportunity_stage_spells') }}
),

opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
    where not is_deleted
),

lead_responses as (
    select * from {{ ref('int_lead_first_responses') }}
),

users as (
    select * from {{ ref('stg_crm__users') }}
),

final as (
    select
        spells.stage_spell_id,
        spells.opportunity_id,
        opportunities.account_id,
        opportunities.lead_id,
        lead_responses.source_channel,
        opportunities.owner_user_id,
        users.user_name as owner_name,
        users.region as owner_region,
        opportunities.product,
        opportunities.created_at as opportunity_created_at,
        spells.spell_number,
        spells.stage,
        spells.stage_order,
        spells.is_closed_stage,
        spells.is_won_stage,
        spells.entered_at,
        spells.entered_date,
        spells.exited_at,
        {{ to_business_date('spells.exited_at') }} as exited_date,
        spells.is_current,
        spells.duration_hours,
        spells.duration_business_days,
        spells.max_business_days_in_stage,
        spells.is_past_sla,
        spells.previous_stage,
        spells.next_stage,
        spells.is_regression,
        spells.entry_amount,
        spells.currency,
        spells.entry_probability_pct,
        spells.entry_forecast_category,
        spells.entry_close_date,
        spells.changed_by_user_id
    from spells
    inner join opportunities
        on spells.opportunity_id = opportunities.opportunity_id
    left join lead_responses
        on opportunities.lead_id = lead_responses.lead_id
    left join users
        on opportunities.owner_user_id = users.user_id
)

select * from final
