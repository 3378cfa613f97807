{#- Business time: working days of the China calendar (seed `business_calendar`, the
    State Council's holidays and make-up working days; Monday to Friday outside its
    range) and business hours (vars business_day_start, business_day_end) in
    business_timezone.

    Minutes between two instants never expand per minute or per day. The model
    `int_funnel__business_days` holds, per calendar date, the business minutes before
    that day starts (`cum_business_minutes_before`) and the working days before it
    (`working_days_before`). An instant's position on that business clock is its day's
    cumulative minutes plus its minutes into the day's business hours (clamped to the
    hours, zero on a day off); the minutes between two instants are the difference of
    their positions. A model joins the day table once per instant, on the date alone:

        left join business_days as created_day
            on {{ to_business_date('leads.created_at') }} = created_day.calendar_date

        {{ business_minutes_between('leads.created_at', 'leads.first_response_at',
                                    'created_day', 'response_day') }}
-#}

{#- Minutes after midnight of an "HH:MM" var (business_day_start, business_day_end). -#}
{% macro clock_minutes(hh_mm) -%}
    {%- set parts = (hh_mm | string).split(":") -%}
    {{- return(parts[0] | int * 60 + parts[1] | int) -}}
{%- endmacro %}

{#- Business minutes in one working day (540 for 09:00-18:00). -#}
{% macro business_minutes_per_day() -%}
    {{- return(clock_minutes(var("business_day_end")) - clock_minutes(var("business_day_start"))) -}}
{%- endmacro %}

{#- The local wall-clock time (business_timezone, without zone) of a UTC instant. -#}
{% macro to_business_timestamp(timestamp_utc) -%}
    {{ return(adapter.dispatch("to_business_timestamp", "salesdw")(timestamp_utc)) }}
{%- endmacro %}

{% macro default__to_business_timestamp(timestamp_utc) -%}
    from_utc_timestamp({{ timestamp_utc }}, '{{ var("business_timezone") }}')
{%- endmacro %}

{% macro duckdb__to_business_timestamp(timestamp_utc) -%}
    timezone('{{ var("business_timezone") }}', {{ timestamp_utc }})
{%- endmacro %}

{% macro postgres__to_business_timestamp(timestamp_utc) -%}
    ({{ timestamp_utc }} at time zone '{{ var("business_timezone") }}')
{%- endmacro %}

{#- Seconds from one UTC instant to another (negative when the second is earlier),
    whatever the session's time zone. -#}
{% macro seconds_between(start_at, end_at) -%}
    {{ return(adapter.dispatch("seconds_between", "salesdw")(start_at, end_at)) }}
{%- endmacro %}

{% macro default__seconds_between(start_at, end_at) -%}
    (unix_timestamp({{ end_at }}) - unix_timestamp({{ start_at }}))
{%- endmacro %}

{% macro duckdb__seconds_between(start_at, end_at) -%}
    (epoch({{ end_at }}) - epoch({{ start_at }}))
{%- endmacro %}

{% macro postgres__seconds_between(start_at, end_at) -%}
    extract(epoch from ({{ end_at }} - {{ start_at }}))
{%- endmacro %}

{#- ISO day of the week of a date: 1 = Monday ... 7 = Sunday. -#}
{% macro iso_day_of_week(date) -%}
    {{ return(adapter.dispatch("iso_day_of_week", "salesdw")(date)) }}
{%- endmacro %}

{% macro default__iso_day_of_week(date) -%}
    extract(isodow from {{ date }})
{%- endmacro %}

{% macro spark__iso_day_of_week(date) -%}
    (weekday({{ date }}) + 1)
{%- endmacro %}

{#- One row per date from start_date to end_date (both included): a set-returning
    select-list expression, so `select id, {{ date_series('a', 'b') }} as day from t`
    expands each row of t into its days without a join. -#}
{% macro date_series(start_date, end_date) -%}
    {{ return(adapter.dispatch("date_series", "salesdw")(start_date, end_date)) }}
{%- endmacro %}

{% macro default__date_series(start_date, end_date) -%}
    explode(sequence(cast({{ start_date }} as date), cast({{ end_date }} as date), interval 1 day))
{%- endmacro %}

{% macro duckdb__date_series(start_date, end_date) -%}
    cast(unnest(generate_series(
        cast({{ start_date }} as date), cast({{ end_date }} as date), interval 1 day
    )) as date)
{%- endmacro %}

{% macro postgres__date_series(start_date, end_date) -%}
    cast(generate_series(
        cast({{ start_date }} as timestamp), cast({{ end_date }} as timestamp), interval '1 day'
    ) as date)
{%- endmacro %}

{#- An instant's position on the business clock: the business minutes from the start
    of the day table to the instant. `day` is the alias of the `int_funnel__business_days`
    row of the instant's business date. Null when the instant is null. -#}
{% macro business_minute_position(timestamp_utc, day) -%}
    {{ business_minute_of_local(to_business_timestamp(timestamp_utc), day) }}
{%- endmacro %}

{#- The same from the instant's local time (`to_business_timestamp`), for a model that
    converts each instant once and joins its day on `cast(<local> as date)`: time zone
    conversions are the dearest step on millions of rows. -#}
{% macro business_minute_of_local(local_timestamp, day) -%}
    {%- set minute_of_day -%}
        {{ dbt.datediff("cast(" ~ local_timestamp ~ " as date)", local_timestamp, "second") }} / 60.0
    {%- endset -%}
    (
        {{ day }}.cum_business_minutes_before
        + case
            when {{ day }}.is_working_day
                then least(
                    greatest({{ minute_of_day }} - {{ day }}.business_start_minute, 0),
                    {{ day }}.business_end_minute - {{ day }}.business_start_minute
                )
            else 0
        end
    )
{%- endmacro %}

{#- Business minutes from start_at to end_at: working days only, business hours only.
    start_day and end_day alias the day-table rows of the two instants' business dates. -#}
{% macro business_minutes_between(start_at, end_at, start_day, end_day) -%}
    (
        {{ business_minute_position(end_at, end_day) }}
        - {{ business_minute_position(start_at, start_day) }}
    )
{%- endmacro %}

{#- Working days from one date to another: the working days in [start, end), so Friday
    to the next Monday is 1 and a date to itself 0. Both aliases are day-table rows. -#}
{% macro business_days_between(start_day, end_day) -%}
    ({{ end_day }}.working_days_before - {{ start_day }}.working_days_before)
{%- endmacro %}
