with

source as (
    select * from {{ source('raw_sem', 'baidu_leads') }}
),

renamed as (
    select
        ----------  ids
        clue_id as baidu_clue_id,
        cast(campaign_id as {{ dbt.type_string() }}) as baidu_campaign_id,
        cast(adgroup_id as {{ dbt.type_string() }}) as baidu_adgroup_id,
        cast(keyword_id as {{ dbt.type_string() }}) as baidu_keyword_id,
        nullif(trim(bd_vid), '') as click_id,

        ----------  strings
        trim(name) as contact_name,
        trim(company) as company_name,
        title,
        clue_phone_number as phone_raw,
        phone_e164,
        {{ normalize_email('email') }} as email,
        campaign_name,
        adgroup_name,
        keyword,
        search_word,
        url as landing_url,
        flow_channel_name,
        area,
        solution_type,
        form_detail as form_detail_json,

        ----------  identity keys (sha256 of the normalised value; mobiles only)
        {{ identity_key_columns('phone_e164', 'email') }},

        ----------  timestamps
        commit_time as submitted_at,

        _source_system

    from source
)

select * from renamed
