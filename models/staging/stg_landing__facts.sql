with

source as (
    select * from {{ source('landing', 'facts') }}
),

current_versions as (
    {{ landing_current_versions() }}
),

renamed as (
    select
        ----------  ids
        source.report_id,
        cast(source.fact_index as integer) as fact_index,

        ----------  strings
        source.fact_name,
        source.unit,
        source.sentence,
        source.source_locator,

        ----------  numerics
        cast(source.value as {{ dbt.type_numeric() }}) as value

    from source
    inner join current_versions
        on source.report_id = current_versions.report_id
        and source.batch_id = current_versions.batch_id
)

select * from renamed
