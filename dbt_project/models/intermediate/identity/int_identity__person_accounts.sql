{#- The company every person works for. Evidence, strongest first: the CRM account
    of their contact record, the account their lead converted into, a CRM account
    with the same company core key as a company name they gave; otherwise a
    prospect company keyed by that name alone. -#}
with

record_persons as (
    select * from {{ ref('int_identity__record_persons') }}
),

crm_contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

crm_leads as (
    select * from {{ ref('stg_crm__leads') }}
),

account_clusters as (
    select * from {{ ref('int_identity__crm_account_clusters') }}
),

company_keys as (
    select * from {{ ref('int_identity__company_keys') }}
),

crm_record_accounts as (
    -- keyed like the identity records, so the join is one equality
    select
        'crm:contacts:' || contact_id as record_id,
        account_id as crm_account_id,
        1 as strength
    from crm_contacts
    union all
    select
        'crm:leads:' || lead_id as record_id,
        converted_account_id as crm_account_id,
        2 as strength
    from crm_leads
),

crm_evidence as (
    select
        record_persons.person_id,
        account_clusters.account_id,
        account_clusters.account_name as company_name,
        record_persons.record_id as company_source,
        crm_record_accounts.strength,
        record_persons.observed_at
    from record_persons
    inner join crm_record_accounts
        on record_persons.record_id = crm_record_accounts.record_id
    inner join account_clusters
        on crm_record_accounts.crm_account_id = account_clusters.crm_account_id
),

company_accounts as (
    select distinct
        company_key,
        account_id
    from account_clusters
),

name_evidence as (
    select
        record_persons.person_id,
        coalesce(
            company_accounts.account_id,
            'ACC-' || left({{ identifier_hash("'company:' || company_keys.company_core_key") }}, 16)
        ) as account_id,
        record_persons.company_name,
        record_persons.record_id as company_source,
        case when company_accounts.account_id is not null then 3 else 4 end as strength,
        record_persons.observed_at
    from record_persons
    inner join company_keys
        on record_persons.company_name = company_keys.company_name
    left join company_accounts
        on company_keys.company_core_key = company_accounts.company_key
    where company_keys.company_core_key is not null
),

evidence as (
    select * from crm_evidence
    union all
    select * from name_evidence
),

ranked as (
    select
        *,
        row_number() over (
            partition by person_id order by strength asc, observed_at desc, company_source asc
        ) as pick
    from evidence
)

select
    person_id,
    account_id,
    company_name,
    company_source,
    case strength
        when 1 then 'crm_contact_account'
        when 2 then 'crm_lead_converted_account'
        when 3 then 'company_name_matches_crm_account'
        else 'prospect_company_name'
    end as company_rule
from ranked
where pick = 1
