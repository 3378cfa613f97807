{#- The touches that can earn credit for each conversion, at two levels:
      person   the touches of the person who converted;
      account  the touches of everyone at their company (a person with no known
               company is their own account).
    A touch is eligible when it is an attribution touch (`is_attribution_touch`), happened
    at or before the conversion and at most `attribution_lookback_days` before it.
    Touches are ranked in time (ties by touchpoint id), and the milestone touches the
    milestone models credit are located by rank: the last touch at or before the lead
    was created, the opportunity was created and the deal was won (rank 0: the journey
    has not reached that milestone, or reached it before any eligible touch).

    A conversion with no eligible touch gets one synthetic touch, channel `(no touch)`
    and no touchpoint id, holding every position, so that its credit still sums to 1. -#}
{#- Seconds from touch to conversion: DuckDB's date_diff on timestamptz goes through its
    calendar (ten times slower than epoch arithmetic over millions of rows). -#}
{%- set seconds_before_conversion = {} %}
{%- for instant in ['touched_at', 'last_touched_at'] %}
    {%- if target.type == 'duckdb' %}
        {%- do seconds_before_conversion.update(
            {instant: '(epoch(converted_at) - epoch(' ~ instant ~ '))'}
        ) %}
    {%- else %}
        {%- do seconds_before_conversion.update(
            {instant: dbt.datediff(instant, 'converted_at', 'second')}
        ) %}
    {%- endif %}
{%- endfor %}
{%- set direct_touch_types = "'" ~ var('attribution_direct_touch_types') | join("', '") ~ "'" %}
{%- set lookback_start = dbt.dateadd(
    'day', -var('attribution_lookback_days'), 'conversion_units.converted_at'
) %}
with

conversions as (
    select * from {{ ref('int_attribution__conversions') }}
),

touchpoints as (
    select
        *,
        {{ to_business_date('touched_at') }} as touched_date
    from {{ ref('int_touchpoints') }}
    where is_attribution_touch and person_id is not null
),

conversion_units as (
    select
        *,
        'person' as attribution_level,
        person_id as unit_id
    from conversions
    union all
    select
        *,
        'account' as attribution_level,
        coalesce(account_id, person_id) as unit_id
    from conversions
),

touch_units as (
    select
        *,
        'person' as attribution_level,
        person_id as unit_id
    from touchpoints
    union all
    select
        *,
        'account' as attribution_level,
        coalesce(account_id, person_id) as unit_id
    from touchpoints
),

eligible_touches as (
    select
        conversion_units.conversion_id,
        conversion_units.attribution_level,
        conversion_units.conversion_type,
        conversion_units.converted_at,
        conversion_units.lead_created_at,
        conversion_units.opportunity_created_at,
        conversion_units.won_at,
        touch_units.touchpoint_id,
        touch_units.channel,
        touch_units.touch_type,
        touch_units.campaign_id,
        touch_units.keyword,
        touch_units.touched_at,
        touch_units.touched_date,
        touch_units.campaign_id is null
        and touch_units.touch_type in ({{ direct_touch_types }}) as is_direct_touch
    from conversion_units
    inner join touch_units
        on
            conversion_units.attribution_level = touch_units.attribution_level
            and conversion_units.unit_id = touch_units.unit_id
    where
        touch_units.touched_at <= conversion_units.converted_at
        and touch_units.touched_at > {{ lookback_start }}
),

ranked_touches as (
    -- one window pass: ranks run consecutively in time, so the last touch at or before
    -- an instant has the rank of the number of touches up to that instant
    select
        *,
        row_number() over (
            partition by conversion_id, attribution_level
            order by touched_at asc, touchpoint_id asc
        ) as touch_rank,
        count(*) over (partition by conversion_id, attribution_level) as touch_count,
        count(case when touched_at <= lead_created_at then 1 end) over (
            partition by conversion_id, attribution_level
        ) as lead_created_rank,
        count(case when touched_at <= opportunity_created_at then 1 end) over (
            partition by conversion_id, attribution_level
        ) as opportunity_created_rank,
        count(case when touched_at <= won_at then 1 end) over (
            partition by conversion_id, attribution_level
        ) as closed_rank,
        max(touched_at) over (partition by conversion_id, attribution_level) as last_touched_at
    from eligible_touches
),

touch_positions as (
    select
        conversion_id,
        attribution_level,
        conversion_type,
        converted_at,
        touchpoint_id,
        channel,
        touch_type,
        campaign_id,
        keyword,
        touched_at,
        touched_date,
        is_direct_touch,
        touch_rank,
        touch_count,
        lead_created_rank,
        opportunity_created_rank,
        closed_rank,
        cast(
            {{ seconds_before_conversion['touched_at'] }} / 86400.0 as double precision
        ) as age_days,
        cast(
            {{ seconds_before_conversion['last_touched_at'] }} / 86400.0 as double precision
        ) as last_touch_age_days
    from ranked_touches
),

credited_conversions as (
    select distinct
        conversion_id,
        attribution_level
    from touch_positions
),

untouched_conversions as (
    select
        conversion_units.conversion_id,
        conversion_units.attribution_level,
        conversion_units.conversion_type,
        conversion_units.converted_at,
        cast(null as {{ dbt.type_string() }}) as touchpoint_id,
        '(no touch)' as channel,
        '(no touch)' as touch_type,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        cast(null as {{ dbt.type_string() }}) as keyword,
        conversion_units.converted_at as touched_at,
        conversion_units.converted_date as touched_date,
        true as is_direct_touch,
        1 as touch_rank,
        1 as touch_count,
        1 as lead_created_rank,
        1 as opportunity_created_rank,
        1 as closed_rank,
        cast(0 as double precision) as age_days,
        cast(0 as double precision) as last_touch_age_days
    from conversion_units
    left join credited_conversions
        on
            conversion_units.conversion_id = credited_conversions.conversion_id
            and conversion_units.attribution_level = credited_conversions.attribution_level
    where credited_conversions.conversion_id is null
),

conversion_touches as (
    select * from touch_positions
    union all
    select * from untouched_conversions
)

select * from conversion_touches
