{#- One row per date, the business clock the business-time macros
    (macros/business_calendar.sql) read: whether the date is a working day, its
    business hours, and the business minutes and working days before it starts, so the
    business minutes between two instants are a difference of two cumulative values.

    Dates come from the seed `business_calendar` (State Council holidays and make-up
    working days); dates outside it, from the first CRM event to the as-of date, fall
    back to Monday to Friday and are flagged `is_in_calendar = false`. -#}
with

business_calendar as (
    select * from {{ ref('business_calendar') }}
),

as_of as (
    select * from {{ ref('int_funnel__as_of') }}
),

calendar_bounds as (
    select
        min(calendar_date) as first_calendar_date,
        max(calendar_date) as last_calendar_date
    from business_calendar
),

spine_bounds as (
    select
        case
            when as_of.first_event_date < calendar_bounds.first_calendar_date
                then as_of.first_event_date
            else calendar_bounds.first_calendar_date
        end as first_date,
        case
            when as_of.as_of_date > calendar_bounds.last_calendar_date
                then as_of.as_of_date
            else calendar_bounds.last_calendar_date
        end as last_date
    from calendar_bounds
    cross join as_of
),

spine as (
    select {{ date_series('first_date', 'last_date') }} as calendar_date
    from spine_bounds
),

days as (
    select
        spine.calendar_date,
        business_calendar.calendar_date is not null as is_in_calendar,
        coalesce(
            business_calendar.is_working_day,
            {{ iso_day_of_week('spine.calendar_date') }} <= 5
        ) as is_working_day,
        coalesce(
            business_calendar.day_type,
            case
                when {{ iso_day_of_week('spine.calendar_date') }} <= 5 then 'workday'
                else 'weekend'
            end
        ) as day_type,
        business_calendar.holiday_name
    from spine
    left join business_calendar
        on spine.calendar_date = business_calendar.calendar_date
),

business_hours as (
    select
        *,
        {{ clock_minutes(var('business_day_start')) }} as business_start_minute,
        {{ clock_minutes(var('business_day_end')) }} as business_end_minute,
        case
            when is_working_day then {{ business_minutes_per_day() }} else 0
        end as business_minutes
    from days
),

cumulative as (
    select
        *,
        cast(coalesce(
            sum(business_minutes) over (
                order by calendar_date rows between unbounded preceding and 1 preceding
            ),
            0
        ) as {{ dbt.type_bigint() }}) as cum_business_minutes_before,
        cast(coalesce(
            sum(case when is_working_day then 1 else 0 end) over (
                order by calendar_date rows between unbounded preceding and 1 preceding
            ),
            0
        ) as {{ dbt.type_bigint() }}) as working_days_before
    from business_hours
)

select * from cumulative
