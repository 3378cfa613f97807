with

source as (
    select * from {{ source('raw_crm', 'contacts') }}
),

renamed as (
    select
        ----------  ids
        id as contact_id,
        account_id,
        owner_id as owner_user_id,
        nullif(trim(wechat_external_userid), '') as wechat_external_userid,

        ----------  strings
        trim(name) as contact_name,
        title,
        department,
        mobile as mobile_raw,
        mobile_e164,
        {{ normalize_email('email') }} as email,

        ----------  identity keys (sha256 of the normalised value; mobiles only)
        {{ identity_key_columns('mobile_e164', 'email') }},

        ----------  booleans
        is_deleted,

        ----------  timestamps
        created_at,
        updated_at,

        _source_system

    from source
)

select * from renamed
