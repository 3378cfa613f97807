with

source as (
    select * from {{ source('raw_sem', 'douyin_clues') }}
),

renamed as (
    select
        ----------  ids
        clue_id as douyin_clue_id,
        advertiser_id as douyin_advertiser_id,
        promotion_id as douyin_promotion_id,
        nullif(trim(weixin), '') as wechat_id,

        ----------  strings
        trim(name) as contact_name,
        trim({{ json_field('remark_dict', '公司名称') }}) as company_name,
        {{ json_field('remark_dict', '职位') }} as title,
        telephone as phone_raw,
        phone_e164,
        {{ normalize_email('email') }} as email,
        promotion_name,
        clue_source,
        app_name,
        province_name,
        city_name,
        case trim(gender) when '男' then 'male' when '女' then 'female' end as gender,
        remark_dict as remark_dict_json,

        ----------  identity keys (sha256 of the normalised value; mobiles only)
        {{ identity_key_columns('phone_e164', 'email') }},

        ----------  numerics
        clue_type,
        clue_state,

        ----------  timestamps
        create_time as submitted_at,

        _source_system

    from source
)

select * from renamed
