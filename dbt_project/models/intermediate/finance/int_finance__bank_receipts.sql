{#- Money in: every credit line of every bank statement that is not a reversal, with
    its amount in CNY at the booking day's rate and the references customers type,
    normalised for matching (half-width, upper case, letters and digits only, so
    "ＳＯ－２０２６－００００９１", "so 2026 000091" and "SO-2026-000091" agree). -#}
with

transactions as (
    select * from {{ ref('stg_bank__transactions') }}
    where is_credit and not is_reversal
),

daily_fx_rates as (
    select * from {{ ref('int_finance__daily_fx_rates') }}
),

normalised as (
    select
        bank_transaction_id,
        bank_account_no,
        serial_no,
        booking_date,
        value_date,
        cast(amount as decimal(18, 2)) as amount,
        currency,
        counterparty_name,
        counterparty_account,
        remittance_text,
        end_to_end_id,
        {{ reference_key("remittance_text") }} as remittance_reference_key,
        {{ reference_key("end_to_end_id") }} as end_to_end_reference_key,
        {{ reference_key("customer_reference") }} as customer_reference_key,
        _source_system
    from transactions
),

converted as (
    select
        normalised.*,
        daily_fx_rates.rate_to_cny,
        cast(normalised.amount * daily_fx_rates.rate_to_cny as decimal(18, 2)) as amount_cny,
        {{ business_day_start('normalised.booking_date') }} as received_at
    from normalised
    left join daily_fx_rates
        on
            normalised.booking_date = daily_fx_rates.rate_date
            and normalised.currency = daily_fx_rates.currency
)

select * from converted
