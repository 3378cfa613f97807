with

source as (
    select * from {{ source('raw_crm', 'service_cases') }}
),

renamed as (
    select
        ----------  ids
        id as service_case_id,
        account_id,
        contact_id,

        ----------  strings
        subject,
        priority,
        lower(trim(status)) as case_status,

        ----------  booleans
        coalesce(lower(trim(status)) in ('open', 'in_progress'), false) as is_open,
        is_deleted,

        ----------  timestamps
        opened_at,
        resolved_at,
        created_at,
        updated_at,

        _source_system

    from source
)

select * from renamed
