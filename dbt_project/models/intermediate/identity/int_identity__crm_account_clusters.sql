{#- CRM account records of one company: reps create the same customer twice under
    name variants (佛山众美塑胶制品有限公司, 众美塑胶). Records sharing a company core key
    are one company; its id comes from the oldest record's CRM id. -#}
with

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
    where not is_deleted
),

company_keys as (
    select * from {{ ref('int_identity__company_keys') }}
),

keyed as (
    select
        accounts.account_id as crm_account_id,
        accounts.account_name,
        accounts.created_at,
        coalesce(company_keys.company_core_key, 'crm:' || accounts.account_id) as company_key
    from accounts
    left join company_keys
        on accounts.account_name = company_keys.company_name
),

clustered as (
    select
        *,
        first_value(crm_account_id) over (
            partition by company_key order by created_at, crm_account_id
        ) as master_crm_account_id,
        count(*) over (partition by company_key) as crm_record_count
    from keyed
)

select
    crm_account_id,
    account_name,
    company_key,
    master_crm_account_id,
    crm_record_count,
    'ACC-' || left({{ identifier_hash("'crm:' || master_crm_account_id") }}, 16) as account_id
from clustered
