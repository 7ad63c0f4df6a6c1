-- Files whose current ingest failed: never half-loaded, listed here with the reason.

with

ledger as (
    select * from {{ ref('stg_landing__ledger') }}
),

final as (
    select
        ----------  ids
        source_path,
        sha256,

        ----------  strings
        failure_reason,
        failure_locator,
        parser_version,

        ----------  timestamps
        ingested_at as attempted_at

    from ledger
    where is_current and ingest_status = 'failed'
)

select * from final
