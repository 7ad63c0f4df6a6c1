with

source as (
    select * from {{ source('landing', 'ledger') }}
),

renamed as (
    select
        ----------  ids
        source_path,
        sha256,
        report_id,
        batch_id,

        ----------  strings
        status as ingest_status,
        reason as failure_reason,
        source_locator as failure_locator,
        body,
        template,
        form,
        parser_version,

        ----------  numerics
        cast(report_year as integer) as report_year,
        cast(cell_count as integer) as cell_count,
        cast(fact_count as integer) as fact_count,
        cast(problem_count as integer) as problem_count,

        ----------  booleans
        is_current,

        ----------  timestamps
        ingested_at

    from source
)

select * from renamed
