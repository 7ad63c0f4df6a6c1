-- Counts the rules catalog names as `measure:<name>` (xxgk/template/rules.py MEASURES), one row
-- per report × measure. A measure that cannot be computed (no body for a body count) is null.

with

reports as (
    select * from {{ ref('stg_landing__reports') }}
),

cells as (
    select * from {{ ref('stg_landing__cells') }}
),

catalog as (
    select * from {{ ref('template_cells') }}
),

required_cells_not_read as (
    select
        reports.report_id,
        'required_cells_not_read' as measure_name,
        sum(
            case
                when cells.value_status is null or cells.value_status in ('missing', 'invalid')
                    then 1
                else 0
            end
        ) as measure_value
    from reports
    inner join catalog
        on reports.template = catalog.template
        and not catalog.is_optional
    left join cells
        on reports.report_id = cells.report_id
        and catalog.cell_code = cells.cell_code
    group by reports.report_id
),

reports_for_body_year as (
    select
        report_id,
        'reports_for_body_year' as measure_name,
        case
            when body_name_normalised is not null and report_year is not null
                then count(*) over (partition by body_name_normalised, report_year)
        end as measure_value
    from reports
),

unioned as (
    select * from required_cells_not_read
    union all
    select * from reports_for_body_year
)

select
    report_id,
    measure_name,
    cast(measure_value as {{ dbt.type_numeric() }}) as measure_value
from unioned
