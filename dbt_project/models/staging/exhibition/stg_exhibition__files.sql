with

source as (
    select * from {{ source('raw_exhibition', 'files') }}
),

renamed as (
    select
        ----------  ids
        file_id,

        ----------  strings
        name as file_name,
        format as file_format,
        encoding,
        sheet as sheet_name,
        title as file_title,
        header_map_json,
        status as load_status,
        error as load_error,

        ----------  numerics
        header_row,
        rows as loaded_row_count,
        rejected as rejected_row_count,
        size_bytes,

        ----------  timestamps
        loaded_at,

        _source_system

    from source
)

select * from renamed
