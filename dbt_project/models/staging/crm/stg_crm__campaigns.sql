with

source as (
    select * from {{ source('raw_crm', 'campaigns') }}
),

renamed as (
    select
        ----------  ids
        id as campaign_id,
        external_id as external_campaign_id,

        ----------  strings
        name as campaign_name,
        lower(trim(channel)) as channel,
        type as campaign_type,
        upper(coalesce(currency, 'CNY')) as currency,

        ----------  numerics
        budget as budget_amount,
        actual_cost as actual_cost_amount,

        ----------  booleans
        is_deleted,

        ----------  dates
        start_date,
        end_date,

        ----------  timestamps
        created_at,
        updated_at,

        _source_system

    from source
)

select * from renamed
