{#- Cash received per order: each bank receipt matched to an order, with the part of
    it that pays the order, in its own currency and in CNY. Today the matches are
    rule 1's (the order or invoice number quoted); the later rules of the
    reconciliation cascade add theirs here. This is what "cash received" means to
    attribution and the funnel: the bank said so, not the CRM. -#}
with

matches as (
    select * from {{ ref('int_finance__reference_matches') }}
),

receipts as (
    select * from {{ ref('int_finance__bank_receipts') }}
),

orders as (
    select * from {{ ref('stg_crm__orders') }}
),

final as (
    select
        matches.bank_transaction_id || ':' || matches.order_id as receipt_id,
        matches.bank_transaction_id,
        matches.order_id,
        orders.opportunity_id,
        orders.account_id,
        receipts.received_at,
        receipts.booking_date as received_date,
        receipts.amount,
        receipts.currency,
        receipts.amount_cny,
        matches.match_rule,
        matches.match_confidence
    from matches
    inner join receipts
        on matches.bank_transaction_id = receipts.bank_transaction_id
    inner join orders
        on matches.order_id = orders.order_id
)

select * from final
