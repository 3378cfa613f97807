{#- The deterministic rules: two records are the same person when they share an
    identifier of one type. Each identifier links its records to one anchor record
    (a star, not every pair), so a value shared by n records costs n links.

    A personal identifier (mobile, e-mail, unionid) shared by more records than
    `identity_max_records_per_identifier` is a switchboard, a shared mailbox or a
    test value: it links nobody and is logged as refused. References written by a
    system (a lead's clue id, a contact id) are always trusted.

    Then the name rules, one link per matched pair, each with its rule's name:
    int_identity__wechat_remark_matches (WeChat customers) and
    int_identity__name_company_matches (everyone else). -#}
with

identifiers as (
    select * from {{ ref('int_identity__identifiers') }}
),

records as (
    select * from {{ ref('int_identity__source_records') }}
),

wechat_remark_matches as (
    select * from {{ ref('int_identity__wechat_remark_matches') }}
),

name_company_matches as (
    select * from {{ ref('int_identity__name_company_matches') }}
),

identifier_usage as (
    select
        identifier_type,
        identifier_value,
        count(distinct record_id) as record_count,
        min(record_id) as anchor_record_id
    from identifiers
    group by identifier_type, identifier_value
),

decided as (
    select
        identifier_usage.*,
        case
            when
                identifier_usage.identifier_type in ('mobile', 'email', 'wechat_unionid')
                and identifier_usage.record_count > {{ var('identity_max_records_per_identifier') }}
                then 'refused'
            else 'linked'
        end as decision
    from identifier_usage
    where identifier_usage.record_count > 1
),

links as (
    select
        identifiers.record_id,
        decided.anchor_record_id as linked_record_id,
        decided.identifier_type as rule,
        {{ identifier_hash('decided.identifier_type || \':\' || decided.identifier_value') }}
            as identifier_fingerprint,
        decided.record_count as records_sharing_identifier,
        decided.decision,
        case
            when decided.decision = 'refused'
                then
                    'identifier shared by ' || cast(decided.record_count as {{ dbt.type_string() }})
                    || ' records: treated as shared, not personal'
        end as refusal_reason,
        greatest(record_side.observed_at, anchor_side.observed_at) as evidence_at
    from identifiers
    inner join decided
        on
            identifiers.identifier_type = decided.identifier_type
            and identifiers.identifier_value = decided.identifier_value
    left join records as record_side
        on identifiers.record_id = record_side.record_id
    left join records as anchor_side
        on decided.anchor_record_id = anchor_side.record_id
    where identifiers.record_id <> decided.anchor_record_id
),

name_matches as (
    select * from wechat_remark_matches
    union all
    select * from name_company_matches
),

name_links as (
    select
        name_matches.record_id,
        name_matches.linked_record_id,
        name_matches.rule,
        cast(null as {{ dbt.type_string() }}) as identifier_fingerprint,
        cast(1 as {{ dbt.type_bigint() }}) as records_sharing_identifier,
        'linked' as decision,
        cast(null as {{ dbt.type_string() }}) as refusal_reason,
        greatest(record_side.observed_at, linked_side.observed_at) as evidence_at
    from name_matches
    left join records as record_side
        on name_matches.record_id = record_side.record_id
    left join records as linked_side
        on name_matches.linked_record_id = linked_side.record_id
),

all_links as (
    select * from links
    union all
    select * from name_links
)

select * from all_links
