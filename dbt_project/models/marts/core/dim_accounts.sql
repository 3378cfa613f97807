{#- One row per company: CRM customers (duplicate CRM records merged) and prospect
    companies that people named on a form, a badge or WeChat but the CRM does not
    hold yet. -#}
with

account_clusters as (
    select * from {{ ref('int_identity__crm_account_clusters') }}
),

crm_accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

person_accounts as (
    select * from {{ ref('int_identity__person_accounts') }}
),

company_keys as (
    select * from {{ ref('int_identity__company_keys') }}
),

customers as (
    select
        account_clusters.account_id,
        crm_accounts.account_id as crm_account_id,
        crm_accounts.account_name,
        crm_accounts.industry,
        crm_accounts.employee_count,
        crm_accounts.province,
        crm_accounts.city,
        crm_accounts.region,
        crm_accounts.tech_stack,
        crm_accounts.owner_user_id,
        account_clusters.company_key,
        account_clusters.crm_record_count,
        true as is_crm_account,
        crm_accounts.created_at as first_seen_at
    from account_clusters
    inner join crm_accounts
        on account_clusters.master_crm_account_id = crm_accounts.account_id
    where account_clusters.crm_account_id = account_clusters.master_crm_account_id
),

prospects as (
    select
        person_accounts.account_id,
        cast(null as {{ dbt.type_string() }}) as crm_account_id,
        min(person_accounts.company_name) as account_name,
        cast(null as {{ dbt.type_string() }}) as industry,
        cast(null as {{ dbt.type_int() }}) as employee_count,
        cast(null as {{ dbt.type_string() }}) as province,
        cast(null as {{ dbt.type_string() }}) as city,
        cast(null as {{ dbt.type_string() }}) as region,
        cast(null as {{ dbt.type_string() }}) as tech_stack,
        cast(null as {{ dbt.type_string() }}) as owner_user_id,
        min(company_keys.company_core_key) as company_key,
        0 as crm_record_count,
        false as is_crm_account,
        cast(null as {{ dbt.type_timestamp() }}) as first_seen_at
    from person_accounts
    left join company_keys
        on person_accounts.company_name = company_keys.company_name
    where person_accounts.company_rule = 'prospect_company_name'
    group by person_accounts.account_id
),

accounts as (
    select * from customers
    union all
    select * from prospects
)

select * from accounts
