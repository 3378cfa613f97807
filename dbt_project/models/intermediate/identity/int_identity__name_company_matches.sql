{#- Name rules between records that are not WeChat customers (CRM leads and contacts,
    Baidu and Douyin forms, badges): a person who typed another mobile on each form, or
    none, is still one name at one company.

      name_company         the same full name (a Chinese name, a pinyin name, or an English
                           given name and a surname; never a surname-and-title such as 王总,
                           nor a nickname) at strictly agreeing companies (companies_agree
                           in macros/identity_keys.sql): one core key in the other, or one
                           trade name and one trade (远和机械 and 远和精密机械, 嘉巨物流 and
                           嘉巨供应链管理, not 和新纺织 and 和新精密机械).
      pinyin_name_company  the same, with the name in pinyin on one side and in characters
                           on the other (Zhang Yuli, 张宇丽); never characters against
                           characters (张伟 and 章伟 share a pinyin, not a person).

    Safe because the company narrows a name to the people one company employs, and
    a company seldom has two employees of one full name; where a name and company are
    on more records than `identity_max_records_per_identifier` (per trade name), it is a
    placeholder or a shared name and links nobody. Each record links to every agreeing record of its
    name: companies written two ways agree pairwise, not as one key. -#}
with

source_records as (
    select * from {{ ref('int_identity__source_records') }}
),

crm_contacts as (
    select * from {{ ref('stg_crm__contacts') }}
    where not is_deleted
),

crm_accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

company_keys as (
    select * from {{ ref('int_identity__company_keys') }}
),

name_keys as (
    select * from {{ ref('int_identity__name_keys') }}
),

mobiles as (
    select
        record_id,
        identifier_value as phone_hash
    from {{ ref('int_identity__identifiers') }}
    where identifier_type = 'mobile'
),

named_records as (
    -- records with a name and a company (a CRM contact's is its account's)
    select
        source_records.record_id,
        source_records.person_name,
        coalesce(source_records.company_name, crm_accounts.account_name) as company_name
    from source_records
    left join crm_contacts
        on
            source_records.source_table = 'contacts'
            and source_records.source_id = crm_contacts.contact_id
    left join crm_accounts
        on crm_contacts.account_id = crm_accounts.account_id
    where source_records.source_system <> 'wechat_work'
),

record_keys as (
    select
        named_records.record_id,
        name_keys.name_form,
        name_keys.key_type,
        name_keys.key_value,
        company_keys.company_core_key,
        company_keys.company_brand_key,
        company_keys.company_brand_pinyin,
        company_keys.company_sector,
        coalesce(company_keys.company_brand_key, company_keys.company_core_key) as company_key
    from named_records
    inner join name_keys
        on named_records.person_name = name_keys.person_name
    inner join company_keys
        on named_records.company_name = company_keys.company_name
    where
        name_keys.name_form in ('han', 'pinyin', 'latin_surname')
        and name_keys.key_type in ('name', 'pinyin_name')
        and company_keys.company_core_key is not null
),

personal_names as (
    -- a name at one company (trade name) on more records than a person leaves is a
    -- placeholder (先生, 客户) or a shared name: no evidence
    select
        key_type,
        key_value,
        company_key
    from record_keys
    group by key_type, key_value, company_key
    having count(distinct record_id) <= {{ var('identity_max_records_per_identifier') }}
),

name_pairs as (
    select
        left_record.record_id,
        right_record.record_id as linked_record_id,
        case
            when left_record.key_type = 'name' then 'name_company'
            else 'pinyin_name_company'
        end as rule
    from record_keys as left_record
    inner join personal_names
        on
            left_record.key_type = personal_names.key_type
            and left_record.key_value = personal_names.key_value
            and left_record.company_key = personal_names.company_key
    inner join record_keys as right_record
        on
            left_record.key_type = right_record.key_type
            and left_record.key_value = right_record.key_value
            and left_record.record_id < right_record.record_id
    where
        (
            left_record.key_type = 'name'
            or 'pinyin' in (left_record.name_form, right_record.name_form)
        )
        and {{ companies_agree('left_record', 'right_record', strict=true) }}
),

mobile_counts as (
    select
        record_id,
        count(*) as mobile_count
    from mobiles
    group by record_id
),

shared_mobiles as (
    select distinct
        left_mobile.record_id,
        right_mobile.record_id as other_record_id
    from mobiles as left_mobile
    inner join mobiles as right_mobile
        on left_mobile.phone_hash = right_mobile.phone_hash
),

partners as (
    select
        record_id,
        linked_record_id as partner_record_id
    from name_pairs
    union
    select
        linked_record_id,
        record_id
    from name_pairs
),

compared_pairs as (
    -- each matched pair, and each two records one record matched (via_record_id)
    select
        record_id,
        partner_record_id as other_record_id,
        cast(null as {{ dbt.type_string() }}) as via_record_id
    from partners
    union all
    select
        left_partner.partner_record_id as record_id,
        right_partner.partner_record_id as other_record_id,
        left_partner.record_id as via_record_id
    from partners as left_partner
    inner join partners as right_partner
        on
            left_partner.record_id = right_partner.record_id
            and left_partner.partner_record_id < right_partner.partner_record_id
),

mobile_conflicts as (
    -- two records that both carry mobiles, none of them shared: two namesakes
    select compared_pairs.*
    from compared_pairs
    inner join mobile_counts as left_count
        on compared_pairs.record_id = left_count.record_id
    inner join mobile_counts as right_count
        on compared_pairs.other_record_id = right_count.record_id
    left join shared_mobiles
        on
            compared_pairs.record_id = shared_mobiles.record_id
            and compared_pairs.other_record_id = shared_mobiles.other_record_id
    where shared_mobiles.record_id is null
),

ambiguous_records as (
    -- a record matching two namesakes cannot say which one it is
    select distinct via_record_id as record_id
    from mobile_conflicts
    where via_record_id is not null
),

matches as (
    -- the name rule before the pinyin rule
    select
        name_pairs.record_id,
        name_pairs.linked_record_id,
        min(name_pairs.rule) as rule
    from name_pairs
    left join mobile_conflicts
        on
            name_pairs.record_id = mobile_conflicts.record_id
            and name_pairs.linked_record_id = mobile_conflicts.other_record_id
            and mobile_conflicts.via_record_id is null
    where
        mobile_conflicts.record_id is null
        and name_pairs.record_id not in (select ambiguous_records.record_id from ambiguous_records)
        and name_pairs.linked_record_id not in (
            select ambiguous_records.record_id from ambiguous_records
        )
    group by name_pairs.record_id, name_pairs.linked_record_id
)

select * from matches
