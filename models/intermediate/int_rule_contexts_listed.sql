-- Where each rule is checked: one row per report × rule × context. The context is the report
-- itself, one narrative fact the rule compares (one row per occurrence), or the same body's
-- report of the year before (body_year_pair rules, both reports in a format the rule covers).

with

reports as (
    select * from {{ ref('stg_landing__reports') }}
),

facts as (
    select * from {{ ref('stg_landing__facts') }}
),

rules as (
    select * from {{ ref('rules') }}
),

rule_formats as (
    select
        rule_terms.rule_id,
        rule_terms.template,
        rules.scope,
        max(case when rule_terms.term_kind = 'fact' then rule_terms.term_ref end) as fact_name
    from {{ ref('rule_terms') }} as rule_terms
    inner join rules
        on rule_terms.rule_id = rules.rule_id
    group by rule_terms.rule_id, rule_terms.template, rules.scope
),

in_report as (
    select
        reports.report_id,
        rule_formats.rule_id,
        cast(null as {{ dbt.type_string() }}) as compared_report_id,
        cast(null as integer) as fact_index
    from reports
    inner join rule_formats
        on reports.template = rule_formats.template
    where rule_formats.scope <> 'body_year_pair'
        and rule_formats.fact_name is null
),

per_fact as (
    select
        reports.report_id,
        rule_formats.rule_id,
        cast(null as {{ dbt.type_string() }}) as compared_report_id,
        facts.fact_index
    from reports
    inner join rule_formats
        on reports.template = rule_formats.template
    inner join facts
        on reports.report_id = facts.report_id
        and rule_formats.fact_name = facts.fact_name
),

per_year_pair as (
    select
        this_year.report_id,
        rule_formats.rule_id,
        last_year.report_id as compared_report_id,
        cast(null as integer) as fact_index
    from reports as this_year
    inner join rule_formats
        on this_year.template = rule_formats.template
        and rule_formats.scope = 'body_year_pair'
    inner join reports as last_year
        on this_year.body_name_normalised = last_year.body_name_normalised
        and this_year.report_year - 1 = last_year.report_year
    inner join rule_formats as last_year_formats
        on rule_formats.rule_id = last_year_formats.rule_id
        and last_year.template = last_year_formats.template
),

contexts as (
    select * from in_report
    union all
    select * from per_fact
    union all
    select * from per_year_pair
)

select
    report_id,
    rule_id,
    case
        when compared_report_id is not null then {{ dbt.concat(["'previous:'", "compared_report_id"]) }}
        when fact_index is not null
            then {{ dbt.concat(["'fact:'", "cast(fact_index as " ~ dbt.type_string() ~ ")"]) }}
        else 'report'
    end as context_key,
    compared_report_id,
    fact_index
from contexts
