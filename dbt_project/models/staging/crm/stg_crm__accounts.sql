with

source as (
    select * from {{ source('raw_crm', 'accounts') }}
),

renamed as (
    select
        ----------  ids
        id as account_id,
        owner_id as owner_user_id,

        ----------  strings
        trim(name) as account_name,
        industry,
        province,
        city,
        region,
        tech_stack,

        ----------  numerics
        employee_count,

        ----------  booleans
        is_deleted,

        ----------  timestamps
        created_at,
        updated_at,

        _source_system

    from source
)

select * from renamed
