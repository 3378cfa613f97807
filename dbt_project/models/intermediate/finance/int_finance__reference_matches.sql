{#- Matching rule 1: the customer quoted the order or invoice number. The number is
    looked for in the remittance text first, then in the end-to-end and customer
    references, and compared in normalised form. A receipt quoting documents of two
    different orders is left to the later rules (a combined payment). -#}
with

receipts as (
    select * from {{ ref('int_finance__bank_receipts') }}
),

orders as (
    select * from {{ ref('stg_crm__orders') }}
    where not coalesce(is_deleted, false)
),

invoices as (
    select * from {{ ref('stg_crm__invoices') }}
    where not coalesce(is_deleted, false)
),

order_keys as (
    select
        order_id,
        {{ reference_key("order_no") }} as document_key
    from orders
),

invoice_keys as (
    select
        order_id,
        {{ reference_key("invoice_no") }} as document_key
    from invoices
),

document_keys as (
    select * from order_keys
    union all
    select * from invoice_keys
),

{%- set quoted_places = [
    ("remittance_reference_key", "remittance"),
    ("end_to_end_reference_key", "reference"),
    ("customer_reference_key", "reference"),
] %}
{%- set document_patterns = [
    var("finance_order_number_pattern"),
    var("finance_invoice_number_pattern"),
] %}

quotes as (
    {%- for key_column, place in quoted_places %}
        {%- for pattern in document_patterns %}
            select
                bank_transaction_id,
                {{ regex_extract(key_column, pattern) }} as document_key,
                '{{ place }}' as quoted_in
            from receipts
            {%- if not loop.last %}
                union all
            {%- endif %}
        {%- endfor %}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

quoted_orders as (
    select
        quotes.bank_transaction_id,
        document_keys.order_id,
        min(quotes.quoted_in) as quoted_in
    from quotes
    inner join document_keys
        on quotes.document_key = document_keys.document_key
    group by quotes.bank_transaction_id, document_keys.order_id
),

unambiguous as (
    select
        bank_transaction_id,
        order_id,
        quoted_in,
        count(*) over (partition by bank_transaction_id) as orders_quoted
    from quoted_orders
),

final as (
    select
        bank_transaction_id,
        order_id,
        'reference_in_remittance' as match_rule,
        case when quoted_in = 'remittance' then 0.99 else 0.98 end as match_confidence
    from unambiguous
    where orders_quoted = 1
)

select * from final
