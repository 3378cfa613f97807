with

source as (
    select * from {{ source('raw_wechat_work', 'behavior_daily') }}
),

renamed as (
    select
        ----------  ids
        userid as wechat_member_id,

        ----------  numerics
        chat_cnt as chat_count,
        message_cnt as message_count,
        reply_percentage as reply_pct,
        avg_reply_time as avg_reply_minutes,
        negative_feedback_cnt as negative_feedback_count,
        new_apply_cnt as new_apply_count,
        new_contact_cnt as new_contact_count,

        ----------  dates
        -- a China-time calendar day, as the API reports it
        stat_date,

        _source_system

    from source
)

select * from renamed
