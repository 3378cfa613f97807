with

source as (
    select * from {{ source('raw_wechat_work', 'follow_users') }}
),

renamed as (
    select
        ----------  ids
        userid as wechat_member_id,

        _source_system

    from source
)

select * from renamed
