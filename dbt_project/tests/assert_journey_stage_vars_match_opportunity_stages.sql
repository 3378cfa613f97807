{#- The journey places touches on the CRM's stage ladder from vars; the funnel reads the
    same stages, with their SLAs, from the seed. A stage renamed in one place and not the
    other fails the build here, with the stages that disagree. -#}
with

seeded_stages as (
    select
        stage,
        case
            when is_won then 'won'
            when is_closed then 'lost'
            else 'open:' || cast(stage_order as {{ dbt.type_string() }})
        end as stage_role
    from {{ ref('opportunity_stages') }}
),

open_stage_positions as (
    select
        stage,
        row_number() over (order by stage_order) as open_position
    from {{ ref('opportunity_stages') }}
    where not is_closed
),

seeded_roles as (
    select
        seeded_stages.stage,
        case
            when open_stage_positions.stage is not null
                then 'open:' || cast(open_stage_positions.open_position as {{ dbt.type_string() }})
            else seeded_stages.stage_role
        end as stage_role
    from seeded_stages
    left join open_stage_positions
        on seeded_stages.stage = open_stage_positions.stage
),

configured_roles as (
    {%- for stage in var('journey_open_opportunity_stages') %}
        select
            '{{ stage }}' as stage,
            'open:{{ loop.index }}' as stage_role
        union all
    {%- endfor %}
    select
        '{{ var("journey_won_opportunity_stage") }}' as stage,
        'won' as stage_role
    union all
    select
        '{{ var("journey_lost_opportunity_stage") }}' as stage,
        'lost' as stage_role
),

disagreements as (
    (
        select
            stage,
            stage_role
        from seeded_roles
        {{ dbt.except() }}
        select
            stage,
            stage_role
        from configured_roles
    )
    union all
    (
        select
            stage,
            stage_role
        from configured_roles
        {{ dbt.except() }}
        select
            stage,
            stage_role
        from seeded_roles
    )
)

select * from disagreements
