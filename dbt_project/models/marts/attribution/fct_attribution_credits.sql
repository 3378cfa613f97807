{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='conversion_id',
        on_schema_change='fail',
        post_hook=[
            "delete from {{ this }} where conversion_id not in"
            " (select conversion_id from {{ ref('int_attribution__conversions') }})",
        ],
    )
}}

{#- Attribution credits: one row per conversion, attribution level, model and touch
    that earns a share of the conversion (shares of 0 are left out), with the share and
    the value it carries. Ten models (int_attribution__rule_based_shares and
    int_attribution__touch_shares say how each shares), two levels (the person who
    converted, their whole company), four conversion types (lead_created,
    opportunity_created, won, cash_received).

    For every conversion, level and model the shares sum to 1; a conversion with no
    eligible touch is credited to one synthetic touch, channel `(no touch)`, without a
    touchpoint id. Values are the conversion's in its currency and in CNY, times the
    share, rounded to the cent. credit_id is the natural key
    `<conversion_id>|<level>|<model>|<touchpoint_id or (no touch)>`.

    Incremental: a run credits the conversions not credited yet, and re-credits those
    converted within `attribution_restate_days` of the latest one credited (late touches,
    identity merges, amended values), replacing all their rows. Older conversions keep
    the credit they were booked with, including the Markov and Shapley weights of that
    run; credits of conversions that no longer exist are deleted. `--full-refresh`
    restates everything (do it after changing an attribution var). -#}
with

touch_shares as (
    select * from {{ ref('int_attribution__touch_shares') }}
),

conversions as (
    select * from {{ ref('int_attribution__conversions') }}
),

{% if is_incremental() %}
credited_conversions as (
    -- one row per credited conversion: every conversion has exactly one first touch
    select
        conversion_id,
        converted_at
    from {{ this }}
    where model = 'first_touch' and attribution_level = 'person'
),

restate_from as (
    select
        {{ dbt.dateadd('day', -var('attribution_restate_days'), 'max(converted_at)') }}
            as restate_from_at
    from credited_conversions
),
{% endif %}

batch_conversions as (
    -- a full build credits every conversion; an incremental one the new and recent ones
    select conversions.*
    from conversions
    {% if is_incremental() %}
    left join credited_conversions
        on conversions.conversion_id = credited_conversions.conversion_id
    cross join restate_from
    where
        credited_conversions.conversion_id is null
        or conversions.converted_at > restate_from.restate_from_at
    {% endif %}
),

attribution_models as (
    {{ attribution_models_select() }}
),

valued_touches as (
    select
        touch_shares.*,
        conversions.converted_date,
        conversions.value,
        conversions.currency,
        conversions.value_cny
    from touch_shares
    inner join batch_conversions as conversions
        on touch_shares.conversion_id = conversions.conversion_id
),

model_shares as (
    -- one row per touch and model: the model's column of the touch
    select
        valued_touches.*,
        attribution_models.model,
        case attribution_models.model
            when 'first_touch' then valued_touches.first_touch_share
            when 'last_touch' then valued_touches.last_touch_share
            when 'last_non_direct' then valued_touches.last_non_direct_share
            when 'linear' then valued_touches.linear_share
            when 'time_decay' then valued_touches.time_decay_share
            when 'position_based' then valued_touches.position_based_share
            when 'w_shaped' then valued_touches.w_shaped_share
            when 'full_path' then valued_touches.full_path_share
            when 'markov' then valued_touches.markov_share
            when 'shapley' then valued_touches.shapley_share
        end as credit_share
    from valued_touches
    cross join attribution_models
),

credits as (
    select
        -- the natural key spelled out: an md5 of it costs more than the rest of the row
        conversion_id || '|' || attribution_level || '|' || model || '|'
        || coalesce(touchpoint_id, '(no touch)') as credit_id,
        conversion_id,
        conversion_type,
        attribution_level,
        model,
        touchpoint_id,
        channel,
        touch_type,
        campaign_id,
        keyword,
        touched_at,
        touched_date,
        touch_rank,
        touch_count,
        converted_at,
        converted_date,
        credit_share,
        -- multiplied in double precision (error ~1e-16 relative, far below a cent):
        -- 128-bit DECIMAL products cost as much as the rest of the row
        cast(
            cast(value as double precision) * cast(credit_share as double precision)
            as decimal(18, 2)
        ) as credited_value,
        cast(
            cast(value_cny as double precision) * cast(credit_share as double precision)
            as decimal(18, 2)
        ) as credited_value_cny,
        currency
    from model_shares
    where credit_share > 0
)

select * from credits
