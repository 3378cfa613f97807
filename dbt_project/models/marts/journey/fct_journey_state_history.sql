{#- The lifecycle of every company, as intervals: one row per stay in a state
    (intent, deciding, delivering, active, at_risk, churned), with when it began and
    ended and the event that moved the company into it. Per company the intervals do
    not overlap and leave no gap, from its first engagement to now; the last one is
    current.

    The states, their order, thresholds and definitions are in the seed
    `journey_states` (the one place they are set); the events come from
    `int_journey__account_events`. At any moment the state is the first that holds:

        delivering  a won deal is being delivered
        churned     a customer (won deal) without engagement for churned.inactivity_days
        at_risk     a customer without engagement for at_risk.inactivity_days, or with an
                    open service case of a priority in at_risk.case_priorities
        active      any other customer
        deciding    a deal is open
        intent      anything else after the first engagement

    Inactivity is a clock, not an event: the model adds a point when a customer's
    silence reaches each threshold, up to the time states are judged at (var
    `as_of`; null: the latest event the warehouse holds). -#}
{%- if var('as_of') is none -%}
    {%- set as_of = 'event_at' -%}
{%- else -%}
    {#- ANSI timestamptz: the var carries its offset, whatever the session's time zone -#}
    {%- set as_of = "cast('" ~ var('as_of') ~ "' as timestamp with time zone)" -%}
{%- endif %}
with

account_events as (
    select * from {{ ref('int_journey__account_events') }}
),

journey_states as (
    select * from {{ ref('journey_states') }}
),

thresholds as (
    select
        max(case when state = 'at_risk' then inactivity_days end) as at_risk_days,
        max(case when state = 'churned' then inactivity_days end) as churned_days,
        '|' || max(case when state = 'at_risk' then case_priorities end) || '|'
            as at_risk_case_priorities
    from journey_states
),

judged_at as (
    -- one row: the latest event, or the var
    select max({{ as_of }}) as as_of_at
    from account_events
),

first_customer_events as (
    select
        account_id,
        min(event_at) as became_customer_at
    from account_events
    where won_deal_change > 0
    group by account_id
),

engagements as (
    select
        account_events.account_id,
        account_events.event_at,
        account_events.event_record_id,
        lead(account_events.event_at) over (
            partition by account_events.account_id
            order by account_events.event_at asc, account_events.event_record_id asc
        ) as next_engaged_at
    from account_events
    inner join first_customer_events
        on account_events.account_id = first_customer_events.account_id
    where account_events.is_engagement
),

silences as (
    -- a customer's silence after each engagement, until the next one or until now
    select
        engagements.*,
        case
            when engagements.next_engaged_at < judged_at.as_of_at
                then engagements.next_engaged_at
            else judged_at.as_of_at
        end as silence_ended_at,
        thresholds.at_risk_days,
        thresholds.churned_days
    from engagements
    cross join judged_at
    cross join thresholds
),

inactivity_events as (
    -- a point when a customer's silence reaches each threshold before it ends
    {%- for state in ['at_risk', 'churned'] %}
        {%- set threshold_days = 'silences.' ~ state ~ '_days' %}
        {%- set reached_at = dbt.dateadd('day', threshold_days, 'silences.event_at') %}
        select
            silences.account_id,
            {{ reached_at }} as event_at,
            'inactivity_{{ state }}' as event_kind,
            silences.event_record_id,
            cast(null as {{ dbt.type_string() }}) as case_priority,
            false as is_engagement,
            0 as open_deal_change,
            0 as won_deal_change,
            0 as open_delivery_change,
            0 as open_case_change,
            silences.event_at as last_engaged_at
        from silences
        inner join first_customer_events
            on silences.account_id = first_customer_events.account_id
        where
            {{ reached_at }} < silences.silence_ended_at
            and {{ reached_at }} > first_customer_events.became_customer_at
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

all_events as (
    select
        account_events.*,
        account_events.event_at as last_engaged_at
    from account_events
    cross join judged_at
    where account_events.event_at <= judged_at.as_of_at
    union all
    select * from inactivity_events
),

counted_events as (
    select
        all_events.*,
        case
            when {{ dbt.position(
                "'|' || all_events.case_priority || '|'", 'thresholds.at_risk_case_priorities'
            ) }} > 0
                then all_events.open_case_change
            else 0
        end as risky_case_change
    from all_events
    cross join thresholds
),

running_counts as (
    -- every event sees the counters after all events of its instant
    select
        *,
        sum(open_deal_change) over (
            partition by account_id order by event_at asc
            range between unbounded preceding and current row
        ) as open_deals,
        sum(won_deal_change) over (
            partition by account_id order by event_at asc
            range between unbounded preceding and current row
        ) as won_deals,
        sum(open_delivery_change) over (
            partition by account_id order by event_at asc
            range between unbounded preceding and current row
        ) as open_deliveries,
        sum(risky_case_change) over (
            partition by account_id order by event_at asc
            range between unbounded preceding and current row
        ) as open_risky_cases,
        max(case when is_engagement then event_at end) over (
            partition by account_id order by event_at asc
            range between unbounded preceding and current row
        ) as engaged_until
    from counted_events
),

judged_events as (
    select
        running_counts.*,
        case
            when running_counts.open_deliveries > 0 then 'delivering'
            when
                running_counts.won_deals > 0
                and running_counts.event_at >= {{ dbt.dateadd(
                    'day', 'thresholds.churned_days', 'running_counts.engaged_until'
                ) }}
                then 'churned'
            when
                running_counts.won_deals > 0
                and (
                    running_counts.event_at >= {{ dbt.dateadd(
                        'day', 'thresholds.at_risk_days', 'running_counts.engaged_until'
                    ) }}
                    or running_counts.open_risky_cases > 0
                )
                then 'at_risk'
            when running_counts.won_deals > 0 then 'active'
            when running_counts.open_deals > 0 then 'deciding'
            when running_counts.engaged_until is not null then 'intent'
        end as state
    from running_counts
    cross join thresholds
),

evidence_ranked as (
    -- of the events of one instant, the one that best explains the state it leads to
    select
        *,
        row_number() over (
            partition by account_id, event_at
            order by
                case
                    when state = 'delivering' and event_kind = 'opportunity_won' then 0
                    when state = 'delivering' and event_kind = 'order_placed' then 0
                    when state = 'deciding' and event_kind = 'opportunity_opened' then 0
                    when state = 'intent' and event_kind = 'opportunity_lost' then 0
                    when state = 'churned' and event_kind = 'inactivity_churned' then 0
                    when state = 'at_risk' and event_kind = 'inactivity_at_risk' then 0
                    when state = 'at_risk' and event_kind = 'service_case_opened' then 0
                    when state = 'active' and event_kind like 'delivery_%' then 0
                    when state = 'active' and event_kind = 'service_case_resolved' then 0
                    when is_engagement then 1
                    else 2
                end asc,
                event_kind asc,
                event_record_id asc
        ) as evidence_rank
    from judged_events
    where state is not null
),

state_changes as (
    select
        *,
        lag(state) over (partition by account_id order by event_at asc) as previous_state
    from evidence_ranked
    where evidence_rank = 1
),

state_intervals as (
    select
        account_id,
        state,
        previous_state,
        event_at as entered_at,
        lead(event_at) over (partition by account_id order by event_at asc) as exited_at,
        event_kind as entry_event,
        event_record_id as evidence_record_id,
        last_engaged_at as evidence_at
    from state_changes
    where previous_state is null or state <> previous_state
),

final as (
    select
        state_intervals.account_id || ':' || cast(row_number() over (
            partition by state_intervals.account_id order by state_intervals.entered_at asc
        ) as {{ dbt.type_string() }}) as journey_state_id,
        state_intervals.account_id,
        row_number() over (
            partition by state_intervals.account_id order by state_intervals.entered_at asc
        ) as state_sequence,
        state_intervals.state,
        journey_states.state_order,
        journey_states.is_customer_state,
        state_intervals.previous_state,
        state_intervals.entered_at,
        state_intervals.exited_at,
        state_intervals.exited_at is null as is_current,
        state_intervals.entry_event,
        state_intervals.evidence_record_id,
        state_intervals.evidence_at,
        journey_states.definition as state_definition
    from state_intervals
    left join journey_states
        on state_intervals.state = journey_states.state
)

select * from final
