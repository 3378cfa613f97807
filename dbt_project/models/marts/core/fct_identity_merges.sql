{{
    config(
        materialized='incremental',
        unique_key='identity_merge_id',
        on_schema_change='append_new_columns',
    )
}}

{#- The merge log: one row per decision to join two source records into one person
    (or to refuse an identifier as shared), with the rule, the evidence time, and
    the run that first saw it. Rows are only ever added: a decision first seen in an
    earlier run keeps its `first_detected_at`. -#}
with

links as (
    select * from {{ ref('int_identity__links') }}
),

record_persons as (
    select * from {{ ref('int_identity__record_persons') }}
),

keyed_links as (
    select
        *,
        record_id || '|' || linked_record_id || '|' || rule as merge_key
    from links
),

decisions as (
    select
        {{ identifier_hash('keyed_links.merge_key') }} as identity_merge_id,
        keyed_links.record_id,
        keyed_links.linked_record_id,
        keyed_links.rule,
        keyed_links.decision,
        keyed_links.refusal_reason,
        keyed_links.identifier_fingerprint,
        keyed_links.records_sharing_identifier,
        record_persons.person_id,
        record_persons.own_person_id as retired_person_id,
        keyed_links.evidence_at,
        cast('{{ run_started_at.isoformat() }}' as {{ dbt.type_timestamp() }}) as first_detected_at,
        '{{ invocation_id }}' as first_detected_invocation_id
    from keyed_links
    left join record_persons
        on keyed_links.record_id = record_persons.record_id
)

select * from decisions
{% if is_incremental() %}
where identity_merge_id not in (select identity_merge_id from {{ this }})
{% endif %}
