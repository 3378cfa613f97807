with

source as (
    select * from {{ source('raw_bank', 'statements') }}
),

renamed as (
    select
        ----------  ids
        statement_key,
        account as bank_account_no,
        statement_id,
        sequence as statement_sequence,
        file_id,

        ----------  strings
        upper(currency) as currency,
        format as file_format,
        rejected_reason,
        source_ref,

        ----------  numerics
        opening_balance,
        closing_balance,
        entry_count,

        ----------  booleans
        is_balanced,

        ----------  dates
        opening_date,
        closing_date,

        _source_system

    from source
)

select * from renamed
