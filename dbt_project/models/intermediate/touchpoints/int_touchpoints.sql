{#- Every touch of a person across the seven channels, online and offline, in one
    stream: CRM marketing events (web, e-mail), SEM form leads (Baidu, Douyin), badge
    scans, WeChat Work adds and rep activities (calls, visits, meetings, WeChat
    messages). One row per touch, with the person and company it reached, the
    campaign or keyword, a cost where the source prices it, and the time (UTC).

    `is_attribution_touch` marks the touches that can earn credit for a conversion:
    deliberate interactions (a click, a form, a scan, a meeting), not impressions of
    our own making (an e-mail sent, a repeat scan of the same badge, a rep's note). -#}
with

marketing_events as (
    select * from {{ ref('stg_crm__marketing_events') }}
    where not is_deleted
),

campaigns as (
    select * from {{ ref('stg_crm__campaigns') }}
),

baidu_leads as (
    select * from {{ ref('stg_sem__baidu_leads') }}
),

baidu_keyword_days as (
    select * from {{ ref('stg_sem__baidu_keyword_days') }}
),

douyin_clues as (
    select * from {{ ref('stg_sem__douyin_clues') }}
),

douyin_promotion_days as (
    select * from {{ ref('stg_sem__douyin_promotion_days') }}
),

badge_scans as (
    select * from {{ ref('stg_exhibition__badge_scans') }}
    where badge_id is not null
),

wechat_follows as (
    select * from {{ ref('stg_wechat_work__contact_follows') }}
),

crm_users as (
    select * from {{ ref('stg_crm__users') }}
),

activities as (
    select * from {{ ref('stg_crm__activities') }}
    where not is_deleted and activity_type <> 'note'
),

record_persons as (
    select * from {{ ref('int_identity__record_persons') }}
),

persons as (
    select * from {{ ref('dim_persons') }}
),

web_and_email_touches as (
    select
        'crm:marketing_events:' || marketing_events.marketing_event_id as touchpoint_id,
        coalesce(
            'crm:contacts:' || marketing_events.contact_id, 'crm:leads:' || marketing_events.lead_id
        ) as record_id,
        marketing_events.lead_id,
        case
            when marketing_events.event_type like 'email%' then 'email'
            when campaigns.channel in ('sem', 'douyin') then campaigns.channel
            else 'website'
        end as channel,
        marketing_events.event_type as touch_type,
        marketing_events.campaign_id,
        cast(null as {{ dbt.type_string() }}) as keyword,
        cast(null as decimal(18, 2)) as cost_amount,
        coalesce(
            marketing_events.event_type in ('email_click', 'download', 'webinar', 'form_submit')
            or (
                marketing_events.event_type = 'page_view'
                and campaigns.channel in ('sem', 'douyin')
            ),
            false
        ) as is_attribution_touch,
        marketing_events.occurred_at as touched_at,
        marketing_events._source_system
    from marketing_events
    left join campaigns
        on marketing_events.campaign_id = campaigns.campaign_id
),

baidu_cost_per_click as (
    select
        report_date,
        baidu_keyword_id,
        cost_amount / nullif(clicks, 0) as cost_per_click
    from baidu_keyword_days
),

baidu_form_touches as (
    -- the click that brought the form: priced at the keyword's cost per click that day
    select
        'sem:baidu_leads:' || baidu_leads.baidu_clue_id as touchpoint_id,
        'sem:baidu_leads:' || baidu_leads.baidu_clue_id as record_id,
        cast(null as {{ dbt.type_string() }}) as lead_id,
        'sem' as channel,
        'sem_form' as touch_type,
        campaigns.campaign_id,
        baidu_leads.keyword,
        cast(baidu_cost_per_click.cost_per_click as decimal(18, 2)) as cost_amount,
        true as is_attribution_touch,
        baidu_leads.submitted_at as touched_at,
        baidu_leads._source_system
    from baidu_leads
    left join campaigns
        on baidu_leads.baidu_campaign_id = campaigns.external_campaign_id
    left join baidu_cost_per_click
        on
            baidu_leads.baidu_keyword_id = baidu_cost_per_click.baidu_keyword_id
            and {{ to_business_date('baidu_leads.submitted_at') }}
            = baidu_cost_per_click.report_date
),

douyin_cost_per_click as (
    select
        report_date,
        douyin_promotion_id,
        cost_amount / nullif(clicks, 0) as cost_per_click
    from douyin_promotion_days
),

douyin_form_touches as (
    select
        'sem:douyin_clues:' || douyin_clues.douyin_clue_id as touchpoint_id,
        'sem:douyin_clues:' || douyin_clues.douyin_clue_id as record_id,
        cast(null as {{ dbt.type_string() }}) as lead_id,
        'douyin' as channel,
        'douyin_form' as touch_type,
        campaigns.campaign_id,
        cast(null as {{ dbt.type_string() }}) as keyword,
        cast(douyin_cost_per_click.cost_per_click as decimal(18, 2)) as cost_amount,
        true as is_attribution_touch,
        douyin_clues.submitted_at as touched_at,
        douyin_clues._source_system
    from douyin_clues
    left join campaigns
        on douyin_clues.douyin_promotion_id = campaigns.external_campaign_id
    left join douyin_cost_per_click
        on
            douyin_clues.douyin_promotion_id = douyin_cost_per_click.douyin_promotion_id
            and {{ to_business_date('douyin_clues.submitted_at') }}
            = douyin_cost_per_click.report_date
),

exhibition_campaigns as (
    -- the CRM names an exhibition's campaign after the show (展会-<show name>)
    select
        badge_scans.exhibition_name,
        min(campaigns.campaign_id) as campaign_id,
        min(campaigns.actual_cost_amount) as exhibition_cost,
        count(distinct badge_scans.badge_scan_id) as scan_count
    from badge_scans
    inner join campaigns
        on
            campaigns.channel = 'exhibition'
            and {{ dbt.position('badge_scans.exhibition_name', 'campaigns.campaign_name') }} > 0
    group by badge_scans.exhibition_name
),

ranked_scans as (
    select
        *,
        row_number() over (
            partition by badge_id order by scanned_at asc, badge_scan_id asc
        ) as scan_rank
    from badge_scans
),

badge_scan_touches as (
    -- a show's cost spread over its scans; a repeat scan of one badge is one touch
    select
        'exhibition:badge_scans:' || ranked_scans.badge_scan_id as touchpoint_id,
        'exhibition:badge_scans:' || ranked_scans.badge_id as record_id,
        cast(null as {{ dbt.type_string() }}) as lead_id,
        'exhibition' as channel,
        case when ranked_scans.scan_rank = 1 then 'badge_scan' else 'badge_rescan' end
            as touch_type,
        exhibition_campaigns.campaign_id,
        cast(null as {{ dbt.type_string() }}) as keyword,
        cast(
            exhibition_campaigns.exhibition_cost / exhibition_campaigns.scan_count
            as decimal(18, 2)
        ) as cost_amount,
        ranked_scans.scan_rank = 1 as is_attribution_touch,
        ranked_scans.scanned_at as touched_at,
        ranked_scans._source_system
    from ranked_scans
    left join exhibition_campaigns
        on ranked_scans.exhibition_name = exhibition_campaigns.exhibition_name
),

wechat_add_touches as (
    select
        'wechat_work:contact_follows:' || wechat_follows.wechat_external_userid || ':'
        || wechat_follows.wechat_member_id as touchpoint_id,
        'wechat_work:external_contacts:' || wechat_follows.wechat_external_userid as record_id,
        cast(null as {{ dbt.type_string() }}) as lead_id,
        'wechat' as channel,
        'wechat_add' as touch_type,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        cast(null as {{ dbt.type_string() }}) as keyword,
        cast(null as decimal(18, 2)) as cost_amount,
        true as is_attribution_touch,
        wechat_follows.added_at as touched_at,
        wechat_follows._source_system
    from wechat_follows
    inner join crm_users
        on wechat_follows.wechat_member_id = crm_users.wechat_member_id
),

rep_activity_touches as (
    select
        'crm:activities:' || activity_id as touchpoint_id,
        coalesce('crm:contacts:' || contact_id, 'crm:leads:' || lead_id) as record_id,
        lead_id,
        case activity_type
            when 'wechat' then 'wechat'
            when 'email' then 'email'
            else 'sales'
        end as channel,
        'rep_' || activity_type as touch_type,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        cast(null as {{ dbt.type_string() }}) as keyword,
        cast(null as decimal(18, 2)) as cost_amount,
        activity_type in ('call', 'visit', 'meeting', 'wechat') as is_attribution_touch,
        occurred_at as touched_at,
        _source_system
    from activities
),

all_touches as (
    select * from web_and_email_touches
    union all
    select * from baidu_form_touches
    union all
    select * from douyin_form_touches
    union all
    select * from badge_scan_touches
    union all
    select * from wechat_add_touches
    union all
    select * from rep_activity_touches
),

touchpoints as (
    select
        all_touches.touchpoint_id,
        record_persons.person_id,
        persons.account_id,
        all_touches.lead_id,
        all_touches.channel,
        all_touches.touch_type,
        all_touches.campaign_id,
        all_touches.keyword,
        all_touches.cost_amount,
        case when all_touches.cost_amount is not null then 'CNY' end as cost_currency,
        all_touches.is_attribution_touch,
        all_touches.touched_at,
        all_touches.record_id as source_record_id,
        all_touches._source_system
    from all_touches
    left join record_persons
        on all_touches.record_id = record_persons.record_id
    left join persons
        on record_persons.person_id = persons.person_id
)

select * from touchpoints
