{#- Every identifier each source record carries, one row per (record, type, value).
    The identifier type is also the name of the rule that links records sharing it. -#}
with

crm_leads as (
    select * from {{ ref('stg_crm__leads') }}
    where not is_deleted
),

crm_contacts as (
    select * from {{ ref('stg_crm__contacts') }}
    where not is_deleted
),

wechat_contacts as (
    select * from {{ ref('stg_wechat_work__external_contacts') }}
),

wechat_follows as (
    select * from {{ ref('stg_wechat_work__contact_follows') }}
),

baidu_leads as (
    select * from {{ ref('stg_sem__baidu_leads') }}
),

douyin_clues as (
    select * from {{ ref('stg_sem__douyin_clues') }}
),

badge_scans as (
    select * from {{ ref('stg_exhibition__badge_scans') }}
    where badge_id is not null
),

identifiers as (
    -- CRM leads: their own keys, and the record the lead was created from
    select
        'crm:leads:' || lead_id as record_id,
        'mobile' as identifier_type,
        phone_hash as identifier_value
    from crm_leads
    union all
    select
        'crm:leads:' || lead_id,
        'email',
        case when not {{ is_role_email('email') }} then email_hash end
    from crm_leads
    union all
    select
        'crm:leads:' || lead_id,
        'crm_contact',
        converted_contact_id
    from crm_leads
    union all
    select
        'crm:leads:' || lead_id,
        case source_channel
            when 'sem' then 'baidu_clue'
            when 'douyin' then 'douyin_clue'
            when 'exhibition' then 'badge'
            when 'wechat' then 'wechat_external_userid'
        end,
        external_lead_id
    from crm_leads

    -- CRM contacts
    union all
    select
        'crm:contacts:' || contact_id,
        'mobile',
        phone_hash
    from crm_contacts
    union all
    select
        'crm:contacts:' || contact_id,
        'email',
        case when not {{ is_role_email('email') }} then email_hash end
    from crm_contacts
    union all
    select
        'crm:contacts:' || contact_id,
        'crm_contact',
        contact_id
    from crm_contacts
    union all
    select
        'crm:contacts:' || contact_id,
        'wechat_external_userid',
        wechat_external_userid
    from crm_contacts

    -- WeChat Work: the contact's ids and the mobiles reps wrote into its remark
    union all
    select
        'wechat_work:external_contacts:' || wechat_external_userid,
        'wechat_external_userid',
        wechat_external_userid
    from wechat_contacts
    union all
    select
        'wechat_work:external_contacts:' || wechat_external_userid,
        'wechat_unionid',
        wechat_unionid
    from wechat_contacts
    union all
    select
        'wechat_work:external_contacts:' || wechat_external_userid,
        'mobile',
        phone_hash
    from wechat_follows

    -- SEM form leads
    union all
    select
        'sem:baidu_leads:' || baidu_clue_id,
        'mobile',
        phone_hash
    from baidu_leads
    union all
    select
        'sem:baidu_leads:' || baidu_clue_id,
        'email',
        case when not {{ is_role_email('email') }} then email_hash end
    from baidu_leads
    union all
    select
        'sem:baidu_leads:' || baidu_clue_id,
        'baidu_clue',
        baidu_clue_id
    from baidu_leads
    union all
    select
        'sem:douyin_clues:' || douyin_clue_id,
        'mobile',
        phone_hash
    from douyin_clues
    union all
    select
        'sem:douyin_clues:' || douyin_clue_id,
        'email',
        case when not {{ is_role_email('email') }} then email_hash end
    from douyin_clues
    union all
    select
        'sem:douyin_clues:' || douyin_clue_id,
        'douyin_clue',
        douyin_clue_id
    from douyin_clues

    -- badge scans (every scan of a badge speaks for the badge)
    union all
    select
        'exhibition:badge_scans:' || badge_id,
        'mobile',
        phone_hash
    from badge_scans
    union all
    select
        'exhibition:badge_scans:' || badge_id,
        'email',
        case when not {{ is_role_email('email') }} then email_hash end
    from badge_scans
    union all
    select
        'exhibition:badge_scans:' || badge_id,
        'badge',
        badge_id
    from badge_scans
)

select distinct
    record_id,
    identifier_type,
    identifier_value
from identifiers
where identifier_type is not null and identifier_value is not null
