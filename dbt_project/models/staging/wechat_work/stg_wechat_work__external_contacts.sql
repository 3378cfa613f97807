with

source as (
    select * from {{ source('raw_wechat_work', 'external_contacts') }}
),

renamed as (
    select
        ----------  ids
        external_userid as wechat_external_userid,
        -- the same person across every corp's WeChat Work: present for WeChat users
        -- (type 1) once the corp has bound an official account
        nullif(trim(unionid), '') as wechat_unionid,

        ----------  strings
        trim(name) as contact_name,
        position as title,
        corp_name as company_short_name,
        coalesce(nullif(trim(corp_full_name), ''), nullif(trim(corp_name), '')) as company_name,
        case type when 1 then 'wechat' when 2 then 'wecom' end as contact_kind,
        case gender when 1 then 'male' when 2 then 'female' end as gender,
        extra_json,

        _source_system

    from source
)

select * from renamed
