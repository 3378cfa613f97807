{#- Which person every source record belongs to. A person's id is derived from the
    earliest record of its component (then the smallest record id), so it stays the
    same while records join the person later; when two people merge, the older id
    survives and the merge log says which id retired. -#}
with

records as (
    select * from {{ ref('int_identity__source_records') }}
),

components as (
    select * from {{ ref('int_identity__components') }}
),

ranked as (
    select
        records.*,
        components.component_id,
        components.component_size,
        row_number() over (
            partition by components.component_id
            order by records.observed_at nulls last, records.record_id
        ) as age_rank
    from records
    inner join components
        on records.record_id = components.record_id
),

anchors as (
    select
        component_id,
        record_id as anchor_record_id
    from ranked
    where age_rank = 1
),

record_persons as (
    select
        ranked.record_id,
        ranked.source_system,
        ranked.source_table,
        ranked.source_id,
        'PER-' || left({{ identifier_hash('anchors.anchor_record_id') }}, 16) as person_id,
        anchors.anchor_record_id,
        'PER-' || left({{ identifier_hash('ranked.record_id') }}, 16) as own_person_id,
        ranked.component_size as person_record_count,
        ranked.person_name,
        ranked.company_name,
        ranked.title,
        ranked.owner_user_id,
        ranked.observed_at
    from ranked
    inner join anchors
        on ranked.component_id = anchors.component_id
)

select * from record_persons
