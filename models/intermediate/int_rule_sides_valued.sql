-- One row per report × rule × instance × context × side × reading: the side's value summed from
-- its terms, whether every term has a value that can be assessed (a number or a reported zero;
-- a blank, a mark, an absent cell never counts as 0), and, where one does not, which terms and
-- why. Instances bound to an optional column (小计) are dropped where the report has none of its
-- cells.
--
-- Cost: cells are summed into sides once per report, joined with the small rule_terms seed, and
-- only then paired with the rule contexts; terms are listed one by one only for the few sides
-- that cannot be assessed. Expanding every term of every context first (about 580 a report) made
-- this the warehouse's largest and most memory-hungry step.
--
-- Built by report (macros/incremental.sql): an incremental build values the sides of new and
-- re-parsed reports and of the reports that read them (same body, same or next year) only.

{{ config_built_by_report() }}

with

reports as (
    select report_id, batch_id, template from {{ ref('stg_landing__reports') }}
),

contexts as (
    select
        contexts.*,
        reports.batch_id,
        reports.template
    from {{ ref('int_rule_contexts_listed') }} as contexts
    inner join reports
        on contexts.report_id = reports.report_id
    {%- if is_incremental() %}
    where contexts.report_id in ({{ reports_to_rebuild() }})
    {%- endif %}
),

rule_terms as (
    select * from {{ ref('rule_terms') }}
),

cells as (
    select * from {{ ref('stg_landing__cells') }}
    {%- if is_incremental() %}
    where report_id in (
        select report_id from contexts
        union
        select compared_report_id from contexts
    )
    {%- endif %}
),

facts as (
    select * from {{ ref('stg_landing__facts') }}
    {%- if is_incremental() %}
    where report_id in (select report_id from contexts)
    {%- endif %}
),

measures as (
    select * from {{ ref('int_report_measures_computed') }}
    {%- if is_incremental() %}
    where report_id in (select report_id from contexts)
    {%- endif %}
),

statuses as (
    select * from {{ ref('ref_value_statuses') }}
),

-- how a term is written in a side: the same for every report of a template
labels as (
    select
        rule_terms.*,
        {{ dbt.concat([
            "case when sign < 0 then '-' else '' end",
            "case when year_offset = -1 then 'prev:' else '' end",
            "case when term_kind = 'constant' then cast(cast(constant_value as " ~ dbt.type_numeric() ~ ") as " ~ dbt.type_string() ~ ") else term_ref end",
        ]) }} as term_label
    from rule_terms
),

side_shapes as (
    select
        template,
        rule_id,
        instance,
        side,
        reading,
        max(reading_label_zh) as reading_label_zh,
        max(reading_label_en) as reading_label_en,
        max(case when is_optional then 1 else 0 end) as is_optional,
        count(*) as term_count,
        {{ dbt.listagg("term_label", "' + '", "order by position") }} as side_terms
    from labels
    group by template, rule_id, instance, side, reading
),

-- every cell a rule reads, summed per report and side. `prev:` terms (year_offset -1) are the
-- cells of the year before's report, which may be in the other template: they are kept for
-- every template whose rule names them, and matched to the checked report's template below.
cell_sides as (
    select
        cells.report_id,
        rule_terms.template,
        rule_terms.rule_id,
        rule_terms.instance,
        rule_terms.side,
        rule_terms.reading,
        rule_terms.year_offset,
        sum(rule_terms.sign * cells.value) as side_value,
        sum(case when statuses.is_assessable then 1 else 0 end) as terms_assessable,
        sum(
            case when rule_terms.is_on_optional_column and cells.value_status <> 'missing' then 1 else 0 end
        ) as optional_cells_read
    from cells
    inner join reports
        on cells.report_id = reports.report_id
    inner join rule_terms
        on rule_terms.term_kind = 'cell'
        and cells.cell_code = rule_terms.term_ref
        and (rule_terms.year_offset = -1 or rule_terms.template = reports.template)
    left join statuses
        on {{ cell_term_status('cells', 'rule_terms.rule_id') }} = statuses.value_status
    group by
        cells.report_id, rule_terms.template, rule_terms.rule_id, rule_terms.instance,
        rule_terms.side, rule_terms.reading, rule_terms.year_offset
),

-- the reports each context reads cells of: its own, and the compared one for `prev:` terms
context_reads as (
    select report_id, rule_id, context_key, template, report_id as read_report_id, 0 as year_offset
    from contexts
    union all
    select report_id, rule_id, context_key, template, compared_report_id, -1
    from contexts
    where compared_report_id is not null
),

-- what each context's sides take from its cells, facts, measures and constants
inputs as (
    select
        context_reads.report_id, context_reads.rule_id, context_reads.context_key,
        cell_sides.instance, cell_sides.side, cell_sides.reading, cell_sides.side_value,
        cell_sides.terms_assessable, cell_sides.optional_cells_read
    from context_reads
    inner join cell_sides
        on context_reads.read_report_id = cell_sides.report_id
        and context_reads.template = cell_sides.template
        and context_reads.rule_id = cell_sides.rule_id
        and context_reads.year_offset = cell_sides.year_offset
    union all
    select
        contexts.report_id, contexts.rule_id, contexts.context_key, rule_terms.instance,
        rule_terms.side, rule_terms.reading,
        rule_terms.sign * case rule_terms.term_kind
            when 'fact' then facts.value
            when 'measure' then measures.measure_value
            else cast(rule_terms.constant_value as {{ dbt.type_numeric() }})
        end,
        case rule_terms.term_kind
            when 'fact' then case when facts.value is null then 0 else 1 end
            when 'measure' then case when measures.measure_value is null then 0 else 1 end
            else 1
        end,
        0
    from contexts
    inner join rule_terms
        on contexts.template = rule_terms.template
        and contexts.rule_id = rule_terms.rule_id
        and rule_terms.term_kind <> 'cell'
    left join facts
        on rule_terms.term_kind = 'fact'
        and contexts.report_id = facts.report_id
        and contexts.fact_index = facts.fact_index
    left join measures
        on rule_terms.term_kind = 'measure'
        and contexts.report_id = measures.report_id
        and rule_terms.term_ref = measures.measure_name
),

summed as (
    select
        report_id,
        rule_id,
        context_key,
        instance,
        side,
        reading,
        sum(side_value) as side_value,
        sum(terms_assessable) as terms_assessable,
        sum(optional_cells_read) as optional_cells_read
    from inputs
    group by report_id, rule_id, context_key, instance, side, reading
),

-- instances on an optional column (小计) with at least one of its cells read; the others are
-- dropped
read_optional_instances as (
    select distinct report_id, rule_id, instance, context_key
    from summed
    where optional_cells_read > 0
),

-- every side of every context, with no input at all where none of its cells was found
sides as (
    select
        contexts.report_id,
        contexts.batch_id,
        contexts.template,
        contexts.rule_id,
        side_shapes.instance,
        contexts.context_key,
        contexts.compared_report_id,
        contexts.fact_index,
        side_shapes.side,
        side_shapes.reading,
        summed.side_value,
        coalesce(summed.terms_assessable, 0) = side_shapes.term_count as is_side_assessable
    from contexts
    inner join side_shapes
        on contexts.template = side_shapes.template
        and contexts.rule_id = side_shapes.rule_id
    left join summed
        on contexts.report_id = summed.report_id
        and contexts.rule_id = summed.rule_id
        and contexts.context_key = summed.context_key
        and side_shapes.instance = summed.instance
        and side_shapes.side = summed.side
        and side_shapes.reading = summed.reading
    left join read_optional_instances as read_optional
        on contexts.report_id = read_optional.report_id
        and contexts.rule_id = read_optional.rule_id
        and contexts.context_key = read_optional.context_key
        and side_shapes.instance = read_optional.instance
    where side_shapes.is_optional = 0 or read_optional.report_id is not null
),

-- each term of the sides that cannot be assessed, with its status (few sides)
terms_of_unassessable_sides as (
    select
        sides.report_id,
        sides.rule_id,
        sides.instance,
        sides.context_key,
        sides.side,
        sides.reading,
        labels.position,
        labels.term_label,
        case labels.term_kind
            when 'cell' then {{ cell_term_status('cells', 'labels.rule_id') }}
            when 'fact' then case when facts.value is null then 'missing' else 'number' end
            when 'measure' then case when measures.measure_value is null then 'missing' else 'number' end
            else 'number'
        end as term_status
    from sides
    inner join labels
        on sides.template = labels.template
        and sides.rule_id = labels.rule_id
        and sides.instance = labels.instance
        and sides.side = labels.side
        and sides.reading = labels.reading
    left join cells
        on labels.term_kind = 'cell'
        and labels.term_ref = cells.cell_code
        and cells.report_id = case
            when labels.year_offset = -1 then sides.compared_report_id
            else sides.report_id
        end
    left join facts
        on labels.term_kind = 'fact'
        and sides.report_id = facts.report_id
        and sides.fact_index = facts.fact_index
    left join measures
        on labels.term_kind = 'measure'
        and sides.report_id = measures.report_id
        and labels.term_ref = measures.measure_name
    where not sides.is_side_assessable
),

-- the terms that keep a side from being assessed, named with their status
unassessable_terms as (
    select
        terms.report_id,
        terms.rule_id,
        terms.instance,
        terms.context_key,
        terms.side,
        terms.reading,
        {{ dbt.listagg(
            dbt.concat(["terms.term_label", "'='", "terms.term_status"]),
            "', '",
            "order by terms.position"
        ) }} as unassessable_terms
    from terms_of_unassessable_sides as terms
    left join statuses
        on terms.term_status = statuses.value_status
    where not coalesce(statuses.is_assessable, false)
    group by
        terms.report_id, terms.rule_id, terms.instance, terms.context_key, terms.side,
        terms.reading
)

select
    sides.report_id,
    sides.batch_id,
    sides.template,
    sides.rule_id,
    sides.instance,
    sides.context_key,
    sides.compared_report_id,
    sides.fact_index,
    sides.side,
    sides.reading,
    side_shapes.reading_label_zh,
    side_shapes.reading_label_en,
    side_shapes.side_terms,
    sides.side_value,
    sides.is_side_assessable,
    unassessable_terms.unassessable_terms
from sides
inner join side_shapes
    on sides.template = side_shapes.template
    and sides.rule_id = side_shapes.rule_id
    and sides.instance = side_shapes.instance
    and sides.side = side_shapes.side
    and sides.reading = side_shapes.reading
left join unassessable_terms
    on sides.report_id = unassessable_terms.report_id
    and sides.rule_id = unassessable_terms.rule_id
    and sides.instance = unassessable_terms.instance
    and sides.context_key = unassessable_terms.context_key
    and sides.side = unassessable_terms.side
    and sides.reading = unassessable_terms.reading
