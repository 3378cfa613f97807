{{ config(materialized='view') }}

{#- Every eligible touch's share of its conversion under all ten models, one column per
    model: the rule-based shares, plus the data-driven ones. Markov and Shapley weigh
    channels, not touches (int_attribution__channel_weights, per conversion type and
    level), so a conversion's credit is split over the channels on its path in
    proportion to their weights, and equally over the touches of one channel:

        share(touch of channel c) = (w_c / n_c) / Σ over the path's channels of w

    with n_c the conversion's touches of channel c. A path whose channels all weigh 0
    (or the `(no touch)` path) falls back to linear shares. The per-conversion sums are
    group-bys joined back: DuckDB runs them far faster than unordered window sums. -#}
with

rule_based_shares as (
    select * from {{ ref('int_attribution__rule_based_shares') }}
),

channel_weights as (
    select * from {{ ref('int_attribution__channel_weights') }}
),

markov_weights as (
    select * from channel_weights
    where model = 'markov'
),

shapley_weights as (
    select * from channel_weights
    where model = 'shapley'
),

path_channels as (
    select
        conversion_id,
        attribution_level,
        conversion_type,
        channel,
        count(*) as channel_touch_count
    from rule_based_shares
    group by conversion_id, attribution_level, conversion_type, channel
),

weighted_channels as (
    select
        path_channels.conversion_id,
        path_channels.attribution_level,
        path_channels.channel,
        path_channels.channel_touch_count,
        coalesce(markov_weights.channel_weight, 0) as markov_channel_weight,
        coalesce(shapley_weights.channel_weight, 0) as shapley_channel_weight
    from path_channels
    left join markov_weights
        on
            path_channels.conversion_type = markov_weights.conversion_type
            and path_channels.attribution_level = markov_weights.attribution_level
            and path_channels.channel = markov_weights.channel
    left join shapley_weights
        on
            path_channels.conversion_type = shapley_weights.conversion_type
            and path_channels.attribution_level = shapley_weights.attribution_level
            and path_channels.channel = shapley_weights.channel
),

path_weights as (
    select
        conversion_id,
        attribution_level,
        sum(markov_channel_weight) as markov_path_weight,
        sum(shapley_channel_weight) as shapley_path_weight
    from weighted_channels
    group by conversion_id, attribution_level
),

touch_shares as (
    select
        rule_based_shares.*,
        cast(
            case
                when path_weights.markov_path_weight > 0
                    then
                        weighted_channels.markov_channel_weight
                        / weighted_channels.channel_touch_count
                        / path_weights.markov_path_weight
                else 1.0 / rule_based_shares.touch_count
            end as decimal(18, 15)
        ) as markov_share,
        cast(
            case
                when path_weights.shapley_path_weight > 0
                    then
                        weighted_channels.shapley_channel_weight
                        / weighted_channels.channel_touch_count
                        / path_weights.shapley_path_weight
                else 1.0 / rule_based_shares.touch_count
            end as decimal(18, 15)
        ) as shapley_share
    from rule_based_shares
    inner join weighted_channels
        on
            rule_based_shares.conversion_id = weighted_channels.conversion_id
            and rule_based_shares.attribution_level = weighted_channels.attribution_level
            and rule_based_shares.channel = weighted_channels.channel
    inner join path_weights
        on
            rule_based_shares.conversion_id = path_weights.conversion_id
            and rule_based_shares.attribution_level = path_weights.attribution_level
)

select * from touch_shares
