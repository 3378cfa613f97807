with

source as (
    select * from {{ source('raw_bank', 'transactions') }}
),

renamed as (
    select
        ----------  ids
        transaction_key as bank_transaction_id,
        account as bank_account_no,
        statement_key,
        file_id,
        serial_no,
        end_to_end_id,
        bank_reference,
        customer_reference,
        mandate_reference,
        creditor_reference,

        ----------  strings
        upper(currency) as currency,
        counterparty_name,
        counterparty_account,
        counterparty_bic,
        remittance as remittance_text,
        transaction_code,
        status as entry_status,
        references_json,
        source_ref,

        ----------  numerics
        -- signed: credit (money in) positive, debit negative
        amount,
        balance_after,
        -- the n-th identical entry of its statement (two equal fees on one day)
        occurrence,

        ----------  booleans
        amount > 0 as is_credit,
        coalesce(is_reversal, false) as is_reversal,

        ----------  dates
        booking_date,
        value_date,

        _source_system

    from source
)

select * from renamed
