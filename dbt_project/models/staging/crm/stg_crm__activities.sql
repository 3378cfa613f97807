with

source as (
    select * from {{ source('raw_crm', 'activities') }}
),

renamed as (
    select
        ----------  ids
        id as activity_id,
        lead_id,
        contact_id,
        account_id,
        opportunity_id,
        owner_id as owner_user_id,

        ----------  strings
        lower(trim(type)) as activity_type,
        subject,
        nullif(trim(notes), '') as notes,

        ----------  numerics
        duration_minutes,

        ----------  booleans
        nullif(trim(notes), '') is not null as has_notes,
        is_deleted,

        ----------  timestamps
        occurred_at,
        created_at,
        updated_at,

        _source_system

    from source
)

select * from renamed
