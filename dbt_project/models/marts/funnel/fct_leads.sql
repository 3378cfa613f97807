{#- One row per CRM lead known at as-of, deleted leads excluded (a deleted lead was a
    duplicate or test record the CRM withdrew: it never was demand). The lead's person and
    company from the identity graph, its owner, source, first response and SLA, its score
    once the ML model has scored it, and how far it went: MQL, SQL, opportunity, won,
    each with its date, and a 30-day (funnel_conversion_window_days) conversion flag.

    A lead is wasted (`is_wasted`) when demand we paid for died in our hands, not for
    lack of fit:
      never_responded             no rep ever responded and the first-response SLA ran
                                  out (disqualified leads no one contacted included);
      late_response_disqualified  the first response broke the SLA and the lead was then
                                  disqualified.
    Leads still within their SLA, answered in time, or still open after a late answer
    are not wasted. -#}
{%- set lead_scores = load_relation(api.Relation.create(
    database=target.database, schema="ml", identifier="lead_scores"
)) %}
with

leads as (
    select * from {{ ref('stg_crm__leads') }}
    where not is_deleted
),

first_responses as (
    select * from {{ ref('int_lead_first_responses') }}
),

opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
    where not is_deleted
),

users as (
    select * from {{ ref('stg_crm__users') }}
),

record_persons as (
    select * from {{ ref('int_identity__record_persons') }}
),

persons as (
    select * from {{ ref('dim_persons') }}
),

as_of as (
    select * from {{ ref('int_funnel__as_of') }}
),

lead_scores as (
    {% if lead_scores is not none %}
        select
            lead_id,
            score,
            grade,
            model_version,
            scored_at,
            row_number() over (partition by lead_id order by scored_at desc) as score_rank
        from {{ lead_scores }}
    {% else %}
        -- ml.lead_scores does not exist until the scoring model has run once
        select
            cast(null as {{ dbt.type_string() }}) as lead_id,
            cast(null as {{ dbt.type_float() }}) as score,
            cast(null as {{ dbt.type_string() }}) as grade,
            cast(null as {{ dbt.type_string() }}) as model_version,
            cast(null as timestamp with time zone) as scored_at,
            1 as score_rank
        where 1 = 0
    {% endif %}
),

latest_scores as (
    select * from lead_scores
    where score_rank = 1
),

known_opportunities as (
    select
        opportunities.*,
        case when opportunities.closed_at <= as_of.as_of_at then opportunities.is_won end
            as is_won_at_as_of
    from opportunities
    cross join as_of
    where opportunities.created_at <= as_of.as_of_at
),

enriched as (
    select
        leads.lead_id,
        record_persons.person_id,
        persons.account_id,
        leads.owner_user_id,
        users.user_name as owner_name,
        users.region as owner_region,
        users.team as owner_team,
        leads.source_channel,
        leads.campaign_id,
        leads.keyword,
        leads.lead_status,
        leads.created_at,
        first_responses.created_date,
        first_responses.first_response_at,
        first_responses.first_response_date,
        first_responses.crm_first_response_at,
        first_responses.first_activity_at,
        first_responses.has_response_disagreement,
        first_responses.minutes_to_first_response,
        first_responses.business_minutes_to_first_response,
        first_responses.first_response_sla_business_minutes,
        first_responses.sla_status,
        latest_scores.score as lead_score,
        latest_scores.grade as lead_grade,
        latest_scores.model_version as lead_score_model_version,
        latest_scores.scored_at as lead_scored_at,
        case when leads.mql_at <= as_of.as_of_at then leads.mql_at end as mql_at,
        case when leads.sql_at <= as_of.as_of_at then leads.sql_at end as sql_at,
        known_opportunities.opportunity_id,
        known_opportunities.created_at as opportunity_created_at,
        case when known_opportunities.is_won_at_as_of then known_opportunities.closed_at end
            as won_at,
        case when known_opportunities.is_won_at_as_of then known_opportunities.amount end
            as won_amount,
        case when known_opportunities.is_won_at_as_of then known_opportunities.currency end
            as won_currency,
        leads.disqualified_reason,
        as_of.as_of_at
    from leads
    cross join as_of
    inner join first_responses
        on leads.lead_id = first_responses.lead_id
    left join users
        on leads.owner_user_id = users.user_id
    left join record_persons
        on 'crm:leads:' || leads.lead_id = record_persons.record_id
    left join persons
        on record_persons.person_id = persons.person_id
    left join latest_scores
        on leads.lead_id = latest_scores.lead_id
    left join known_opportunities
        on leads.converted_opportunity_id = known_opportunities.opportunity_id
),

flagged as (
    select
        *,
        first_response_at is not null as has_responded,
        sla_status = 'met' as is_sla_met,
        sla_status in ('breached', 'breached_unanswered') as is_sla_breached,
        mql_at is not null as is_mql,
        sql_at is not null as is_sql,
        opportunity_id is not null as has_opportunity,
        won_at is not null as is_won,
        lead_status = 'disqualified' as is_disqualified,
        coalesce(
            opportunity_created_at
            <= {{ dbt.dateadd('day', var('funnel_conversion_window_days'), 'created_at') }},
            false
        ) as has_opportunity_within_window,
        {{ dbt.dateadd('day', var('funnel_conversion_window_days'), 'created_at') }}
        <= as_of_at as is_conversion_window_complete
    from enriched
),

wasted as (
    select
        *,
        case
            when sla_status = 'breached_unanswered' then 'never_responded'
            when sla_status = 'breached' and is_disqualified then 'late_response_disqualified'
        end as wasted_reason
    from flagged
),

final as (
    select
        lead_id,
        person_id,
        account_id,
        owner_user_id,
        owner_name,
        owner_region,
        owner_team,
        source_channel,
        campaign_id,
        keyword,
        lead_status,
        created_at,
        created_date,
        has_responded,
        first_response_at,
        first_response_date,
        crm_first_response_at,
        first_activity_at,
        has_response_disagreement,
        minutes_to_first_response,
        business_minutes_to_first_response,
        first_response_sla_business_minutes,
        sla_status,
        is_sla_met,
        is_sla_breached,
        lead_score,
        lead_grade,
        lead_score_model_version,
        lead_scored_at,
        is_mql,
        mql_at,
        {{ to_business_date('mql_at') }} as mql_date,
        is_sql,
        sql_at,
        {{ to_business_date('sql_at') }} as sql_date,
        has_opportunity,
        opportunity_id,
        opportunity_created_at,
        {{ to_business_date('opportunity_created_at') }} as opportunity_date,
        has_opportunity_within_window,
        is_conversion_window_complete,
        is_won,
        won_at,
        {{ to_business_date('won_at') }} as won_date,
        won_amount,
        won_currency,
        is_disqualified,
        disqualified_reason,
        wasted_reason is not null as is_wasted,
        wasted_reason
    from wasted
)

select * from final
