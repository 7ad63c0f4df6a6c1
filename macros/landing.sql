{#- The (report_id, batch_id) pairs the ledger marks current: for each report, the batch of its
    latest successful ingest. Staging reads only these, so superseded versions of a changed file
    and rows of a run that died before its ledger was written never reach the warehouse. -#}
{% macro landing_current_versions() %}
    select report_id, batch_id
    from (
        select
            report_id,
            batch_id,
            row_number() over (
                partition by report_id order by ingested_at desc, batch_id desc
            ) as version_rank
        from {{ ref('stg_landing__ledger') }}
        where is_current and ingest_status = 'ok'
    ) as ranked
    where version_rank = 1
{% endmacro %}
