{#- Per lead, the first response and its SLA. Two witnesses of the first response: the
    CRM's first_response_at field and the first rep activity logged on the lead (a call,
    e-mail, WeChat message, visit or meeting; a note is not contact). Both are kept; the
    response is the earlier of the two, and `has_response_disagreement` flags a lead whose
    witnesses differ by more than a minute or where only one exists.

    Time to respond in wall-clock minutes and in business minutes (working days, business
    hours). The SLA is the lead channel's (seed lead_response_slas):
      met                  responded within the SLA;
      breached             responded, later than the SLA;
      pending              not responded, and the SLA has not run out at as-of;
      breached_unanswered  not responded, and the SLA ran out before as-of.
    Events after as-of are not known yet, and leads created after it do not exist yet. -#}
with

leads as (
    select * from {{ ref('stg_crm__leads') }}
    where not is_deleted
),

activities as (
    select * from {{ ref('stg_crm__activities') }}
    where not is_deleted and lead_id is not null and activity_type <> 'note'
),

response_slas as (
    select * from {{ ref('lead_response_slas') }}
),

business_days as (
    select * from {{ ref('int_funnel__business_days') }}
),

as_of as (
    select * from {{ ref('int_funnel__as_of') }}
),

known_leads as (
    select
        leads.lead_id,
        leads.owner_user_id,
        leads.source_channel,
        leads.created_at,
        case when leads.first_response_at <= as_of.as_of_at then leads.first_response_at end
            as crm_first_response_at,
        as_of.as_of_at
    from leads
    cross join as_of
    where leads.created_at <= as_of.as_of_at
),

known_activities as (
    select activities.*
    from activities
    cross join as_of
    where activities.occurred_at <= as_of.as_of_at
),

first_activity_times as (
    select
        lead_id,
        min(occurred_at) as first_activity_at
    from known_activities
    group by lead_id
),

-- the activities at each lead's first activity time (ties broken by id): ranking only
-- these is far cheaper than ranking every activity
first_activity_candidates as (
    select
        known_activities.lead_id,
        known_activities.activity_id,
        known_activities.activity_type,
        known_activities.occurred_at,
        row_number() over (
            partition by known_activities.lead_id order by known_activities.activity_id asc
        ) as candidate_rank
    from known_activities
    inner join first_activity_times
        on
            known_activities.lead_id = first_activity_times.lead_id
            and known_activities.occurred_at = first_activity_times.first_activity_at
),

first_activities as (
    select
        lead_id,
        activity_id as first_activity_id,
        activity_type as first_activity_type,
        occurred_at as first_activity_at
    from first_activity_candidates
    where candidate_rank = 1
),

responses as (
    select
        known_leads.*,
        first_activities.first_activity_id,
        first_activities.first_activity_type,
        first_activities.first_activity_at,
        case
            when first_activities.first_activity_at is null
                then known_leads.crm_first_response_at
            when known_leads.crm_first_response_at is null
                then first_activities.first_activity_at
            when first_activities.first_activity_at < known_leads.crm_first_response_at
                then first_activities.first_activity_at
            else known_leads.crm_first_response_at
        end as first_response_at,
        case
            when known_leads.crm_first_response_at is null
                then first_activities.first_activity_at is not null
            when first_activities.first_activity_at is null then true
            else abs({{ seconds_between(
                'known_leads.crm_first_response_at', 'first_activities.first_activity_at'
            ) }}) > 60
        end as has_response_disagreement
    from known_leads
    left join first_activities
        on known_leads.lead_id = first_activities.lead_id
),

localised as (
    select
        responses.*,
        {{ to_business_timestamp('responses.created_at') }} as created_local_at,
        {{ to_business_timestamp('responses.first_response_at') }} as response_local_at
    from responses
),

as_of_position as (
    select {{ business_minute_position('as_of.as_of_at', 'as_of_day') }} as as_of_business_minute
    from as_of
    inner join business_days as as_of_day
        on as_of.as_of_date = as_of_day.calendar_date
),

positioned as (
    select
        localised.*,
        {{ business_minute_of_local('localised.created_local_at', 'created_day') }}
            as created_business_minute,
        {{ business_minute_of_local('localised.response_local_at', 'response_day') }}
            as response_business_minute,
        as_of_position.as_of_business_minute,
        response_slas.first_response_sla_business_minutes
    from localised
    cross join as_of_position
    left join business_days as created_day
        on cast(localised.created_local_at as date) = created_day.calendar_date
    left join business_days as response_day
        on cast(localised.response_local_at as date) = response_day.calendar_date
    left join response_slas
        on localised.source_channel = response_slas.source_channel
),

timed as (
    select
        *,
        {{ seconds_between('created_at', 'first_response_at') }} / 60.0
            as minutes_to_first_response,
        response_business_minute - created_business_minute
            as business_minutes_to_first_response,
        as_of_business_minute - created_business_minute as business_minutes_since_created
    from positioned
),

sla_checked as (
    select
        *,
        business_minutes_to_first_response <= first_response_sla_business_minutes
            as is_answered_within_sla,
        business_minutes_since_created <= first_response_sla_business_minutes
            as is_within_sla_at_as_of
    from timed
),

final as (
    select
        lead_id,
        owner_user_id,
        source_channel,
        created_at,
        cast(created_local_at as date) as created_date,
        crm_first_response_at,
        first_activity_id,
        first_activity_type,
        first_activity_at,
        first_response_at,
        cast(response_local_at as date) as first_response_date,
        first_response_at is not null as has_responded,
        has_response_disagreement,
        minutes_to_first_response,
        business_minutes_to_first_response,
        coalesce(business_minutes_to_first_response, business_minutes_since_created)
            as business_minutes_waited,
        first_response_sla_business_minutes,
        case
            when first_response_sla_business_minutes is null then null
            when first_response_at is not null and is_answered_within_sla then 'met'
            when first_response_at is not null then 'breached'
            when is_within_sla_at_as_of then 'pending'
            else 'breached_unanswered'
        end as sla_status
    from sla_checked
)

select * from final
