with

source as (
    select * from {{ source('raw_crm', 'opportunity_stage_history') }}
),

renamed as (
    select
        ----------  ids
        id as stage_change_id,
        opportunity_id,
        changed_by as changed_by_user_id,

        ----------  strings
        lower(trim(stage)) as stage,
        lower(trim(forecast_category)) as forecast_category,
        upper(coalesce(currency, 'CNY')) as currency,

        ----------  numerics
        amount,
        probability as probability_pct,

        ----------  booleans
        is_deleted,

        ----------  dates
        close_date,

        ----------  timestamps
        -- the CRM writes a history row when the deal enters the stage
        created_at as entered_at,
        updated_at,

        _source_system

    from source
)

select * from renamed
