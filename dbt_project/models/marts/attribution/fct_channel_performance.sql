{#- Marketing return per channel, campaign, keyword and business month of the activity,
    under every attribution model and at both levels: what was spent, and the leads,
    pipeline, won revenue and cash that the model credits to that month's touches.

    The month is the activity's: spend by the day it was incurred, credits by the
    business day of the touch that earned them (a `(no touch)` credit by its conversion's
    day). So March's ROAS is the revenue March's touches eventually won over March's
    spend, and payback counts the months until the cash credited to March's touches
    covered March's spend. Revenue of recent months keeps growing as their deals close.

    Spend: Baidu keyword and Douyin promotion cost from the daily ad reports; the CRM
    campaign's actual cost for the channels in `attribution_campaign_cost_channels`
    (exhibitions, e-mail, webinars), spread evenly over the campaign's days. Sales and
    WeChat touches have no spend (null, not 0). Every amount is CNY at the day's rate;
    the currencies it was converted from are listed. Spend does not depend on the model
    or level: filter on one model and one level before summing it. -#}
{%- set max_campaign_days = 3660 %}
{%- set cost_channels = "'" ~ var('attribution_campaign_cost_channels') | join("', '") ~ "'" %}
{%- set campaign_day = dbt.dateadd(
    'day', 'day_numbers.generated_number - 1', 'costed_campaigns.start_date'
) %}
{%- set grain_key -%}
    model || '|' || attribution_level || '|' || channel || '|' || coalesce(campaign_id, '')
    || '|' || coalesce(keyword, '') || '|' || cast(activity_month as {{ dbt.type_string() }})
{%- endset %}
with

credits as (
    select * from {{ ref('fct_attribution_credits') }}
),

baidu_keyword_days as (
    select * from {{ ref('stg_sem__baidu_keyword_days') }}
),

douyin_promotion_days as (
    select * from {{ ref('stg_sem__douyin_promotion_days') }}
),

campaigns as (
    select * from {{ ref('stg_crm__campaigns') }}
    where not is_deleted
),

fx_rates as (
    select * from {{ ref('int_finance__daily_fx_rates') }}
),

day_numbers as (
    {{ dbt.generate_series(max_campaign_days) }}
),

baidu_spend_days as (
    select
        'sem' as channel,
        campaigns.campaign_id,
        baidu_keyword_days.keyword,
        baidu_keyword_days.report_date as spend_date,
        baidu_keyword_days.cost_amount,
        baidu_keyword_days.currency
    from baidu_keyword_days
    left join campaigns
        on baidu_keyword_days.baidu_campaign_id = campaigns.external_campaign_id
),

douyin_spend_days as (
    select
        'douyin' as channel,
        campaigns.campaign_id,
        cast(null as {{ dbt.type_string() }}) as keyword,
        douyin_promotion_days.report_date as spend_date,
        douyin_promotion_days.cost_amount,
        douyin_promotion_days.currency
    from douyin_promotion_days
    left join campaigns
        on douyin_promotion_days.douyin_promotion_id = campaigns.external_campaign_id
),

costed_campaigns as (
    select
        *,
        {{ dbt.datediff('start_date', 'coalesce(end_date, start_date)', 'day') }} + 1 -- noqa: LT05
            as campaign_days
    from campaigns
    where
        actual_cost_amount is not null
        and start_date is not null
        and channel in ({{ cost_channels }})
),

campaign_spend_days as (
    -- a campaign's cost spread evenly over its days (at most {{ max_campaign_days }})
    select
        costed_campaigns.channel,
        costed_campaigns.campaign_id,
        cast(null as {{ dbt.type_string() }}) as keyword,
        cast({{ campaign_day }} as date) as spend_date,
        cast(
            costed_campaigns.actual_cost_amount / costed_campaigns.campaign_days
            as decimal(18, 6)
        ) as cost_amount,
        costed_campaigns.currency
    from costed_campaigns
    cross join day_numbers
    where day_numbers.generated_number <= costed_campaigns.campaign_days
),

spend_days as (
    select * from baidu_spend_days
    union all
    select * from douyin_spend_days
    union all
    select * from campaign_spend_days
),

monthly_spend as (
    select
        spend_days.channel,
        spend_days.campaign_id,
        spend_days.keyword,
        cast({{ dbt.date_trunc('month', 'spend_days.spend_date') }} as date) as activity_month,
        sum(
            cast(spend_days.cost_amount as decimal(38, 6)) * fx_rates.rate_to_cny
        ) as spend_cny,
        {{ dbt.listagg('distinct spend_days.currency', "','") }} as spend_currencies
    from spend_days
    left join fx_rates
        on
            spend_days.spend_date = fx_rates.rate_date
            and spend_days.currency = fx_rates.currency
    group by
        spend_days.channel,
        spend_days.campaign_id,
        spend_days.keyword,
        activity_month
),

credit_months as (
    select
        *,
        cast({{ dbt.date_trunc('month', 'touched_date') }} as date) as activity_month,
        cast({{ dbt.date_trunc('month', 'converted_date') }} as date) as converted_month
    from credits
),

monthly_credits as (
    select
        model,
        attribution_level,
        channel,
        campaign_id,
        keyword,
        activity_month,
        sum(case when conversion_type = 'lead_created' then credit_share end)
            as attributed_leads,
        sum(case when conversion_type = 'opportunity_created' then credit_share end)
            as attributed_opportunities,
        sum(case when conversion_type = 'opportunity_created' then credited_value_cny end)
            as attributed_pipeline_cny,
        sum(case when conversion_type = 'won' then credit_share end) as attributed_won_deals,
        sum(case when conversion_type = 'won' then credited_value_cny end) as won_revenue_cny,
        sum(case when conversion_type = 'cash_received' then credited_value_cny end)
            as cash_received_cny,
        {{ dbt.listagg('distinct currency', "','") }} as revenue_currencies
    from credit_months
    group by model, attribution_level, channel, campaign_id, keyword, activity_month
),

cash_by_month_offset as (
    select
        model,
        attribution_level,
        channel,
        campaign_id,
        keyword,
        activity_month,
        {{ dbt.datediff('activity_month', 'converted_month', 'month') }}
            as months_after_activity,
        sum(credited_value_cny) as cash_received_cny
    from credit_months
    where conversion_type = 'cash_received'
    group by
        model,
        attribution_level,
        channel,
        campaign_id,
        keyword,
        activity_month,
        months_after_activity
),

model_levels as (
    select distinct
        model,
        attribution_level
    from credits
),

performance_rows as (
    -- spend repeated under every model and level, next to what each credits
    select
        model_levels.model,
        model_levels.attribution_level,
        monthly_spend.channel,
        monthly_spend.campaign_id,
        monthly_spend.keyword,
        monthly_spend.activity_month,
        monthly_spend.spend_cny,
        monthly_spend.spend_currencies,
        cast(null as decimal(38, 15)) as attributed_leads,
        cast(null as decimal(38, 15)) as attributed_opportunities,
        cast(null as decimal(18, 2)) as attributed_pipeline_cny,
        cast(null as decimal(38, 15)) as attributed_won_deals,
        cast(null as decimal(18, 2)) as won_revenue_cny,
        cast(null as decimal(18, 2)) as cash_received_cny,
        cast(null as {{ dbt.type_string() }}) as revenue_currencies
    from monthly_spend
    cross join model_levels
    union all
    select
        model,
        attribution_level,
        channel,
        campaign_id,
        keyword,
        activity_month,
        cast(null as decimal(38, 6)) as spend_cny,
        cast(null as {{ dbt.type_string() }}) as spend_currencies,
        attributed_leads,
        attributed_opportunities,
        attributed_pipeline_cny,
        attributed_won_deals,
        won_revenue_cny,
        cash_received_cny,
        revenue_currencies
    from monthly_credits
),

performance as (
    select
        {{ grain_key }} as grain_key,
        model,
        attribution_level,
        channel,
        campaign_id,
        keyword,
        activity_month,
        cast(sum(spend_cny) as decimal(18, 2)) as spend_cny,
        max(spend_currencies) as spend_currencies,
        cast(coalesce(sum(attributed_leads), 0) as decimal(18, 6)) as attributed_leads,
        cast(coalesce(sum(attributed_opportunities), 0) as decimal(18, 6))
            as attributed_opportunities,
        cast(coalesce(sum(attributed_pipeline_cny), 0) as decimal(18, 2))
            as attributed_pipeline_cny,
        cast(coalesce(sum(attributed_won_deals), 0) as decimal(18, 6)) as attributed_won_deals,
        cast(coalesce(sum(won_revenue_cny), 0) as decimal(18, 2)) as won_revenue_cny,
        cast(coalesce(sum(cash_received_cny), 0) as decimal(18, 2)) as cash_received_cny,
        max(revenue_currencies) as revenue_currencies
    from performance_rows
    group by model, attribution_level, channel, campaign_id, keyword, activity_month
),

cumulative_cash as (
    select
        {{ grain_key }} as grain_key,
        months_after_activity,
        sum(cash_received_cny) over (
            partition by model, attribution_level, channel, campaign_id, keyword, activity_month
            order by months_after_activity
            rows between unbounded preceding and current row
        ) as cumulative_cash_cny
    from cash_by_month_offset
),

paid_back as (
    -- the first month (1 = the activity month itself) whose cumulative cash covers spend
    select
        performance.grain_key,
        min(cumulative_cash.months_after_activity) + 1 as payback_months
    from performance
    inner join cumulative_cash
        on performance.grain_key = cumulative_cash.grain_key
    where
        performance.spend_cny > 0
        and cumulative_cash.cumulative_cash_cny >= performance.spend_cny
    group by performance.grain_key
),

final as (
    select
        {{ dbt.hash('performance.grain_key') }} as channel_performance_id,
        performance.model,
        performance.attribution_level,
        performance.channel,
        performance.campaign_id,
        performance.keyword,
        performance.activity_month,
        performance.spend_cny,
        performance.spend_currencies,
        performance.attributed_leads,
        performance.attributed_opportunities,
        performance.attributed_pipeline_cny,
        performance.attributed_won_deals,
        performance.won_revenue_cny,
        performance.cash_received_cny,
        performance.revenue_currencies,
        cast(
            performance.spend_cny / nullif(performance.attributed_won_deals, 0)
            as decimal(18, 2)
        ) as cac_cny,
        performance.won_revenue_cny / nullif(performance.spend_cny, 0) as roas,
        paid_back.payback_months
    from performance
    left join paid_back
        on performance.grain_key = paid_back.grain_key
)

select * from final
