-- Every term of every rule instance in its context, with the value it takes and that value's
-- status: a cell of this report (or of the compared report, for `prev:` terms), a narrative
-- fact, a measure, or a constant. A cell that is absent counts as missing.

with

contexts as (
    select * from {{ ref('int_rule_contexts_listed') }}
),

reports as (
    select * from {{ ref('stg_landing__reports') }}
),

rule_terms as (
    select * from {{ ref('rule_terms') }}
),

cells as (
    select * from {{ ref('stg_landing__cells') }}
),

facts as (
    select * from {{ ref('stg_landing__facts') }}
),

measures as (
    select * from {{ ref('int_report_measures_computed') }}
),

valued as (
    select
        contexts.report_id,
        reports.template,
        contexts.rule_id,
        rule_terms.instance,
        contexts.context_key,
        contexts.compared_report_id,
        contexts.fact_index,
        rule_terms.is_optional,
        rule_terms.side,
        rule_terms.reading,
        rule_terms.reading_label_zh,
        rule_terms.reading_label_en,
        rule_terms.term_kind,
        rule_terms.term_ref,
        rule_terms.is_on_optional_column,
        rule_terms.sign,
        rule_terms.year_offset,
        rule_terms.position as term_position,
        case rule_terms.term_kind
            when 'cell' then cells.value
            when 'fact' then facts.value
            when 'measure' then measures.measure_value
            else cast(rule_terms.constant_value as {{ dbt.type_numeric() }})
        end as term_value,
        case rule_terms.term_kind
            -- a value the parser inferred with this very rule is no evidence that it holds
            when 'cell' then case
                when cells.inferred_from like {{ dbt.concat(["'%,'", "contexts.rule_id", "',%'"]) }}
                    then 'inferred_by_rule'
                else coalesce(cells.value_status, 'missing')
            end
            when 'fact' then case when facts.value is null then 'missing' else 'number' end
            when 'measure'
                then case when measures.measure_value is null then 'missing' else 'number' end
            else 'number'
        end as term_status
    from contexts
    inner join reports
        on contexts.report_id = reports.report_id
    inner join rule_terms
        on contexts.rule_id = rule_terms.rule_id
        and reports.template = rule_terms.template
    left join cells
        on rule_terms.term_kind = 'cell'
        and rule_terms.term_ref = cells.cell_code
        and cells.report_id = case
            when rule_terms.year_offset = -1 then contexts.compared_report_id
            else contexts.report_id
        end
    left join facts
        on rule_terms.term_kind = 'fact'
        and contexts.report_id = facts.report_id
        and contexts.fact_index = facts.fact_index
    left join measures
        on rule_terms.term_kind = 'measure'
        and contexts.report_id = measures.report_id
        and rule_terms.term_ref = measures.measure_name
)

select * from valued
