with

facts as (
    select * from {{ ref('stg_landing__facts') }}
),

reports as (
    select * from {{ ref('dim_reports') }}
),

final as (
    select
        ----------  ids
        {{ dbt.concat([
            "facts.report_id", "'-'", "cast(facts.fact_index as " ~ dbt.type_string() ~ ")"
        ]) }} as fact_id,
        facts.report_id,
        reports.body_id,

        ----------  strings
        facts.fact_name,
        facts.unit,
        facts.sentence,
        facts.source_locator,

        ----------  numerics
        reports.report_year,
        facts.fact_index,
        facts.value

    from facts
    inner join reports
        on facts.report_id = reports.report_id
)

select * from final
