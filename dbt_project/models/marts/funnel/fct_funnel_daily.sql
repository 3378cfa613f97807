{#- The lead funnel per day of lead creation (business date) x source channel x owner
    region x owner: how many leads came in, were responded to, reached MQL, SQL, an
    opportunity and a won deal (whenever that happened: a cohort view), the won amount,
    stage-to-stage conversion rates, and the conversion to an opportunity within
    funnel_conversion_window_days of creation. A cohort whose window has not ended at
    as-of is flagged, and its window rate left null: its leads may still convert.
    Rates are per row; across rows, sum the counts and divide again.
    Money is summed in funnel_reporting_currency only; won leads in other currencies are
    counted apart. -#}
with

leads as (
    select * from {{ ref('fct_leads') }}
),

as_of as (
    select * from {{ ref('int_funnel__as_of') }}
),

daily as (
    select
        leads.created_date,
        leads.source_channel,
        leads.owner_region,
        leads.owner_user_id,
        count(*) as leads,
        count(case when leads.has_responded then 1 end) as responded_leads,
        count(case when leads.is_sla_met then 1 end) as sla_met_leads,
        count(case when leads.is_mql then 1 end) as mql_leads,
        count(case when leads.is_sql then 1 end) as sql_leads,
        count(case when leads.has_opportunity then 1 end) as opportunity_leads,
        count(case when leads.is_won then 1 end) as won_leads,
        cast(coalesce(sum(
            case
                when leads.won_currency = '{{ var("funnel_reporting_currency") }}'
                    then leads.won_amount
            end
        ), 0) as decimal(18, 2)) as won_amount,
        count(
            case
                when leads.is_won and leads.won_currency <> '{{ var("funnel_reporting_currency") }}'
                    then 1
            end
        ) as won_leads_other_currency,
        count(case when leads.is_disqualified then 1 end) as disqualified_leads,
        count(case when leads.is_wasted then 1 end) as wasted_leads,
        count(case when leads.is_conversion_window_complete then 1 end)
            as window_complete_leads,
        count(case when leads.has_opportunity_within_window then 1 end)
            as opportunity_within_window_leads
    from leads
    group by
        leads.created_date,
        leads.source_channel,
        leads.owner_region,
        leads.owner_user_id
),

final as (
    select
        daily.created_date,
        daily.source_channel,
        daily.owner_region,
        daily.owner_user_id,
        daily.leads,
        daily.responded_leads,
        daily.sla_met_leads,
        daily.mql_leads,
        daily.sql_leads,
        daily.opportunity_leads,
        daily.won_leads,
        daily.won_amount,
        '{{ var("funnel_reporting_currency") }}' as won_amount_currency,
        daily.won_leads_other_currency,
        daily.disqualified_leads,
        daily.wasted_leads,
        daily.responded_leads * 1.0 / daily.leads as response_rate,
        daily.mql_leads * 1.0 / daily.leads as lead_to_mql_rate,
        daily.sql_leads * 1.0 / nullif(daily.mql_leads, 0) as mql_to_sql_rate,
        daily.opportunity_leads * 1.0 / nullif(daily.sql_leads, 0) as sql_to_opportunity_rate,
        daily.won_leads * 1.0 / nullif(daily.opportunity_leads, 0) as opportunity_to_won_rate,
        daily.window_complete_leads,
        daily.opportunity_within_window_leads,
        daily.window_complete_leads = daily.leads as is_window_complete,
        case
            when daily.window_complete_leads = daily.leads
                then daily.opportunity_within_window_leads * 1.0 / daily.leads
        end as window_conversion_rate,
        as_of.as_of_at
    from daily
    cross join as_of
)

select * from final
