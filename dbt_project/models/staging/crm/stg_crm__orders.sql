with

source as (
    select * from {{ source('raw_crm', 'orders') }}
),

renamed as (
    select
        ----------  ids
        id as order_id,
        account_id,
        opportunity_id,
        quote_id,
        owner_id as owner_user_id,

        ----------  strings
        trim(order_no) as order_no,
        -- the CRM's claim: "completed" is what a rep set, not proof of payment
        lower(trim(status)) as crm_order_status,
        upper(coalesce(currency, 'CNY')) as currency,

        ----------  numerics
        amount,

        ----------  booleans
        is_deleted,

        ----------  dates
        order_date,

        ----------  timestamps
        completed_at as crm_completed_at,
        created_at,
        updated_at,

        _source_system

    from source
)

select * from renamed
