{#- Follow-up rhythm of every lead and opportunity: one row per rep activity (a call,
    e-mail, WeChat message, visit or meeting; a note is not a follow-up) with the gap
    since the subject's previous activity, in hours and in business hours, and, on every
    row of the subject, its largest gap, its last activity and the time from that last
    activity to as-of. An activity belongs to its opportunity when it names one, else to
    its lead. Activities after as-of are not known yet. -#}
with

activities as (
    select * from {{ ref('stg_crm__activities') }}
    where
        not is_deleted
        and activity_type <> 'note'
        and (opportunity_id is not null or lead_id is not null)
),

business_days as (
    select * from {{ ref('int_funnel__business_days') }}
),

as_of as (
    select * from {{ ref('int_funnel__as_of') }}
),

known_activities as (
    select
        case when activities.opportunity_id is not null then 'opportunity' else 'lead' end
            as subject_type,
        coalesce(activities.opportunity_id, activities.lead_id) as subject_id,
        activities.activity_id,
        activities.activity_type,
        activities.owner_user_id,
        activities.has_notes,
        activities.occurred_at,
        {{ to_business_timestamp('activities.occurred_at') }} as occurred_local_at
    from activities
    cross join as_of
    where activities.occurred_at <= as_of.as_of_at
),

as_of_position as (
    select {{ business_minute_position('as_of.as_of_at', 'as_of_day') }} as as_of_business_minute
    from as_of
    inner join business_days as as_of_day
        on as_of.as_of_date = as_of_day.calendar_date
),

positioned as (
    select
        known_activities.subject_type,
        known_activities.subject_id,
        known_activities.activity_id,
        known_activities.activity_type,
        known_activities.owner_user_id,
        known_activities.has_notes,
        known_activities.occurred_at,
        {{ business_minute_of_local('known_activities.occurred_local_at', 'activity_day') }}
            as occurred_business_minute
    from known_activities
    left join business_days as activity_day
        on cast(known_activities.occurred_local_at as date) = activity_day.calendar_date
),

sequenced as (
    select
        *,
        row_number() over (
            partition by subject_type, subject_id order by occurred_at asc, activity_id asc
        ) as activity_number,
        lag(occurred_at) over (
            partition by subject_type, subject_id order by occurred_at asc, activity_id asc
        ) as previous_activity_at,
        lag(occurred_business_minute) over (
            partition by subject_type, subject_id order by occurred_at asc, activity_id asc
        ) as previous_business_minute
    from positioned
),

gaps as (
    select
        *,
        {{ seconds_between('previous_activity_at', 'occurred_at') }} / 3600.0 as gap_hours,
        (occurred_business_minute - previous_business_minute) / 60.0 as gap_business_hours
    from sequenced
),

-- one aggregate per subject joined back: cheaper than window aggregates on millions
subject_rhythm as (
    select
        subject_type,
        subject_id,
        count(*) as subject_activity_count,
        max(gap_hours) as max_gap_hours,
        max(gap_business_hours) as max_gap_business_hours,
        max(occurred_at) as last_activity_at,
        max(occurred_business_minute) as last_activity_business_minute,
        count(case when activity_type = 'visit' and not has_notes then 1 end)
            as visits_without_notes_count
    from gaps
    group by subject_type, subject_id
),

final as (
    select
        gaps.activity_id,
        gaps.subject_type,
        gaps.subject_id,
        gaps.activity_type,
        gaps.owner_user_id,
        gaps.has_notes,
        gaps.occurred_at,
        gaps.activity_number,
        gaps.activity_number = subject_rhythm.subject_activity_count as is_latest_activity,
        gaps.previous_activity_at,
        gaps.gap_hours,
        gaps.gap_business_hours,
        subject_rhythm.subject_activity_count,
        subject_rhythm.max_gap_hours,
        subject_rhythm.max_gap_business_hours,
        subject_rhythm.last_activity_at,
        {{ seconds_between('subject_rhythm.last_activity_at', 'as_of.as_of_at') }} / 3600.0
            as hours_since_last_activity,
        (
            as_of_position.as_of_business_minute
            - subject_rhythm.last_activity_business_minute
        ) / 60.0 as business_hours_since_last_activity,
        subject_rhythm.visits_without_notes_count
    from gaps
    inner join subject_rhythm
        on
            gaps.subject_type = subject_rhythm.subject_type
            and gaps.subject_id = subject_rhythm.subject_id
    cross join as_of
    cross join as_of_position
)

select * from final
