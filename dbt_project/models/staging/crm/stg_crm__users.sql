with

source as (
    select * from {{ source('raw_crm', 'users') }}
),

renamed as (
    select
        ----------  ids
        id as user_id,
        wechat_userid as wechat_member_id,

        ----------  strings
        name as user_name,
        lower(trim(email)) as email,
        team,
        region,
        role,
        industries as industry_skills,
        products as product_skills,

        ----------  numerics
        capacity as open_lead_capacity,

        ----------  booleans
        is_active,
        is_deleted,

        ----------  timestamps
        created_at,
        updated_at,

        _source_system

    from source
)

select * from renamed
