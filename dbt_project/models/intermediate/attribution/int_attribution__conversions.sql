{#- Every conversion attribution credits, one row each, of four types:
      lead_created         a CRM lead is created (no value);
      opportunity_created  an opportunity is opened (value: its amount, the pipeline);
      won                  an opportunity is won (value: its amount);
      cash_received        a bank receipt is matched to an order (value: the receipt).
    Each carries the person and company it belongs to (identity graph) and the times of
    its journey's milestones (lead created, opportunity created, deal closed), which the
    milestone models (w_shaped, full_path) credit. Values are kept in their currency and
    converted to CNY at the rate of the conversion's business day. -#}
with

leads as (
    select * from {{ ref('stg_crm__leads') }}
    where not is_deleted
),

opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
    where not is_deleted
),

order_receipts as (
    select * from {{ ref('int_finance__order_receipts') }}
),

record_persons as (
    select * from {{ ref('int_identity__record_persons') }}
),

persons as (
    select * from {{ ref('dim_persons') }}
),

account_clusters as (
    select * from {{ ref('int_identity__crm_account_clusters') }}
),

fx_rates as (
    select * from {{ ref('int_finance__daily_fx_rates') }}
),

lead_people as (
    select
        leads.lead_id,
        leads.created_at,
        record_persons.person_id,
        persons.account_id
    from leads
    left join record_persons
        on 'crm:leads:' || leads.lead_id = record_persons.record_id
    left join persons
        on record_persons.person_id = persons.person_id
),

contact_people as (
    select
        record_id,
        person_id
    from record_persons
    where source_table = 'contacts'
),

opportunity_journeys as (
    -- the person is the lead's, else the contact's; the company is the CRM account's
    select
        opportunities.opportunity_id,
        opportunities.lead_id,
        coalesce(lead_people.person_id, contact_people.person_id) as person_id,
        coalesce(account_clusters.account_id, lead_people.account_id, persons.account_id)
            as account_id,
        opportunities.amount,
        opportunities.currency,
        opportunities.is_won,
        lead_people.created_at as lead_created_at,
        opportunities.created_at as opportunity_created_at,
        case when opportunities.is_won then opportunities.closed_at end as won_at
    from opportunities
    left join lead_people
        on opportunities.lead_id = lead_people.lead_id
    left join contact_people
        on 'crm:contacts:' || opportunities.contact_id = contact_people.record_id
    left join persons
        on contact_people.person_id = persons.person_id
    left join account_clusters
        on opportunities.account_id = account_clusters.crm_account_id
),

lead_conversions as (
    select
        'lead_created:' || lead_id as conversion_id,
        'lead_created' as conversion_type,
        person_id,
        account_id,
        lead_id,
        cast(null as {{ dbt.type_string() }}) as opportunity_id,
        cast(null as {{ dbt.type_string() }}) as order_id,
        cast(null as {{ dbt.type_string() }}) as receipt_id,
        created_at as converted_at,
        cast(null as decimal(18, 2)) as value,
        cast(null as {{ dbt.type_string() }}) as currency,
        created_at as lead_created_at,
        cast(null as {{ dbt.type_timestamp() }}) as opportunity_created_at,
        cast(null as {{ dbt.type_timestamp() }}) as won_at
    from lead_people
),

opportunity_conversions as (
    select
        'opportunity_created:' || opportunity_id as conversion_id,
        'opportunity_created' as conversion_type,
        person_id,
        account_id,
        lead_id,
        opportunity_id,
        cast(null as {{ dbt.type_string() }}) as order_id,
        cast(null as {{ dbt.type_string() }}) as receipt_id,
        opportunity_created_at as converted_at,
        amount as value,
        currency,
        lead_created_at,
        opportunity_created_at,
        cast(null as {{ dbt.type_timestamp() }}) as won_at
    from opportunity_journeys
),

won_conversions as (
    select
        'won:' || opportunity_id as conversion_id,
        'won' as conversion_type,
        person_id,
        account_id,
        lead_id,
        opportunity_id,
        cast(null as {{ dbt.type_string() }}) as order_id,
        cast(null as {{ dbt.type_string() }}) as receipt_id,
        won_at as converted_at,
        amount as value,
        currency,
        lead_created_at,
        opportunity_created_at,
        won_at
    from opportunity_journeys
    where is_won and won_at is not null
),

cash_conversions as (
    select
        'cash_received:' || order_receipts.receipt_id as conversion_id,
        'cash_received' as conversion_type,
        opportunity_journeys.person_id,
        coalesce(account_clusters.account_id, opportunity_journeys.account_id) as account_id,
        opportunity_journeys.lead_id,
        order_receipts.opportunity_id,
        order_receipts.order_id,
        order_receipts.receipt_id,
        order_receipts.received_at as converted_at,
        order_receipts.amount as value,
        order_receipts.currency,
        opportunity_journeys.lead_created_at,
        opportunity_journeys.opportunity_created_at,
        opportunity_journeys.won_at
    from order_receipts
    left join opportunity_journeys
        on order_receipts.opportunity_id = opportunity_journeys.opportunity_id
    left join account_clusters
        on order_receipts.account_id = account_clusters.crm_account_id
),

all_conversions as (
    select * from lead_conversions
    union all
    select * from opportunity_conversions
    union all
    select * from won_conversions
    union all
    select * from cash_conversions
),

dated_conversions as (
    select
        *,
        {{ to_business_date('converted_at') }} as converted_date
    from all_conversions
),

converted_values as (
    -- cash arrives with its CNY amount from finance; the rest converts here
    select
        dated_conversions.conversion_id,
        dated_conversions.conversion_type,
        dated_conversions.person_id,
        dated_conversions.account_id,
        dated_conversions.lead_id,
        dated_conversions.opportunity_id,
        dated_conversions.order_id,
        dated_conversions.receipt_id,
        dated_conversions.converted_at,
        dated_conversions.converted_date,
        dated_conversions.value,
        dated_conversions.currency,
        coalesce(
            order_receipts.amount_cny,
            cast(dated_conversions.value * fx_rates.rate_to_cny as decimal(18, 2))
        ) as value_cny,
        dated_conversions.lead_created_at,
        dated_conversions.opportunity_created_at,
        dated_conversions.won_at
    from dated_conversions
    left join order_receipts
        on dated_conversions.receipt_id = order_receipts.receipt_id
    left join fx_rates
        on
            dated_conversions.converted_date = fx_rates.rate_date
            and dated_conversions.currency = fx_rates.currency
)

select * from converted_values
