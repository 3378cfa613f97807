{#- Where each person stood in the funnel over time: one row per interval in which the
    person's furthest stage did not change, from their first lead to now.

    Every lead and opportunity of the person moves on its own, from timestamps only
    (never its current status): a lead is `lead` from created_at, `mql` from mql_at,
    `sql` from sql_at; an opportunity is `opportunity:<stage>` from the time it entered
    each open stage (stage history), `customer` once it entered the won stage and
    `lost` once it entered the lost stage. The person stands on the furthest of them,
    on this ladder, lowest first:

        prospect (no lead yet) < lead < mql < sql < lost
        < opportunity:<open stage, in pipeline order> < customer

    `lost` ranks above a lead (the person had a deal) but below any open deal: a
    person whose deal was lost is `lost` until another deal of theirs is open or won.
    Stages come from vars (`journey_open_opportunity_stages`, `journey_won_opportunity_stage`,
    `journey_lost_opportunity_stage`); stage history rows of other stages are ignored. -#}
{%- set open_stages = var('journey_open_opportunity_stages') -%}
{%- set ladder = ['prospect', 'lead', 'mql', 'sql', 'lost'] -%}
{%- for stage in open_stages -%}
    {%- do ladder.append('opportunity:' ~ stage) -%}
{%- endfor -%}
{%- do ladder.append('customer') -%}

with

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

record_persons as (
    select * from {{ ref('int_identity__record_persons') }}
),

funnel_ladder as (
    {% for stage in ladder %}
        select
            '{{ stage }}' as funnel_stage,
            {{ loop.index0 }} as funnel_stage_order
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

lead_persons as (
    select
        leads.*,
        'crm:leads:' || leads.lead_id as stage_record_id,
        record_persons.person_id
    from leads
    inner join record_persons
        on 'crm:leads:' || leads.lead_id = record_persons.record_id
),

lead_steps as (
    select
        person_id,
        stage_record_id,
        'lead' as funnel_stage,
        created_at as reached_at
    from lead_persons
    where created_at is not null
    union all
    select
        person_id,
        stage_record_id,
        'mql' as funnel_stage,
        mql_at as reached_at
    from lead_persons
    where mql_at is not null
    union all
    select
        person_id,
        stage_record_id,
        'sql' as funnel_stage,
        sql_at as reached_at
    from lead_persons
    where sql_at is not null
),

opportunity_persons as (
    -- the person of the lead the deal came from, else of its contact
    select
        opportunities.opportunity_id,
        coalesce(lead_records.person_id, contact_records.person_id) as person_id
    from opportunities
    left join record_persons as lead_records
        on 'crm:leads:' || opportunities.lead_id = lead_records.record_id
    left join record_persons as contact_records
        on 'crm:contacts:' || opportunities.contact_id = contact_records.record_id
),

opportunity_steps as (
    select
        opportunity_persons.person_id,
        'crm:opportunities:' || stage_changes.opportunity_id as stage_record_id,
        case stage_changes.stage
            when '{{ var("journey_won_opportunity_stage") }}' then 'customer'
            when '{{ var("journey_lost_opportunity_stage") }}' then 'lost'
            else 'opportunity:' || stage_changes.stage
        end as funnel_stage,
        stage_changes.entered_at as reached_at
    from stage_changes
    inner join opportunity_persons
        on stage_changes.opportunity_id = opportunity_persons.opportunity_id
    where
        opportunity_persons.person_id is not null
        and stage_changes.entered_at is not null
),

steps as (
    select
        all_steps.*,
        funnel_ladder.funnel_stage_order
    from (
        select * from lead_steps
        union all
        select * from opportunity_steps
    ) as all_steps
    inner join funnel_ladder
        on all_steps.funnel_stage = funnel_ladder.funnel_stage
),

record_intervals as (
    -- each lead or deal holds a stage until its next step; a deal that moves back holds
    -- the earlier stage again
    select
        *,
        coalesce(
            lead(reached_at) over (
                partition by stage_record_id order by reached_at asc, funnel_stage_order asc
            ),
            cast('9999-12-31' as {{ dbt.type_timestamp() }})
        ) as left_at
    from steps
),

change_points as (
    select distinct
        person_id,
        reached_at as changed_at
    from steps
),

standing_at_change as (
    -- the furthest stage any of the person's records holds at each change
    select
        change_points.person_id,
        change_points.changed_at,
        record_intervals.funnel_stage,
        record_intervals.funnel_stage_order,
        record_intervals.stage_record_id,
        row_number() over (
            partition by change_points.person_id, change_points.changed_at
            order by
                record_intervals.funnel_stage_order desc,
                record_intervals.reached_at asc,
                record_intervals.stage_record_id asc
        ) as standing_rank
    from change_points
    inner join record_intervals
        on change_points.person_id = record_intervals.person_id
    where
        record_intervals.reached_at <= change_points.changed_at
        and record_intervals.left_at > change_points.changed_at
),

standings as (
    select
        *,
        lag(funnel_stage) over (
            partition by person_id order by changed_at asc
        ) as previous_funnel_stage
    from standing_at_change
    where standing_rank = 1
),

stage_intervals as (
    select
        person_id,
        funnel_stage,
        funnel_stage_order,
        stage_record_id,
        previous_funnel_stage,
        changed_at as entered_at,
        lead(changed_at) over (
            partition by person_id order by changed_at asc
        ) as exited_at
    from standings
    where previous_funnel_stage is null or funnel_stage <> previous_funnel_stage
),

final as (
    select
        person_id || ':' || cast(row_number() over (
            partition by person_id order by entered_at asc
        ) as {{ dbt.type_string() }}) as person_funnel_stage_id,
        person_id,
        funnel_stage,
        funnel_stage_order,
        stage_record_id,
        previous_funnel_stage,
        entered_at,
        exited_at,
        exited_at is null as is_current
    from stage_intervals
)

select * from final
