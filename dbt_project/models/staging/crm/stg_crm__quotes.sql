with

source as (
    select * from {{ source('raw_crm', 'quotes') }}
),

renamed as (
    select
        ----------  ids
        id as quote_id,
        opportunity_id,
        account_id,
        approved_by as approved_by_user_id,

        ----------  strings
        quote_no,
        approval_level,
        lower(trim(status)) as quote_status,
        upper(coalesce(currency, 'CNY')) as currency,

        ----------  numerics
        list_amount,
        discount_pct,
        amount,

        ----------  booleans
        is_deleted,

        ----------  timestamps
        created_at,
        updated_at,

        _source_system

    from source
)

select * from renamed
