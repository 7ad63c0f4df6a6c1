with

source as (
    select * from {{ source('landing', 'problems') }}
),

current_versions as (
    {{ landing_current_versions() }}
),

renamed as (
    select
        ----------  ids
        source.report_id,
        cast(source.problem_index as integer) as problem_index,
        source.cell_code,

        ----------  strings
        source.problem_kind,
        source.message,
        source.source_locator

    from source
    inner join current_versions
        on source.report_id = current_versions.report_id
        and source.batch_id = current_versions.batch_id
)

select * from renamed
