with

source as (
    select * from {{ source('raw_exhibition', 'badge_scans') }}
),

renamed as (
    select
        ----------  ids
        scan_key as badge_scan_id,
        badge_id,
        file_id,

        ----------  strings
        trim(exhibition_name) as exhibition_name,
        booth,
        trim(name) as contact_name,
        trim(company) as company_name,
        company_match_key,
        company_core_key,
        title,
        department,
        -- 来源: how the badge was captured (扫码 QR scan, 名片 business card, 手工录入 typed)
        source as capture_method,
        rating,
        notes,
        mobile as mobile_raw,
        mobile_e164,
        email_normalized as email,
        file_name,
        extra_json,

        ----------  identity keys (computed by the dlt source with the same normalisers)
        case when {{ is_cn_mobile('mobile_e164') }} then phone_hash end as phone_hash,
        email_hash,

        ----------  numerics
        row_number as file_row_number,

        ----------  timestamps
        scanned_at_raw,
        scanned_at,

        _source_system

    from source
)

select * from renamed
