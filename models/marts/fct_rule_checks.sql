-- One row per report × rule × instance × context: both sides summed from their terms, the
-- difference, and the status. A side with any input that is not a number or a reported zero
-- (blank, mark, invalid, missing) is not assessable: it is never read as 0. With several
-- readings of the right-hand side the instance passes if any reading matches, fails only when
-- every reading is assessable and none matches, and is not_assessable otherwise.
-- Instances bound to an optional column (小计) are dropped where the report has none of its cells.

with

reports as (
    select * from {{ ref('dim_reports') }}
),

statuses as (
    select * from {{ ref('ref_value_statuses') }}
),

-- how a term is written in a side: the same for every report of a template, so labelled once
labels as (
    select
        template,
        rule_id,
        instance,
        side,
        reading,
        position as term_position,
        {{ dbt.concat([
            "case when sign < 0 then '-' else '' end",
            "case when year_offset = -1 then 'prev:' else '' end",
            "case when term_kind = 'constant' then cast(cast(constant_value as " ~ dbt.type_numeric() ~ ") as " ~ dbt.type_string() ~ ") else term_ref end",
        ]) }} as term_label
    from {{ ref('rule_terms') }}
),

side_labels as (
    select
        template,
        rule_id,
        instance,
        side,
        reading,
        {{ dbt.listagg("term_label", "' + '", "order by term_position") }} as side_terms
    from labels
    group by template, rule_id, instance, side, reading
),

-- the one pass over every term (the view is large: it is read in streaming aggregates only,
-- never held whole, so memory stays bounded)
side_values as (
    select
        valued.report_id,
        valued.rule_id,
        valued.instance,
        valued.context_key,
        valued.side,
        valued.reading,
        max(valued.template) as template,
        max(valued.reading_label_zh) as reading_label_zh,
        max(valued.reading_label_en) as reading_label_en,
        max(valued.compared_report_id) as compared_report_id,
        max(valued.fact_index) as fact_index,
        sum(valued.sign * valued.term_value) as side_value,
        min(case when statuses.is_assessable then 1 else 0 end) as is_side_assessable,
        max(case when valued.is_optional then 1 else 0 end) as is_optional,
        sum(
            case when valued.is_on_optional_column and valued.term_status <> 'missing' then 1 else 0 end
        ) as optional_cells_read
    from {{ ref('int_rule_terms_valued') }} as valued
    left join statuses
        on valued.term_status = statuses.value_status
    group by
        valued.report_id, valued.rule_id, valued.instance, valued.context_key, valued.side,
        valued.reading
),

-- instances bound to an optional column (小计) of which the report has no cell
absent_optional_instances as (
    select report_id, rule_id, instance, context_key
    from side_values
    where is_optional = 1
    group by report_id, rule_id, instance, context_key
    having sum(optional_cells_read) = 0
),

-- the inputs that keep a side from being assessed, named with their status (few rows)
unassessable_terms as (
    select
        valued.report_id,
        valued.rule_id,
        valued.instance,
        valued.context_key,
        valued.side,
        valued.reading,
        {{ dbt.listagg(
            dbt.concat(["labels.term_label", "'='", "valued.term_status"]),
            "', '",
            "order by valued.term_position"
        ) }} as unassessable_terms
    from {{ ref('int_rule_terms_valued') }} as valued
    inner join labels
        on valued.template = labels.template
        and valued.rule_id = labels.rule_id
        and valued.instance = labels.instance
        and valued.side = labels.side
        and valued.reading = labels.reading
        and valued.term_position = labels.term_position
    left join statuses
        on valued.term_status = statuses.value_status
    where not coalesce(statuses.is_assessable, false)
    group by
        valued.report_id, valued.rule_id, valued.instance, valued.context_key, valued.side,
        valued.reading
),

sides as (
    select
        side_values.*,
        side_labels.side_terms,
        unassessable_terms.unassessable_terms
    from side_values
    inner join side_labels
        on side_values.template = side_labels.template
        and side_values.rule_id = side_labels.rule_id
        and side_values.instance = side_labels.instance
        and side_values.side = side_labels.side
        and side_values.reading = side_labels.reading
    left join unassessable_terms
        on side_values.report_id = unassessable_terms.report_id
        and side_values.rule_id = unassessable_terms.rule_id
        and side_values.instance = unassessable_terms.instance
        and side_values.context_key = unassessable_terms.context_key
        and side_values.side = unassessable_terms.side
        and side_values.reading = unassessable_terms.reading
    left join absent_optional_instances as absent
        on side_values.report_id = absent.report_id
        and side_values.rule_id = absent.rule_id
        and side_values.instance = absent.instance
        and side_values.context_key = absent.context_key
    where absent.report_id is null
),

readings as (
    select
        lhs.report_id,
        lhs.rule_id,
        lhs.instance,
        lhs.context_key,
        lhs.compared_report_id,
        lhs.fact_index,
        rhs.reading,
        rhs.reading_label_zh,
        rhs.reading_label_en,
        lhs.side_terms as lhs_terms,
        rhs.side_terms as rhs_terms,
        case when lhs.is_side_assessable = 1 then lhs.side_value end as lhs,
        case when rhs.is_side_assessable = 1 then rhs.side_value end as rhs,
        case
            when lhs.unassessable_terms is null then rhs.unassessable_terms
            when rhs.unassessable_terms is null then lhs.unassessable_terms
            else {{ dbt.concat(["lhs.unassessable_terms", "', '", "rhs.unassessable_terms"]) }}
        end as unassessable_inputs,
        case
            when lhs.is_side_assessable = 0 or rhs.is_side_assessable = 0 then 'not_assessable'
            when lhs.side_value = rhs.side_value then 'pass'
            else 'fail'
        end as reading_status
    from sides as lhs
    inner join sides as rhs
        on lhs.report_id = rhs.report_id
        and lhs.rule_id = rhs.rule_id
        and lhs.instance = rhs.instance
        and lhs.context_key = rhs.context_key
        and rhs.side = 'rhs'
    where lhs.side = 'lhs'
),

ranked as (
    select
        readings.*,
        row_number() over (
            partition by report_id, rule_id, instance, context_key
            order by
                case reading_status when 'pass' then 0 when 'not_assessable' then 1 else 2 end,
                reading
        ) as reading_rank,
        sum(case when reading_status = 'pass' then 1 else 0 end) over (
            partition by report_id, rule_id, instance, context_key
        ) as passing_readings,
        sum(case when reading_status = 'not_assessable' then 1 else 0 end) over (
            partition by report_id, rule_id, instance, context_key
        ) as unassessable_readings
    from readings
),

rules as (
    select * from {{ ref('rules') }}
),

final as (
    select
        ----------  ids
        {{ dbt.hash(dbt.concat([
            "ranked.report_id", "'|'", "ranked.rule_id", "'|'", "ranked.instance", "'|'",
            "ranked.context_key"
        ])) }} as rule_check_id,
        ranked.report_id,
        ranked.rule_id,
        reports.body_id,
        ranked.compared_report_id,
        case
            when ranked.fact_index is not null
                then {{ dbt.concat([
                    "ranked.report_id", "'-'",
                    "cast(ranked.fact_index as " ~ dbt.type_string() ~ ")"
                ]) }}
        end as fact_id,

        ----------  strings
        ranked.instance,
        ranked.context_key,
        rules.family,
        rules.kind,
        rules.severity,
        rules.scope,
        reports.template,
        case
            when ranked.passing_readings > 0 then 'pass'
            when ranked.unassessable_readings > 0 then 'not_assessable'
            else 'fail'
        end as status,
        ranked.lhs_terms,
        ranked.rhs_terms,
        ranked.reading_label_zh,
        ranked.reading_label_en,
        ranked.unassessable_inputs,

        ----------  numerics
        reports.report_year,
        ranked.reading,
        ranked.lhs,
        ranked.rhs,
        ranked.lhs - ranked.rhs as difference,

        ----------  booleans
        rules.is_official

    from ranked
    inner join rules
        on ranked.rule_id = rules.rule_id
    inner join reports
        on ranked.report_id = reports.report_id
    where ranked.reading_rank = 1
)

select * from final
