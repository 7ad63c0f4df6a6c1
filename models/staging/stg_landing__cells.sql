with

source as (
    select * from {{ source('landing', 'cells') }}
),

current_versions as (
    {{ landing_current_versions() }}
),

renamed as (
    select
        ----------  ids
        source.report_id,
        source.cell_code,

        ----------  strings
        source.raw_text,
        source.source_locator,
        source.value_status,
        source.value_method,
        source.inferred_from,

        ----------  numerics
        cast(source.value as {{ dbt.type_numeric() }}) as value,
        cast(source.cell_index as integer) as cell_index

    from source
    inner join current_versions
        on source.report_id = current_versions.report_id
        and source.batch_id = current_versions.batch_id
)

select * from renamed
