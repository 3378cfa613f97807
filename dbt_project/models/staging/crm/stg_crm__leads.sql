with

source as (
    select * from {{ source('raw_crm', 'leads') }}
),

renamed as (
    select
        ----------  ids
        id as lead_id,
        owner_id as owner_user_id,
        campaign_id,
        nullif(trim(click_id), '') as click_id,
        -- the record that created the lead: a Baidu or Douyin clue id, a badge id, a
        -- WeChat external_userid
        nullif(trim(external_lead_id), '') as external_lead_id,
        converted_contact_id,
        converted_account_id,
        converted_opportunity_id,

        ----------  strings
        trim(name) as lead_name,
        trim(company) as company_name,
        title,
        lower(trim(source_channel)) as source_channel,
        keyword,
        lower(trim(status)) as lead_status,
        disqualified_reason,
        industry,
        mobile as mobile_raw,
        mobile_e164,
        {{ normalize_email('email') }} as email,

        ----------  identity keys (sha256 of the normalised value; mobiles only)
        {{ identity_key_columns('mobile_e164', 'email') }},

        ----------  numerics
        employee_count,

        ----------  booleans
        is_deleted,

        ----------  timestamps
        created_at,
        first_response_at,
        mql_at,
        sql_at,
        converted_at,
        updated_at,

        _source_system

    from source
)

select * from renamed
