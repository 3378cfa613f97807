{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='journey_touch_id',
        on_schema_change='fail',
        post_hook=["delete from {{ this }} where person_id is null"],
    )
}}

{#- Every touch that reached a known person, in the order of the person's journey and
    of their company's: sequence numbers, time since the previous touch, first and last
    touch, and the funnel stage the person stood on at that moment
    (`int_journey__person_funnel_stages`, read from timestamps, never from current
    statuses).

    Incremental. A touch's sequence number, gap and first/last flags depend on every
    other touch of its person and company, and an old touch can change after the fact:
    the identity graph merges people (old touches get another person_id), a source row
    is deleted, a cost arrives a day late, a lead or deal records a stage. A lookback
    on touch time would miss most of these, so a run compares instead:
    1. touches that are new, gone, or differ from the stored row (person, company,
       time or attributes), and people whose funnel timeline changed (its hash);
    2. their people and companies (before and after the change) are affected; every
       current touch of an affected person or company is recomputed over its whole
       journey and replaces the stored row (delete+insert on journey_touch_id);
    3. a touch that no longer reaches a person comes as a tombstone (its key, no
       person): delete+insert removes its row, the post-hook removes the tombstone.
    A second run with no change recomputes nothing. Each large input is read by one
    CTE only, so DuckDB streams it instead of materialising it. -#}
with

touchpoints as (
    select * from {{ ref('int_touchpoints') }}
    where person_id is not null
),

touch_attributes as (
    select * from {{ ref('int_touchpoints') }}
    where person_id is not null
),

funnel_stages as (
    select * from {{ ref('int_journey__person_funnel_stages') }}
),

funnel_timelines as (
    -- a fingerprint of each person's funnel timeline, stored on their last touch
    select
        person_id,
        {{ dbt.hash(dbt.listagg(
            "funnel_stage || '@' || cast(entered_at as " ~ dbt.type_string() ~ ")",
            "';'",
            "order by entered_at",
        )) }} as funnel_timeline_hash
    from funnel_stages
    group by person_id
),

{% if is_incremental() %}

    compared_touchpoints as (
        select * from {{ ref('int_touchpoints') }}
        where person_id is not null
    ),

    stored_touches as (
        select * from {{ this }}
    ),

    stored_timelines as (
        -- one row per person: the timeline hash is kept on their last touch
        select
            person_id,
            account_id,
            funnel_timeline_hash
        from {{ this }}
        where is_last_person_touch
    ),

    changed_touches as (
        select
            compared_touchpoints.person_id,
            compared_touchpoints.account_id,
            stored_touches.touchpoint_id as stored_touchpoint_id,
            stored_touches.person_id as stored_person_id,
            stored_touches.account_id as stored_account_id,
            compared_touchpoints.touchpoint_id is null as is_gone
        from compared_touchpoints
        full outer join stored_touches
            on compared_touchpoints.touchpoint_id = stored_touches.touchpoint_id
        where
            compared_touchpoints.touchpoint_id is null
            or stored_touches.touchpoint_id is null
            or compared_touchpoints.person_id <> stored_touches.person_id
            or compared_touchpoints.touched_at <> stored_touches.touched_at
            or compared_touchpoints.channel <> stored_touches.channel
            or compared_touchpoints.touch_type <> stored_touches.touch_type
            or compared_touchpoints.is_attribution_touch <> stored_touches.is_attribution_touch
            or compared_touchpoints.account_id is distinct from stored_touches.account_id
            or compared_touchpoints.lead_id is distinct from stored_touches.lead_id
            or compared_touchpoints.campaign_id is distinct from stored_touches.campaign_id
            or compared_touchpoints.keyword is distinct from stored_touches.keyword
            or compared_touchpoints.cost_amount is distinct from stored_touches.cost_amount
            or compared_touchpoints.cost_currency is distinct from stored_touches.cost_currency
            or compared_touchpoints.source_record_id
            is distinct from stored_touches.source_record_id
            or compared_touchpoints._source_system is distinct from stored_touches._source_system
    ),

    changed_timelines as (
        -- a person keeps one company while their touches do not change
        select
            stored_timelines.person_id,
            stored_timelines.account_id
        from stored_timelines
        left join funnel_timelines
            on stored_timelines.person_id = funnel_timelines.person_id
        where
            stored_timelines.funnel_timeline_hash
            is distinct from funnel_timelines.funnel_timeline_hash
    ),

    affected_persons as (
        select person_id from changed_touches
        union
        select stored_person_id as person_id from changed_touches
        union
        select person_id from changed_timelines
    ),

    affected_accounts as (
        select account_id from changed_touches
        union
        select stored_account_id as account_id from changed_touches
        union
        select account_id from changed_timelines
    ),

    batch_touches as (
        -- whole journeys: every touch of an affected person or company
        select * from touchpoints
        where
            person_id in (
                select affected_persons.person_id from affected_persons
                where affected_persons.person_id is not null
            )
            or account_id in (
                select affected_accounts.account_id from affected_accounts
                where affected_accounts.account_id is not null
            )
    ),

    tombstones as (
        select distinct
            stored_touchpoint_id as touchpoint_id,
            cast(null as {{ dbt.type_string() }}) as person_id,
            cast(null as {{ dbt.type_string() }}) as account_id,
            cast(null as {{ dbt.type_timestamp() }}) as touched_at
        from changed_touches
        where is_gone
    ),

{% else %}

    batch_touches as (
        select * from touchpoints
    ),

{% endif %}

touch_keys as (
    -- the windows sort only the keys, and the touch joins back once
    select
        touchpoint_id,
        person_id,
        account_id,
        touched_at
    from batch_touches
    {% if is_incremental() %}
        union all
        select * from tombstones
    {% endif %}
),

staged_touches as (
    select
        touch_keys.*,
        funnel_stages.funnel_stage,
        funnel_stages.funnel_stage_order,
        funnel_stages.stage_record_id
    from touch_keys
    left join funnel_stages
        on
            touch_keys.person_id = funnel_stages.person_id
            and touch_keys.touched_at >= funnel_stages.entered_at
            and touch_keys.touched_at < coalesce(
                funnel_stages.exited_at, cast('9999-12-31' as {{ dbt.type_timestamp() }})
            )
),

person_sequences as (
    select
        *,
        row_number() over (
            partition by person_id order by touched_at asc, touchpoint_id asc
        ) as person_touch_sequence,
        count(*) over (partition by person_id) as person_touch_count,
        lag(touched_at) over (
            partition by person_id order by touched_at asc, touchpoint_id asc
        ) as previous_person_touch_at
    from staged_touches
),

sequenced_touches as (
    select
        *,
        row_number() over (
            partition by account_id order by touched_at asc, touchpoint_id asc
        ) as account_touch_rank,
        count(*) over (partition by account_id) as account_touch_total,
        lag(touched_at) over (
            partition by account_id order by touched_at asc, touchpoint_id asc
        ) as previous_account_touch_at
    from person_sequences
),

journeys as (
    select
        'JT-' || {{ dbt.hash('sequenced_touches.touchpoint_id') }} as journey_touch_id,
        sequenced_touches.person_id,
        sequenced_touches.account_id,
        sequenced_touches.touchpoint_id,
        touch_attributes.lead_id,
        touch_attributes.channel,
        touch_attributes.touch_type,
        touch_attributes.campaign_id,
        touch_attributes.keyword,
        touch_attributes.cost_amount,
        touch_attributes.cost_currency,
        touch_attributes.is_attribution_touch,
        sequenced_touches.touched_at,
        {{ to_business_date('sequenced_touches.touched_at') }} as touched_date,
        touch_attributes.source_record_id,
        sequenced_touches.person_touch_sequence,
        sequenced_touches.person_touch_count,
        {{ dbt.datediff(
            'sequenced_touches.previous_person_touch_at', 'sequenced_touches.touched_at', 'second'
        ) }} as seconds_since_previous_person_touch,
        sequenced_touches.person_touch_sequence = 1 as is_first_person_touch,
        sequenced_touches.person_touch_sequence = sequenced_touches.person_touch_count
            as is_last_person_touch,
        case
            when sequenced_touches.account_id is not null
                then sequenced_touches.account_touch_rank
        end as account_touch_sequence,
        case
            when sequenced_touches.account_id is not null
                then sequenced_touches.account_touch_total
        end as account_touch_count,
        case
            when sequenced_touches.account_id is not null
                then {{ dbt.datediff(
                    'sequenced_touches.previous_account_touch_at',
                    'sequenced_touches.touched_at',
                    'second',
                ) }}
        end as seconds_since_previous_account_touch,
        case
            when sequenced_touches.account_id is not null
                then sequenced_touches.account_touch_rank = 1
        end as is_first_account_touch,
        case
            when sequenced_touches.account_id is not null
                then sequenced_touches.account_touch_rank = sequenced_touches.account_touch_total
        end as is_last_account_touch,
        coalesce(sequenced_touches.funnel_stage, 'prospect') as funnel_stage_at_touch,
        coalesce(sequenced_touches.funnel_stage_order, 0) as funnel_stage_order,
        sequenced_touches.stage_record_id as funnel_stage_record_id,
        case
            when sequenced_touches.person_touch_sequence = sequenced_touches.person_touch_count
                then funnel_timelines.funnel_timeline_hash
        end as funnel_timeline_hash,
        touch_attributes._source_system
    from sequenced_touches
    left join touch_attributes
        on sequenced_touches.touchpoint_id = touch_attributes.touchpoint_id
    left join funnel_timelines
        on sequenced_touches.person_id = funnel_timelines.person_id
)

select * from journeys
