with

source as (
    select * from {{ source('raw_bank', 'files') }}
),

renamed as (
    select
        ----------  ids
        file_id,

        ----------  strings
        file_name,
        format as file_format,
        variant as format_variant,
        encoding,
        status as load_status,
        error as load_error,

        ----------  numerics
        size_bytes,
        statement_count,
        rejected_statement_count,
        entry_count,
        rejected_entry_count,

        ----------  timestamps
        processed_at,

        _source_system

    from source
)

select * from renamed
