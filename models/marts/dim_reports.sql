with

reports as (
    select * from {{ ref('stg_landing__reports') }}
),

ledger as (
    select * from {{ ref('stg_landing__ledger') }}
),

current_paths as (
    select
        report_id,
        min(source_path) as source_path,
        count(*) as source_path_count,
        min(ingested_at) as first_ingested_at,
        max(ingested_at) as ingested_at
    from ledger
    where is_current and ingest_status = 'ok'
    group by report_id
),

problems as (
    select
        report_id,
        count(*) as problem_count,
        {{ dbt.listagg("problem_kind", "', '", "order by problem_index") }} as problem_kinds
    from {{ ref('stg_landing__problems') }}
    group by report_id
),

cell_statuses as (
    select
        report_id,
        count(*) as cell_count,
        sum(case when value_status in ('blank', 'mark') then 1 else 0 end) as blank_or_mark_cell_count,
        sum(case when value_status in ('missing', 'invalid') then 1 else 0 end) as unread_cell_count
    from {{ ref('stg_landing__cells') }}
    group by report_id
),

final as (
    select
        ----------  ids
        reports.report_id,
        {{ dbt.hash('reports.body') }} as body_id,
        reports.batch_id,
        reports.sha256,

        ----------  strings
        reports.body,
        reports.template,
        current_paths.source_path,
        reports.form,
        reports.title,
        reports.parser_version,
        problems.problem_kinds,

        ----------  numerics
        reports.report_year,
        current_paths.source_path_count,
        coalesce(cell_statuses.cell_count, 0) as cell_count,
        coalesce(cell_statuses.blank_or_mark_cell_count, 0) as blank_or_mark_cell_count,
        coalesce(cell_statuses.unread_cell_count, 0) as unread_cell_count,
        coalesce(problems.problem_count, 0) as problem_count,

        ----------  timestamps
        reports.parsed_at,
        current_paths.first_ingested_at,
        current_paths.ingested_at

    from reports
    inner join current_paths
        on reports.report_id = current_paths.report_id
    left join problems
        on reports.report_id = problems.report_id
    left join cell_statuses
        on reports.report_id = cell_statuses.report_id
)

select * from final
