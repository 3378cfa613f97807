{#- One row per resolved person. Survivorship, per attribute, takes the value from the
    most trusted source that has it, the latest record first:
      name and title: CRM contact > CRM lead > badge scan > Baidu form > Douyin form
                      > WeChat (often a nickname);
      owner:          CRM contact > CRM lead (latest) > the first rep who added them
                      on WeChat;
      company:        the CRM account the person belongs to, else as for the name.
    The `*_source` columns say which record won. -#}
with

record_persons as (
    select * from {{ ref('int_identity__record_persons') }}
),

identifiers as (
    select * from {{ ref('int_identity__identifiers') }}
),

person_accounts as (
    select * from {{ ref('int_identity__person_accounts') }}
),

prioritised as (
    select
        *,
        case source_table
            when 'contacts' then 1
            when 'leads' then 2
            when 'badge_scans' then 3
            when 'baidu_leads' then 4
            when 'douyin_clues' then 5
            when 'external_contacts' then 6
        end as source_priority
    from record_persons
),

best_name as (
    select
        person_id,
        person_name,
        title,
        record_id as name_source,
        row_number() over (
            partition by person_id
            order by source_priority asc, observed_at desc, record_id asc
        ) as pick
    from prioritised
    where person_name is not null
),

best_owner as (
    select
        person_id,
        owner_user_id,
        record_id as owner_source,
        row_number() over (
            partition by person_id
            order by source_priority asc, observed_at desc, record_id asc
        ) as pick
    from prioritised
    where owner_user_id is not null
),

identity_richness as (
    select
        record_persons.person_id,
        count(distinct mobiles.identifier_value) as mobile_count,
        count(distinct emails.identifier_value) as email_count,
        min(mobiles.identifier_value) as phone_hash,
        min(emails.identifier_value) as email_hash,
        count(wechat_ids.identifier_value) > 0 as has_wechat
    from record_persons
    left join identifiers as mobiles
        on
            record_persons.record_id = mobiles.record_id
            and mobiles.identifier_type = 'mobile'
    left join identifiers as emails
        on
            record_persons.record_id = emails.record_id
            and emails.identifier_type = 'email'
    left join identifiers as wechat_ids
        on
            record_persons.record_id = wechat_ids.record_id
            and wechat_ids.identifier_type in ('wechat_external_userid', 'wechat_unionid')
    group by record_persons.person_id
),

footprint as (
    select
        person_id,
        min(anchor_record_id) as anchor_record_id,
        count(*) as record_count,
        count(distinct source_system) as source_system_count,
        {{ dbt.listagg('distinct source_system', "','", "order by source_system") }}
            as source_systems,
        min(observed_at) as first_seen_at,
        max(observed_at) as last_seen_at
    from record_persons
    group by person_id
),

persons as (
    select
        footprint.person_id,
        best_name.person_name,
        best_name.title,
        best_name.name_source,
        person_accounts.account_id,
        person_accounts.company_name,
        person_accounts.company_source,
        best_owner.owner_user_id,
        best_owner.owner_source,
        identity_richness.phone_hash,
        identity_richness.email_hash,
        identity_richness.mobile_count,
        identity_richness.email_count,
        coalesce(identity_richness.has_wechat, false) as has_wechat,
        footprint.record_count,
        footprint.source_system_count,
        footprint.source_systems,
        footprint.anchor_record_id,
        footprint.first_seen_at,
        footprint.last_seen_at
    from footprint
    left join best_name
        on footprint.person_id = best_name.person_id and best_name.pick = 1
    left join best_owner
        on footprint.person_id = best_owner.person_id and best_owner.pick = 1
    left join identity_richness
        on footprint.person_id = identity_richness.person_id
    left join person_accounts
        on footprint.person_id = person_accounts.person_id
)

select * from persons
