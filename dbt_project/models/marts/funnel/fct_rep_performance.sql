{#- Each rep's day (business date), from the events of that day: leads assigned (leads
    created that day the rep owns), leads responded (first responses the rep's leads got
    that day) and their median time to respond, opportunities created, deals closed and
    won, won amount (funnel_reporting_currency), win rate (won / closed that day) and the
    average cycle of the deals won (days from opportunity creation to the win). A rep
    appears on the days something happened. -#}
with

leads as (
    select * from {{ ref('fct_leads') }}
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

lead_events as (
    select
        owner_user_id,
        created_date as activity_date,
        1 as leads_assigned,
        0 as leads_responded,
        cast(null as {{ dbt.type_float() }}) as business_minutes_to_first_response,
        cast(null as {{ dbt.type_float() }}) as minutes_to_first_response,
        0 as opportunities_created,
        0 as deals_closed,
        0 as deals_won,
        cast(null as decimal(18, 2)) as won_amount,
        0 as deals_won_other_currency,
        cast(null as {{ dbt.type_float() }}) as won_cycle_days
    from leads
),

response_events as (
    select
        owner_user_id,
        first_response_date as activity_date,
        0 as leads_assigned,
        1 as leads_responded,
        business_minutes_to_first_response,
        minutes_to_first_response,
        0 as opportunities_created,
        0 as deals_closed,
        0 as deals_won,
        cast(null as decimal(18, 2)) as won_amount,
        0 as deals_won_other_currency,
        cast(null as {{ dbt.type_float() }}) as won_cycle_days
    from leads
    where has_responded
),

opportunity_events as (
    select
        opportunities.owner_user_id,
        {{ to_business_date('opportunities.created_at') }} as activity_date,
        0 as leads_assigned,
        0 as leads_responded,
        cast(null as {{ dbt.type_float() }}) as business_minutes_to_first_response,
        cast(null as {{ dbt.type_float() }}) as minutes_to_first_response,
        1 as opportunities_created,
        0 as deals_closed,
        0 as deals_won,
        cast(null as decimal(18, 2)) as won_amount,
        0 as deals_won_other_currency,
        cast(null as {{ dbt.type_float() }}) as won_cycle_days
    from opportunities
    cross join as_of
    where opportunities.created_at <= as_of.as_of_at
),

close_events as (
    select
        opportunities.owner_user_id,
        {{ to_business_date('opportunities.closed_at') }} as activity_date,
        0 as leads_assigned,
        0 as leads_responded,
        cast(null as {{ dbt.type_float() }}) as business_minutes_to_first_response,
        cast(null as {{ dbt.type_float() }}) as minutes_to_first_response,
        0 as opportunities_created,
        1 as deals_closed,
        case when opportunities.is_won then 1 else 0 end as deals_won,
        case
            when
                opportunities.is_won
                and opportunities.currency = '{{ var("funnel_reporting_currency") }}'
                then opportunities.amount
        end as won_amount,
        case
            when
                opportunities.is_won
                and opportunities.currency <> '{{ var("funnel_reporting_currency") }}'
                then 1
            else 0
        end as deals_won_other_currency,
        case
            when opportunities.is_won
                then {{ seconds_between(
                    'opportunities.created_at', 'opportunities.closed_at'
                ) }} / 86400.0
        end as won_cycle_days
    from opportunities
    cross join as_of
    where opportunities.is_closed and opportunities.closed_at <= as_of.as_of_at
),

events as (
    select * from lead_events
    union all
    select * from response_events
    union all
    select * from opportunity_events
    union all
    select * from close_events
),

rep_days as (
    select
        owner_user_id,
        activity_date,
        cast(sum(leads_assigned) as {{ dbt.type_bigint() }}) as leads_assigned,
        cast(sum(leads_responded) as {{ dbt.type_bigint() }}) as leads_responded,
        percentile_cont(0.5) within group (order by business_minutes_to_first_response)
            as median_business_minutes_to_first_response,
        percentile_cont(0.5) within group (order by minutes_to_first_response)
            as median_minutes_to_first_response,
        cast(sum(opportunities_created) as {{ dbt.type_bigint() }}) as opportunities_created,
        cast(sum(deals_closed) as {{ dbt.type_bigint() }}) as deals_closed,
        cast(sum(deals_won) as {{ dbt.type_bigint() }}) as deals_won,
        cast(coalesce(sum(won_amount), 0) as decimal(18, 2)) as won_amount,
        cast(sum(deals_won_other_currency) as {{ dbt.type_bigint() }}) as deals_won_other_currency,
        avg(won_cycle_days) as avg_won_cycle_days
    from events
    group by owner_user_id, activity_date
),

final as (
    select
        rep_days.owner_user_id,
        rep_days.activity_date,
        users.user_name as owner_name,
        users.region as owner_region,
        users.team as owner_team,
        users.role as owner_role,
        rep_days.leads_assigned,
        rep_days.leads_responded,
        rep_days.median_business_minutes_to_first_response,
        rep_days.median_minutes_to_first_response,
        rep_days.opportunities_created,
        rep_days.deals_closed,
        rep_days.deals_won,
        rep_days.won_amount,
        '{{ var("funnel_reporting_currency") }}' as won_amount_currency,
        rep_days.deals_won_other_currency,
        rep_days.deals_won * 1.0 / nullif(rep_days.deals_closed, 0) as win_rate,
        rep_days.avg_won_cycle_days
    from rep_days
    left join users
        on rep_days.owner_user_id = users.user_id
)

select * from final
