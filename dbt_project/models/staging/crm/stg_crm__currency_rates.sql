with

source as (
    select * from {{ source('raw_crm', 'currency_rates') }}
),

renamed as (
    select
        ----------  ids
        id as currency_rate_id,

        ----------  strings
        upper(trim(iso_code)) as currency,

        ----------  numerics
        -- the CRM quotes units of `currency` per one CNY (Salesforce DatedConversionRate);
        -- everything downstream multiplies by CNY per unit, so invert once, here
        conversion_rate as units_per_cny,
        cast(1 / nullif(conversion_rate, 0) as decimal(18, 6)) as rate_to_cny,

        ----------  booleans
        is_deleted,

        ----------  dates
        start_date as valid_from_date,
        next_start_date as valid_until_date,

        ----------  timestamps
        created_at,
        updated_at,

        _source_system

    from source
)

select * from renamed
