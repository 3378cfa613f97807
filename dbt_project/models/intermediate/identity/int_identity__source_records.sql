{#- Every record of a person in any source, one row each, with what identifies it.
    record_id is `<system>:<table>:<id>`; the id is the one the source system uses
    (a badge counts once however often it was scanned). -#}
with

crm_leads as (
    select * from {{ ref('stg_crm__leads') }}
    where not is_deleted
),

crm_contacts as (
    select * from {{ ref('stg_crm__contacts') }}
    where not is_deleted
),

crm_users as (
    select * from {{ ref('stg_crm__users') }}
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
),

first_wechat_follow as (
    -- the member who added the customer first owns the relationship on WeChat
    select
        wechat_external_userid,
        wechat_member_id,
        added_at,
        row_number() over (
            partition by wechat_external_userid order by added_at, wechat_member_id
        ) as follow_rank
    from wechat_follows
),

latest_badge_scan as (
    select
        badge_id,
        contact_name,
        company_name,
        title,
        min(scanned_at) over (partition by badge_id) as first_scanned_at,
        row_number() over (
            partition by badge_id order by scanned_at desc, badge_scan_id asc
        ) as scan_rank
    from badge_scans
    where badge_id is not null
),

records as (
    select
        'crm:leads:' || lead_id as record_id,
        'crm' as source_system,
        'leads' as source_table,
        lead_id as source_id,
        lead_name as person_name,
        company_name,
        title,
        owner_user_id,
        created_at as observed_at
    from crm_leads

    union all

    select
        'crm:contacts:' || contact_id,
        'crm',
        'contacts',
        contact_id,
        contact_name,
        cast(null as {{ dbt.type_string() }}),
        title,
        owner_user_id,
        created_at
    from crm_contacts

    union all

    select
        'wechat_work:external_contacts:' || wechat_contacts.wechat_external_userid,
        'wechat_work',
        'external_contacts',
        wechat_contacts.wechat_external_userid,
        wechat_contacts.contact_name,
        wechat_contacts.company_name,
        wechat_contacts.title,
        crm_users.user_id,
        first_wechat_follow.added_at
    from wechat_contacts
    left join first_wechat_follow
        on
            wechat_contacts.wechat_external_userid = first_wechat_follow.wechat_external_userid
            and first_wechat_follow.follow_rank = 1
    left join crm_users
        on first_wechat_follow.wechat_member_id = crm_users.wechat_member_id

    union all

    select
        'sem:baidu_leads:' || baidu_clue_id,
        'sem',
        'baidu_leads',
        baidu_clue_id,
        contact_name,
        company_name,
        title,
        cast(null as {{ dbt.type_string() }}),
        submitted_at
    from baidu_leads

    union all

    select
        'sem:douyin_clues:' || douyin_clue_id,
        'sem',
        'douyin_clues',
        douyin_clue_id,
        contact_name,
        company_name,
        title,
        cast(null as {{ dbt.type_string() }}),
        submitted_at
    from douyin_clues

    union all

    select
        'exhibition:badge_scans:' || badge_id,
        'exhibition',
        'badge_scans',
        badge_id,
        contact_name,
        company_name,
        title,
        cast(null as {{ dbt.type_string() }}),
        first_scanned_at
    from latest_badge_scan
    where scan_rank = 1
)

select * from records
