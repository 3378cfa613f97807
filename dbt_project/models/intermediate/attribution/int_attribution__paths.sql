{#- The aggregated path table the data-driven models (Markov, Shapley) learn from, per
    conversion type and attribution level: one row per distinct channel path with the
    journeys on it that converted, their value in CNY, and those that did not.
      converting journeys      each conversion's eligible touches (int_attribution__
                               conversion_touches), conversions without a touch left out;
      non-converting journeys  each person (account) with attribution touches and no
                               conversion of that type: their touches in the lookback
                               window ending at their last touch.
    With a first-order chain (`attribution_markov_order` 1) repeated touches of one
    channel in a row are written once: a self-loop changes no first-order removal effect
    and no Shapley value, and the table gets far fewer distinct paths. -#}
{%- set keep_repeats = 'false' if var('attribution_markov_order') | int == 1 else 'true' %}
{%- set path_order = 'order by converting_steps.touch_rank' %}
with

conversion_touches as (
    select * from {{ ref('int_attribution__conversion_touches') }}
    where touchpoint_id is not null
),

conversions as (
    select * from {{ ref('int_attribution__conversions') }}
),

touchpoints as (
    select * from {{ ref('int_touchpoints') }}
    where is_attribution_touch and person_id is not null
),

converting_steps as (
    select
        conversion_id,
        attribution_level,
        conversion_type,
        channel,
        touch_rank,
        coalesce(
            channel = lag(channel) over (
                partition by conversion_id, attribution_level order by touch_rank
            ),
            false
        ) as is_repeat
    from conversion_touches
),

converting_journeys as (
    select
        converting_steps.conversion_type,
        converting_steps.attribution_level,
        {{ dbt.listagg('converting_steps.channel', "' > '", path_order) }} as path,
        max(conversions.value_cny) as conversion_value
    from converting_steps
    inner join conversions
        on converting_steps.conversion_id = conversions.conversion_id
    where not converting_steps.is_repeat or {{ keep_repeats }}
    group by
        converting_steps.conversion_id,
        converting_steps.conversion_type,
        converting_steps.attribution_level
),

unit_touches as (
    select
        'person' as attribution_level,
        person_id as unit_id,
        touchpoint_id,
        channel,
        touched_at
    from touchpoints
    union all
    select
        'account' as attribution_level,
        coalesce(account_id, person_id) as unit_id,
        touchpoint_id,
        channel,
        touched_at
    from touchpoints
),

windowed_unit_touches as (
    select
        *,
        max(touched_at) over (partition by attribution_level, unit_id) as last_touched_at
    from unit_touches
),

unit_steps as (
    select
        attribution_level,
        unit_id,
        channel,
        touched_at,
        touchpoint_id,
        coalesce(
            channel = lag(channel) over (
                partition by attribution_level, unit_id order by touched_at, touchpoint_id
            ),
            false
        ) as is_repeat
    from windowed_unit_touches
    where
        touched_at
        > {{ dbt.dateadd('day', -var('attribution_lookback_days'), 'last_touched_at') }}
),

unit_journeys as (
    select
        attribution_level,
        unit_id,
        {{ dbt.listagg('channel', "' > '", 'order by touched_at, touchpoint_id') }} as path
    from unit_steps
    where not is_repeat or {{ keep_repeats }}
    group by attribution_level, unit_id
),

conversion_types as (
    select distinct conversion_type from conversions
),

converted_units as (
    select distinct
        conversion_type,
        'person' as attribution_level,
        person_id as unit_id
    from conversions
    where person_id is not null
    union all
    select distinct
        conversion_type,
        'account' as attribution_level,
        coalesce(account_id, person_id) as unit_id
    from conversions
    where coalesce(account_id, person_id) is not null
),

non_converting_journeys as (
    select
        conversion_types.conversion_type,
        unit_journeys.attribution_level,
        unit_journeys.path
    from unit_journeys
    cross join conversion_types
    left join converted_units
        on
            conversion_types.conversion_type = converted_units.conversion_type
            and unit_journeys.attribution_level = converted_units.attribution_level
            and unit_journeys.unit_id = converted_units.unit_id
    where converted_units.unit_id is null
),

journeys as (
    select
        conversion_type,
        attribution_level,
        path,
        1 as is_conversion,
        conversion_value
    from converting_journeys
    union all
    select
        conversion_type,
        attribution_level,
        path,
        0 as is_conversion,
        cast(null as decimal(18, 2)) as conversion_value
    from non_converting_journeys
),

paths as (
    select
        conversion_type,
        attribution_level,
        path,
        sum(is_conversion) as total_conversions,
        coalesce(sum(conversion_value), 0) as total_conversion_value,
        sum(1 - is_conversion) as total_null
    from journeys
    group by conversion_type, attribution_level, path
)

select * from paths
