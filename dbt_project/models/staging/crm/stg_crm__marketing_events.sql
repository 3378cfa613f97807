with

source as (
    select * from {{ source('raw_crm', 'marketing_events') }}
),

renamed as (
    select
        ----------  ids
        id as marketing_event_id,
        lead_id,
        contact_id,
        anonymous_id,
        campaign_id,

        ----------  strings
        lower(trim(event_type)) as event_type,
        url,

        ----------  booleans
        is_deleted,

        ----------  timestamps
        occurred_at,
        created_at,
        updated_at,

        _source_system

    from source
)

select * from renamed
