with

source as (
    select * from {{ source('raw_wechat_work', 'contact_follow_users') }}
),

renamed as (
    select
        ----------  ids
        external_userid as wechat_external_userid,
        userid as wechat_member_id,
        oper_userid as operator_member_id,

        ----------  strings
        remark,
        -- reps write remarks as "name-company" (张婷-智信机械): both halves identify
        nullif(trim(split_part(remark, '-', 1)), '') as remark_person_name,
        case
            when remark like '%-%' then nullif(trim(split_part(remark, '-', 2)), '')
        end as remark_company_part,
        description,
        remark_corp_name as remark_company_name,
        remark_mobiles as remark_mobiles_raw,
        remark_mobile_e164,
        tag_ids as tag_ids_json,
        -- the channel code a "contact me" QR code carried, e.g. expo2025sh
        nullif(trim(state), '') as channel_state,
        add_way,

        ----------  identity keys
        case
            when {{ is_cn_mobile('remark_mobile_e164') }}
                then {{ identifier_hash('remark_mobile_e164') }}
        end as phone_hash,

        ----------  timestamps
        createtime as added_at,

        _source_system

    from source
)

select * from renamed
