{#- The facts a company's lifecycle state is read from, one row per event, in one
    stream per company (`dim_accounts`): engagement (attribution touches of its people,
    their leads, its deals, orders and service cases), deals opening and closing,
    deliveries starting and ending, service cases opening and closing. Each row says
    how it moves the company's counters (open deals, deliveries in progress, won deals,
    open service cases); `fct_journey_state_history` applies the state definitions.
    Attribution touches are kept only where they can move a state: a company's first,
    and every one from its first won deal on (see touch_events).

    A delivery starts when a deal enters the won stage and ends when every order of
    that deal is done: completed (crm_completed_at) and fully invoiced (non-cancelled
    invoices in the order's currency add up to its amount), or cancelled. It ends at
    the later of completion and the invoice that completed the amount (a cancelled
    order: its last update). A won deal without an order stays in delivery. An order
    without a won deal is a delivery of its own, from the order's creation. -#}
{%- set cancelled_statuses = var('journey_cancelled_statuses') -%}

with

touchpoints as (
    select * from {{ ref('int_touchpoints') }}
    where is_attribution_touch and account_id is not null
),

leads as (
    select * from {{ ref('stg_crm__leads') }}
    where not is_deleted
),

opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
    where not is_deleted
),

stage_changes as (
    select * from {{ ref('stg_crm__opportunity_stage_changes') }}
    where not is_deleted
),

orders as (
    select * from {{ ref('stg_crm__orders') }}
    where not is_deleted
),

invoices as (
    select * from {{ ref('stg_crm__invoices') }}
    where
        not is_deleted
        and invoice_status not in ('{{ cancelled_statuses | join("', '") }}')
),

service_cases as (
    select * from {{ ref('stg_crm__service_cases') }}
    where not is_deleted
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

lead_events as (
    select
        persons.account_id,
        leads.created_at as event_at,
        'lead_created' as event_kind,
        'crm:leads:' || leads.lead_id as event_record_id,
        cast(null as {{ dbt.type_string() }}) as case_priority,
        true as is_engagement,
        0 as open_deal_change,
        0 as won_deal_change,
        0 as open_delivery_change,
        0 as open_case_change
    from leads
    inner join record_persons
        on 'crm:leads:' || leads.lead_id = record_persons.record_id
    inner join persons
        on record_persons.person_id = persons.person_id
    where persons.account_id is not null and leads.created_at is not null
),

deals as (
    select
        opportunities.opportunity_id,
        account_clusters.account_id,
        opportunities.created_at as opened_at
    from opportunities
    inner join account_clusters
        on opportunities.account_id = account_clusters.crm_account_id
),

deal_closings as (
    -- the first time the deal entered the won or the lost stage (stage history)
    select
        opportunity_id,
        min(
            case when stage = '{{ var("journey_won_opportunity_stage") }}' then entered_at end
        ) as won_at,
        min(
            case when stage = '{{ var("journey_lost_opportunity_stage") }}' then entered_at end
        ) as lost_at
    from stage_changes
    group by opportunity_id
),

closed_deals as (
    select
        deals.opportunity_id,
        deals.account_id,
        case
            when deal_closings.lost_at is null or deal_closings.won_at <= deal_closings.lost_at
                then deal_closings.won_at
        end as won_at,
        case
            when deal_closings.won_at is null or deal_closings.lost_at < deal_closings.won_at
                then deal_closings.lost_at
        end as lost_at
    from deals
    inner join deal_closings
        on deals.opportunity_id = deal_closings.opportunity_id
),

deal_events as (
    select
        account_id,
        opened_at as event_at,
        'opportunity_opened' as event_kind,
        'crm:opportunities:' || opportunity_id as event_record_id,
        cast(null as {{ dbt.type_string() }}) as case_priority,
        true as is_engagement,
        1 as open_deal_change,
        0 as won_deal_change,
        0 as open_delivery_change,
        0 as open_case_change
    from deals
    where opened_at is not null
    union all
    select
        account_id,
        won_at as event_at,
        'opportunity_won' as event_kind,
        'crm:opportunities:' || opportunity_id as event_record_id,
        cast(null as {{ dbt.type_string() }}) as case_priority,
        true as is_engagement,
        -1 as open_deal_change,
        1 as won_deal_change,
        1 as open_delivery_change,
        0 as open_case_change
    from closed_deals
    where won_at is not null
    union all
    select
        account_id,
        lost_at as event_at,
        'opportunity_lost' as event_kind,
        'crm:opportunities:' || opportunity_id as event_record_id,
        cast(null as {{ dbt.type_string() }}) as case_priority,
        false as is_engagement,
        -1 as open_deal_change,
        0 as won_deal_change,
        0 as open_delivery_change,
        0 as open_case_change
    from closed_deals
    where lost_at is not null
),

invoice_running_totals as (
    select
        invoices.order_id,
        invoices.created_at,
        sum(invoices.amount) over (
            partition by invoices.order_id
            order by invoices.created_at asc, invoices.invoice_id asc
            rows between unbounded preceding and current row
        ) as invoiced_amount
    from invoices
    inner join orders
        on
            invoices.order_id = orders.order_id
            and invoices.currency = orders.currency
),

order_outcomes as (
    select
        orders.order_id,
        orders.opportunity_id,
        account_clusters.account_id,
        orders.created_at,
        orders.crm_order_status in ('{{ cancelled_statuses | join("', '") }}') as is_cancelled,
        orders.updated_at,
        orders.crm_completed_at,
        min(
            case
                when invoice_running_totals.invoiced_amount >= orders.amount
                    then invoice_running_totals.created_at
            end
        ) as fully_invoiced_at
    from orders
    inner join account_clusters
        on orders.account_id = account_clusters.crm_account_id
    left join invoice_running_totals
        on orders.order_id = invoice_running_totals.order_id
    group by
        orders.order_id,
        orders.opportunity_id,
        account_clusters.account_id,
        orders.created_at,
        orders.crm_order_status,
        orders.updated_at,
        orders.crm_completed_at
),

order_resolutions as (
    select
        *,
        case
            when is_cancelled then updated_at
            when crm_completed_at is not null and fully_invoiced_at is not null
                then
                    case
                        when crm_completed_at >= fully_invoiced_at then crm_completed_at
                        else fully_invoiced_at
                    end
        end as resolved_at
    from order_outcomes
),

won_deals as (
    select * from closed_deals
    where won_at is not null
),

order_deliveries as (
    -- orders of a won deal deliver that deal; any other order is a delivery of its own
    select
        order_resolutions.*,
        coalesce(
            'crm:opportunities:' || won_deals.opportunity_id,
            'crm:orders:' || order_resolutions.order_id
        ) as delivery_record_id
    from order_resolutions
    left join won_deals
        on order_resolutions.opportunity_id = won_deals.opportunity_id
),

ranked_order_deliveries as (
    select
        *,
        row_number() over (
            partition by delivery_record_id
            order by resolved_at desc, order_id desc
        ) as resolution_rank
    from order_deliveries
),

delivery_ends as (
    -- a delivery ends when its last order is done; null while any order is pending
    select
        delivery_record_id,
        min(account_id) as account_id,
        case when count(resolved_at) = count(*) then max(resolved_at) end as resolved_at,
        count(case when not is_cancelled then 1 end) = 0 as is_cancelled,
        max(
            case when resolution_rank = 1 then 'crm:orders:' || order_id end
        ) as last_order_record_id
    from ranked_order_deliveries
    group by delivery_record_id
),

order_events as (
    select
        account_id,
        created_at as event_at,
        'order_placed' as event_kind,
        'crm:orders:' || order_id as event_record_id,
        cast(null as {{ dbt.type_string() }}) as case_priority,
        true as is_engagement,
        0 as open_deal_change,
        0 as won_deal_change,
        0 as open_delivery_change,
        0 as open_case_change
    from order_deliveries
    where delivery_record_id <> 'crm:orders:' || order_id
    union all
    -- an order without a won deal opens its own delivery
    select
        account_id,
        created_at as event_at,
        'order_placed' as event_kind,
        'crm:orders:' || order_id as event_record_id,
        cast(null as {{ dbt.type_string() }}) as case_priority,
        true as is_engagement,
        0 as open_deal_change,
        1 as won_deal_change,
        1 as open_delivery_change,
        0 as open_case_change
    from order_deliveries
    where delivery_record_id = 'crm:orders:' || order_id
    union all
    select
        delivery_ends.account_id,
        case
            when won_deals.won_at > delivery_ends.resolved_at then won_deals.won_at
            else delivery_ends.resolved_at
        end as event_at,
        case
            when delivery_ends.is_cancelled then 'delivery_cancelled'
            else 'delivery_completed'
        end as event_kind,
        delivery_ends.last_order_record_id as event_record_id,
        cast(null as {{ dbt.type_string() }}) as case_priority,
        true as is_engagement,
        0 as open_deal_change,
        0 as won_deal_change,
        -1 as open_delivery_change,
        0 as open_case_change
    from delivery_ends
    left join won_deals
        on delivery_ends.delivery_record_id = 'crm:opportunities:' || won_deals.opportunity_id
    where delivery_ends.resolved_at is not null
),

case_events as (
    select
        account_clusters.account_id,
        service_cases.opened_at as event_at,
        'service_case_opened' as event_kind,
        'crm:service_cases:' || service_cases.service_case_id as event_record_id,
        service_cases.priority as case_priority,
        true as is_engagement,
        0 as open_deal_change,
        0 as won_deal_change,
        0 as open_delivery_change,
        1 as open_case_change
    from service_cases
    inner join account_clusters
        on service_cases.account_id = account_clusters.crm_account_id
    where service_cases.opened_at is not null
    union all
    select
        account_clusters.account_id,
        service_cases.resolved_at as event_at,
        'service_case_resolved' as event_kind,
        'crm:service_cases:' || service_cases.service_case_id as event_record_id,
        service_cases.priority as case_priority,
        false as is_engagement,
        0 as open_deal_change,
        0 as won_deal_change,
        0 as open_delivery_change,
        -1 as open_case_change
    from service_cases
    inner join account_clusters
        on service_cases.account_id = account_clusters.crm_account_id
    where service_cases.opened_at is not null and service_cases.resolved_at is not null
),

first_touches as (
    select
        account_id,
        min(touched_at) as first_touched_at
    from touchpoints
    group by account_id
),

customer_starts as (
    -- when the company became a customer: its first won deal or order without one
    select
        account_id,
        min(event_at) as customer_since
    from (
        select * from deal_events
        union all
        select * from order_events
    ) as customer_events
    where won_deal_change > 0
    group by account_id
),

touch_events as (
    -- before a company is a customer only its first touch can move its state: later
    -- ones neither open nor close anything, and its silence clock starts at the first
    -- won deal; so only the first touch and those from then on are kept
    select
        touchpoints.account_id,
        touchpoints.touched_at as event_at,
        'attribution_touch' as event_kind,
        touchpoints.touchpoint_id as event_record_id,
        cast(null as {{ dbt.type_string() }}) as case_priority,
        true as is_engagement,
        0 as open_deal_change,
        0 as won_deal_change,
        0 as open_delivery_change,
        0 as open_case_change
    from touchpoints
    inner join first_touches
        on touchpoints.account_id = first_touches.account_id
    left join customer_starts
        on touchpoints.account_id = customer_starts.account_id
    where
        touchpoints.touched_at = first_touches.first_touched_at
        or touchpoints.touched_at >= customer_starts.customer_since
),

account_events as (
    select * from touch_events
    union all
    select * from lead_events
    union all
    select * from deal_events
    union all
    select * from order_events
    union all
    select * from case_events
)

select * from account_events
