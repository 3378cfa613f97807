with

source as (
    select * from {{ source('raw_sem', 'baidu_keyword_daily') }}
),

renamed as (
    select
        ----------  ids
        cast(campaign_id as {{ dbt.type_string() }}) as baidu_campaign_id,
        cast(adgroup_id as {{ dbt.type_string() }}) as baidu_adgroup_id,
        cast(keyword_id as {{ dbt.type_string() }}) as baidu_keyword_id,
        user_name as baidu_account,

        ----------  strings
        campaign_name,
        adgroup_name,
        keyword,
        upper(coalesce(currency, 'CNY')) as currency,

        ----------  numerics
        impression as impressions,
        click as clicks,
        cost as cost_amount,

        ----------  booleans
        is_campaign_deleted,
        is_adgroup_deleted,
        is_keyword_deleted,

        ----------  dates
        date as report_date,

        _source_system

    from source
)

select * from renamed
