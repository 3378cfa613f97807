{#- One exchange rate per calendar day and currency, for converting any dated amount
    to CNY with one equality join on (day, currency). A day without a rate of its own
    (a weekend, a holiday, a rate record the load rejected) takes the latest earlier
    rate, but only for `fx_max_carry_forward_days`: an older rate is no rate, so the
    conversion comes out null and is flagged instead of silently using a stale one.
    CNY itself is listed at 1 so consumers need no special case. -#}
with

currency_rates as (
    select * from {{ ref('stg_crm__currency_rates') }}
    where not coalesce(is_deleted, false)
),

latest_rate_per_day as (
    -- finance may key a day twice; the latest edit wins
    select
        currency,
        valid_from_date as published_date,
        rate_to_cny,
        units_per_cny
    from (
        select
            *,
            row_number() over (
                partition by currency, valid_from_date
                order by updated_at desc, currency_rate_id desc
            ) as edit_rank
        from currency_rates
    ) as ranked
    where edit_rank = 1
),

bounds as (
    select
        min(published_date) as first_date,
        {%- set carry_days = var('fx_max_carry_forward_days') %}
        {{ dbt.dateadd('day', carry_days, 'max(published_date)') }} as last_date
    from latest_rate_per_day
),

day_numbers as (
    {{ dbt.generate_series(var('fx_max_days_covered')) }}
),

calendar_days as (
    select
        {%- set day_offset = 'day_numbers.generated_number - 1' %}
        cast({{ dbt.dateadd('day', day_offset, 'bounds.first_date') }} as date) as rate_date
    from day_numbers
    cross join bounds
    where
        day_numbers.generated_number - 1
        <= {{ dbt.datediff('bounds.first_date', 'bounds.last_date', 'day') }}
),

currencies as (
    select distinct currency from latest_rate_per_day
),

day_grid as (
    select
        calendar_days.rate_date,
        currencies.currency
    from calendar_days
    cross join currencies
),

days_with_latest_publication as (
    select
        day_grid.rate_date,
        day_grid.currency,
        max(latest_rate_per_day.published_date) over (
            partition by day_grid.currency
            order by day_grid.rate_date
            rows between unbounded preceding and current row
        ) as published_date
    from day_grid
    left join latest_rate_per_day
        on
            day_grid.currency = latest_rate_per_day.currency
            and day_grid.rate_date = latest_rate_per_day.published_date
),

foreign_rates as (
    select
        days_with_latest_publication.rate_date,
        days_with_latest_publication.currency,
        latest_rate_per_day.rate_to_cny,
        latest_rate_per_day.units_per_cny,
        days_with_latest_publication.published_date,
        {{ dbt.datediff(
            'days_with_latest_publication.published_date',
            'days_with_latest_publication.rate_date',
            'day'
        ) }} as days_since_published
    from days_with_latest_publication
    inner join latest_rate_per_day
        on
            days_with_latest_publication.currency = latest_rate_per_day.currency
            and days_with_latest_publication.published_date = latest_rate_per_day.published_date
),

corporate_currency as (
    select
        calendar_days.rate_date,
        'CNY' as currency,
        cast(1 as decimal(18, 6)) as rate_to_cny,
        cast(1 as decimal(18, 9)) as units_per_cny,
        calendar_days.rate_date as published_date,
        0 as days_since_published
    from calendar_days
),

final as (
    select * from foreign_rates
    where days_since_published <= {{ var('fx_max_carry_forward_days') }}
    union all
    select * from corporate_currency
)

select * from final
