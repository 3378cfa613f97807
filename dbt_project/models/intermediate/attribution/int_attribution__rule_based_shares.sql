{{ config(materialized='view') }}

{#- The share of its conversion each eligible touch earns under the rule-based models,
    one column per model (a view: fct_attribution_credits reads it once).
      first_touch, last_touch  all of it to that touch;
      last_non_direct          all of it to the last touch that is not direct (a touch
                               type in `attribution_direct_touch_types` without a
                               campaign), to the last touch when every touch is direct;
      linear                   an equal share per touch;
      time_decay               weight 2^(-age / half-life), age in days before the
                               conversion, half-life `attribution_time_decay_half_life_days`;
      position_based           positions first and last;
      w_shaped                 positions first, lead_created, opportunity_created;
      full_path                positions first, lead_created, opportunity_created, closed.
    The three position models take their weights from `attribution_position_weights`: a
    touch earns the weight of each position it holds (the sum when it holds several), the
    touches holding none share `middle` equally. Positions no touch holds (rank 0), and
    `middle` when every touch holds a position, drop out: the shares are the weights over
    their sum. So position_based is 40/20/40, 100% for one touch and 50/50 for two;
    w_shaped is 30/30/30 plus 10 shared on an opportunity's journey, 3/7, 1/7, 3/7 on a
    lead's (no opportunity yet). Each position's touch is known by its rank, so these
    models need no window.
    Shares are DECIMAL(18, 15): exact to sum, each conversion's sum 1 within 1e-12. -#}
{%- set position_based = var('attribution_position_weights')['position_based'] %}
{%- set w_shaped = var('attribution_position_weights')['w_shaped'] %}
{%- set full_path = var('attribution_position_weights')['full_path'] %}
{%- set half_life_days = var('attribution_time_decay_half_life_days') %}
with

conversion_touches as (
    select * from {{ ref('int_attribution__conversion_touches') }}
),

milestones as (
    -- a milestone's rank, or null when no touch holds it
    select
        *,
        nullif(lead_created_rank, 0) as lead_rank,
        nullif(opportunity_created_rank, 0) as opportunity_rank,
        nullif(closed_rank, 0) as close_rank
    from conversion_touches
),

position_weights as (
    select
        *,
        -- weight of the positions the touch holds
        case when touch_rank = 1 then {{ position_based['first'] }} else 0 end
        + case when touch_rank = touch_count then {{ position_based['last'] }} else 0 end
            as position_based_held_weight,
        case when touch_rank = 1 then {{ w_shaped['first'] }} else 0 end
        + case when touch_rank = lead_rank then {{ w_shaped['lead_created'] }} else 0 end
        + case
            when touch_rank = opportunity_rank then {{ w_shaped['opportunity_created'] }} else 0
        end
            as w_shaped_held_weight,
        case when touch_rank = 1 then {{ full_path['first'] }} else 0 end
        + case when touch_rank = lead_rank then {{ full_path['lead_created'] }} else 0 end
        + case
            when touch_rank = opportunity_rank then {{ full_path['opportunity_created'] }}
            else 0
        end
        + case when touch_rank = close_rank then {{ full_path['closed'] }} else 0 end
            as full_path_held_weight,
        -- touches holding no position of the model (they share its middle weight)
        touch_count - case when touch_count > 1 then 2 else 1 end as position_based_middle_count,
        touch_count - 1
        - case when lead_rank <> 1 then 1 else 0 end
        - case
            when opportunity_rank <> 1 and opportunity_rank <> coalesce(lead_rank, 0) then 1
            else 0
        end as w_shaped_middle_count,
        touch_count - 1
        - case when lead_rank <> 1 then 1 else 0 end
        - case
            when opportunity_rank <> 1 and opportunity_rank <> coalesce(lead_rank, 0) then 1
            else 0
        end
        - case
            when
                close_rank <> 1
                and close_rank <> coalesce(lead_rank, 0)
                and close_rank <> coalesce(opportunity_rank, 0)
                then 1
            else 0
        end as full_path_middle_count,
        -- weight of the positions some touch holds
        {{ position_based['first'] }} + {{ position_based['last'] }}
            as position_based_present_weight,
        {{ w_shaped['first'] }}
        + case when lead_rank > 0 then {{ w_shaped['lead_created'] }} else 0 end
        + case when opportunity_rank > 0 then {{ w_shaped['opportunity_created'] }} else 0 end
            as w_shaped_present_weight,
        {{ full_path['first'] }}
        + case when lead_rank > 0 then {{ full_path['lead_created'] }} else 0 end
        + case when opportunity_rank > 0 then {{ full_path['opportunity_created'] }} else 0 end
        + case when close_rank > 0 then {{ full_path['closed'] }} else 0 end
            as full_path_present_weight,
        -- relative to the conversion's last touch, so no weight underflows to 0
        power(2.0, -(age_days - last_touch_age_days) / {{ half_life_days }}) as time_decay_weight
    from milestones
),

touch_weights as (
    select
        *,
        position_based_held_weight
        + case
            when touch_rank <> 1 and touch_rank <> touch_count
                then {{ position_based['middle'] }} / position_based_middle_count
            else 0
        end as position_based_weight,
        position_based_present_weight
        + case when position_based_middle_count > 0 then {{ position_based['middle'] }} else 0 end
            as position_based_total_weight,
        w_shaped_held_weight
        + case
            when
                touch_rank <> 1
                and touch_rank <> coalesce(lead_rank, 0)
                and touch_rank <> coalesce(opportunity_rank, 0)
                then {{ w_shaped['middle'] }} / w_shaped_middle_count
            else 0
        end as w_shaped_weight,
        w_shaped_present_weight
        + case when w_shaped_middle_count > 0 then {{ w_shaped['middle'] }} else 0 end
            as w_shaped_total_weight,
        full_path_held_weight
        + case
            when
                touch_rank <> 1
                and touch_rank <> coalesce(lead_rank, 0)
                and touch_rank <> coalesce(opportunity_rank, 0)
                and touch_rank <> coalesce(close_rank, 0)
                then {{ full_path['middle'] }} / full_path_middle_count
            else 0
        end as full_path_weight,
        full_path_present_weight
        + case when full_path_middle_count > 0 then {{ full_path['middle'] }} else 0 end
            as full_path_total_weight
    from position_weights
),

conversion_totals as (
    select
        *,
        sum(time_decay_weight) over (
            partition by conversion_id, attribution_level
        ) as time_decay_total_weight,
        max(case when not is_direct_touch then touch_rank end) over (
            partition by conversion_id, attribution_level
        ) as last_non_direct_rank
    from touch_weights
),

shares as (
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
        touch_rank,
        touch_count,
        cast(case when touch_rank = 1 then 1 else 0 end as decimal(18, 15)) as first_touch_share,
        cast(
            case when touch_rank = touch_count then 1 else 0 end as decimal(18, 15)
        ) as last_touch_share,
        cast(
            case when touch_rank = coalesce(last_non_direct_rank, touch_count) then 1 else 0 end
            as decimal(18, 15)
        ) as last_non_direct_share,
        cast(1.0 / touch_count as decimal(18, 15)) as linear_share,
        cast(time_decay_weight / time_decay_total_weight as decimal(18, 15)) as time_decay_share,
        cast(
            position_based_weight / position_based_total_weight as decimal(18, 15)
        ) as position_based_share,
        cast(w_shaped_weight / w_shaped_total_weight as decimal(18, 15)) as w_shaped_share,
        cast(full_path_weight / full_path_total_weight as decimal(18, 15)) as full_path_share
    from conversion_totals
)

select * from shares
