with

source as (
    select * from {{ source('raw_sem', 'douyin_promotion_daily') }}
),

renamed as (
    select
        ----------  ids
        advertiser_id as douyin_advertiser_id,
        promotion_id as douyin_promotion_id,

        ----------  strings
        promotion_name,
        upper(coalesce(currency, 'CNY')) as currency,

        ----------  numerics
        show_cnt as impressions,
        click_cnt as clicks,
        cost as cost_amount,

        ----------  dates
        stat_date as report_date,

        _source_system

    from source
)

select * from renamed
