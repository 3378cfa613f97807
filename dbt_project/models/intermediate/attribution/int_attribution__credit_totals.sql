{{ config(materialized='view') }}

{#- The check behind the credit invariants: one row per conversion, attribution level and
    model that must be credited, with what fct_attribution_credits gives it. Its tests
    say every conversion is credited in every model at both levels, and that the shares
    sum to 1. The model list is fct_attribution_credits's. -#}
with

conversions as (
    select * from {{ ref('int_attribution__conversions') }}
),

credits as (
    select * from {{ ref('fct_attribution_credits') }}
),

attribution_levels as (
    select 'person' as attribution_level
    union all
    select 'account' as attribution_level
),

attribution_models as (
    {{ attribution_models_select() }}
),

expected_credits as (
    select
        conversions.conversion_id,
        conversions.conversion_type,
        attribution_levels.attribution_level,
        attribution_models.model
    from conversions
    cross join attribution_levels
    cross join attribution_models
),

credit_sums as (
    select
        conversion_id,
        attribution_level,
        model,
        count(*) as credit_count,
        sum(credit_share) as credit_share_total,
        min(credit_share) as min_credit_share
    from credits
    group by conversion_id, attribution_level, model
),

credit_totals as (
    select
        expected_credits.conversion_id,
        expected_credits.conversion_type,
        expected_credits.attribution_level,
        expected_credits.model,
        coalesce(credit_sums.credit_count, 0) as credit_count,
        credit_sums.credit_share_total,
        credit_sums.min_credit_share
    from expected_credits
    left join credit_sums
        on
            expected_credits.conversion_id = credit_sums.conversion_id
            and expected_credits.attribution_level = credit_sums.attribution_level
            and expected_credits.model = credit_sums.model
)

select * from credit_totals
