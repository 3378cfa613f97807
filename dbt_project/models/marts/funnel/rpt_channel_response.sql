{#- How fast each lead source channel is answered, and what that is worth: per channel,
    leads, median and 90th percentile time to first response (business and wall-clock
    minutes), the share of SLA-due leads answered within the SLA, the lead-to-opportunity
    conversion within funnel_conversion_window_days (leads whose window has ended only),
    won revenue per lead (funnel_reporting_currency), and a breakdown of leads by
    response latency (buckets of funnel_latency_bucket_minutes, business minutes).

    `is_high_latency_high_value` marks a channel answered slowly (median business minutes
    above funnel_high_latency_median_minutes) whose leads are worth at least
    funnel_high_value_revenue_ratio times the average lead: the first place to speed up. -#}
{%- set buckets = var('funnel_latency_bucket_minutes') %}
with

leads as (
    select * from {{ ref('fct_leads') }}
),

as_of as (
    select * from {{ ref('int_funnel__as_of') }}
),

per_channel as (
    select
        source_channel,
        count(*) as leads,
        count(case when has_responded then 1 end) as responded_leads,
        percentile_cont(0.5) within group (order by business_minutes_to_first_response)
            as median_business_minutes_to_first_response,
        percentile_cont(0.9) within group (order by business_minutes_to_first_response)
            as p90_business_minutes_to_first_response,
        percentile_cont(0.5) within group (order by minutes_to_first_response)
            as median_minutes_to_first_response,
        percentile_cont(0.9) within group (order by minutes_to_first_response)
            as p90_minutes_to_first_response,
        count(case when sla_status = 'met' then 1 end) as sla_met_leads,
        count(case when sla_status in ('breached', 'breached_unanswered') then 1 end)
            as sla_breached_leads,
        count(case when sla_status = 'pending' then 1 end) as sla_pending_leads,
        count(case when is_conversion_window_complete then 1 end) as window_complete_leads,
        count(
            case
                when is_conversion_window_complete and has_opportunity_within_window then 1
            end
        ) as window_complete_opportunity_leads,
        count(case when is_won then 1 end) as won_leads,
        cast(coalesce(sum(
            case when won_currency = '{{ var("funnel_reporting_currency") }}' then won_amount end
        ), 0) as decimal(18, 2)) as won_amount,
        {% for bucket in buckets %}
            {%- set lower = 0 if loop.first else buckets[loop.index0 - 1] %}
            {%- set above_lower = ('>=' if loop.first else '>') ~ ' ' ~ lower %}
            count(
                case
                    when
                        has_responded
                        and business_minutes_to_first_response {{ above_lower }}
                        and business_minutes_to_first_response <= {{ bucket }}
                        then 1
                end
            ) as leads_responded_{{ lower }}_{{ bucket }}_min,
        {% endfor %}
        count(
            case
                when has_responded and business_minutes_to_first_response > {{ buckets[-1] }}
                    then 1
            end
        ) as leads_responded_over_{{ buckets[-1] }}_min,
        count(case when not has_responded then 1 end) as leads_unanswered
    from leads
    group by source_channel
),

rated as (
    select
        *,
        sla_met_leads * 1.0 / nullif(sla_met_leads + sla_breached_leads, 0) as sla_met_share,
        window_complete_opportunity_leads * 1.0 / nullif(window_complete_leads, 0)
            as window_conversion_rate,
        won_amount / leads as won_revenue_per_lead,
        sum(won_amount) over () / sum(leads) over () as all_channels_won_revenue_per_lead
    from per_channel
),

final as (
    select
        rated.source_channel,
        rated.leads,
        rated.responded_leads,
        rated.median_business_minutes_to_first_response,
        rated.p90_business_minutes_to_first_response,
        rated.median_minutes_to_first_response,
        rated.p90_minutes_to_first_response,
        rated.sla_met_leads,
        rated.sla_breached_leads,
        rated.sla_pending_leads,
        rated.sla_met_share,
        rated.window_complete_leads,
        rated.window_complete_opportunity_leads,
        rated.window_conversion_rate,
        rated.won_leads,
        rated.won_amount,
        '{{ var("funnel_reporting_currency") }}' as won_amount_currency,
        rated.won_revenue_per_lead,
        rated.all_channels_won_revenue_per_lead,
        {% for bucket in buckets %}
            {%- set lower = 0 if loop.first else buckets[loop.index0 - 1] %}
            rated.leads_responded_{{ lower }}_{{ bucket }}_min,
        {% endfor %}
        rated.leads_responded_over_{{ buckets[-1] }}_min,
        rated.leads_unanswered,
        coalesce(
            rated.median_business_minutes_to_first_response
            > {{ var('funnel_high_latency_median_minutes') }}
            and rated.won_revenue_per_lead
            >= {{ var('funnel_high_value_revenue_ratio') }}
            * rated.all_channels_won_revenue_per_lead,
            false
        ) as is_high_latency_high_value,
        as_of.as_of_at
    from rated
    cross join as_of
)

select * from final
