{#- Incremental builds by report. A model built this way keeps each row's report version
    (report_id, batch_id). On an incremental run it rebuilds only the reports whose version
    it has not got: new reports, re-parsed ones, and, with `neighbours`, the reports that read
    a changed or removed one. Those are the same body's reports of that year, which
    `reports_for_body_year` counts, and of the next year, which compare with it. Rows of
    versions that are no longer current are deleted by `delete_superseded_versions`.
    `xxgk build` runs a full refresh whenever the project (models, macros, seeds) changes.
-#}

{#- The configuration of a model built by report: rows of a report are replaced together. -#}
{% macro config_built_by_report() %}
    {{ config(
        materialized='incremental',
        unique_key='report_id',
        incremental_strategy='delete+insert',
        post_hook="{{ delete_superseded_versions() }}",
    ) }}
{% endmacro %}

{#- A subquery: the report_id of every current report the model rebuilds. -#}
{% macro reports_to_rebuild(neighbours=true) %}
    with

    current_versions as (
        select report_id, batch_id from {{ ref('stg_landing__reports') }}
    ),

    built_versions as (
        select distinct report_id, batch_id from {{ this }}
    ),

    changed_versions as (
        select * from (select * from current_versions except select * from built_versions) as added
        union
        select * from (select * from built_versions except select * from current_versions) as gone
    )

    select report_id from changed_versions
    {%- if neighbours %}
    union
    select current_reports.report_id
    from {{ ref('stg_landing__reports') }} as current_reports
    inner join {{ source('landing', 'reports') }} as changed_reports
        on current_reports.body_name_normalised = changed_reports.body_name_normalised
        and current_reports.report_year - cast(changed_reports.report_year as integer) in (0, 1)
    inner join changed_versions
        on changed_reports.report_id = changed_versions.report_id
        and changed_reports.batch_id = changed_versions.batch_id
    {%- endif %}
{% endmacro %}

{#- The post-hook of a model built by report: rows of report versions that are no longer
    current (a removed or re-parsed report) go. -#}
{% macro delete_superseded_versions() %}
    delete from {{ this }} as built
    where not exists (
        select 1
        from {{ ref('stg_landing__reports') }} as current_reports
        where current_reports.report_id = built.report_id
            and current_reports.batch_id = built.batch_id
    )
{% endmacro %}
