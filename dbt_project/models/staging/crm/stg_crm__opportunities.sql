with

source as (
    select * from {{ source('raw_crm', 'opportunities') }}
),

renamed as (
    select
        ----------  ids
        id as opportunity_id,
        account_id,
        contact_id,
        lead_id,
        owner_id as owner_user_id,

        ----------  strings
        name as opportunity_name,
        product,
        lower(trim(stage)) as stage,
        lower(trim(forecast_category)) as forecast_category,
        upper(coalesce(currency, 'CNY')) as currency,

        ----------  numerics
        amount,
        probability as probability_pct,

        ----------  booleans
        coalesce(is_closed, false) as is_closed,
        coalesce(is_won, false) as is_won,
        is_deleted,

        ----------  dates
        close_date,

        ----------  timestamps
        created_at,
        closed_at,
        updated_at,

        _source_system

    from source
)

select * from renamed
