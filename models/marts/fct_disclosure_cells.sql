-- One row per report × cell code: the landed cell placed in its table, row and column. Built
-- by report (macros/incremental.sql): an incremental build places the cells of new and
-- re-parsed reports only.

{{ config_built_by_report() }}

with

cells as (
    select * from {{ ref('stg_landing__cells') }}
    {%- if is_incremental() %}
    where report_id in ({{ reports_to_rebuild(neighbours=false) }})
    {%- endif %}
),

reports as (
    select * from {{ ref('dim_reports') }}
),

catalog as (
    select * from {{ ref('dim_cells') }}
),

final as (
    select
        ----------  ids
        cells.report_id,
        cells.cell_code,
        catalog.cell_id,
        reports.body_id,
        reports.batch_id,

        ----------  strings
        reports.body,
        reports.template,
        catalog.table_code,
        catalog.row_code,
        catalog.column_code,
        cells.value_status,
        cells.raw_text,
        cells.source_locator,
        cells.value_method,
        cells.inferred_from,

        ----------  numerics
        reports.report_year,
        cells.value,
        catalog.position as cell_position,

        ----------  booleans
        coalesce(catalog.is_optional, false) as is_optional

    from cells
    inner join reports
        on cells.report_id = reports.report_id
    left join catalog
        on reports.template = catalog.template
        and cells.cell_code = catalog.cell_code
)

select * from final
