{{ config(materialized='view') }}

{#- CRM leads without the contact details typed on the form (phone as typed and in
    E.164, e-mail address): the lead snapshot (`snapshots/_crm__snapshots.yml`) keeps
    every version of a lead for good, so it keeps only the hashes the identity graph
    uses, never a phone number or an address. -#}
with

leads as (
    select * from {{ ref('stg_crm__leads') }}
),

redacted as (
    select
        lead_id,
        owner_user_id,
        campaign_id,
        click_id,
        external_lead_id,
        converted_contact_id,
        converted_account_id,
        converted_opportunity_id,
        lead_name,
        company_name,
        title,
        source_channel,
        keyword,
        lead_status,
        disqualified_reason,
        industry,
        phone_hash,
        email_hash,
        employee_count,
        is_deleted,
        created_at,
        first_response_at,
        mql_at,
        sql_at,
        converted_at,
        updated_at,
        _source_system
    from leads
)

select * from redacted
