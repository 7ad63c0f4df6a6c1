with

source as (
    select * from {{ source('landing', 'reports') }}
),

current_versions as (
    {{ landing_current_versions() }}
),

renamed as (
    select
        ----------  ids
        source.report_id,
        source.batch_id,
        source.sha256,
        source.division_code,

        ----------  strings
        source.source_path as first_source_path,
        source.body,
        source.body_name_normalised,
        source.body_kind,
        source.division_match,
        source.division_candidates,
        source.template,
        source.form,
        source.title,
        source.parser_version,

        ----------  numerics
        cast(source.report_year as integer) as report_year,

        ----------  timestamps
        source.parsed_at

    from source
    inner join current_versions
        on source.report_id = current_versions.report_id
        and source.batch_id = current_versions.batch_id
)

select * from renamed
