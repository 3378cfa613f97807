with

source as (
    select * from {{ source('raw_crm', 'invoices') }}
),

renamed as (
    select
        ----------  ids
        id as invoice_id,
        order_id,
        account_id,

        ----------  strings
        trim(invoice_no) as invoice_no,
        lower(trim(status)) as invoice_status,
        upper(coalesce(currency, 'CNY')) as currency,

        ----------  numerics
        amount,

        ----------  booleans
        is_deleted,

        ----------  dates
        issued_date,
        due_date,

        ----------  timestamps
        created_at,
        updated_at,

        _source_system

    from source
)

select * from renamed
