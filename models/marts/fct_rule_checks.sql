-- One row per report × rule × instance × context: both sides summed from their terms, the
-- difference, and the status. A side with any input that is not a number or a reported zero
-- (blank, mark, invalid, missing) is not assessable: it is never read as 0. With several
-- readings of the right-hand side the instance passes if any reading matches, fails only when
-- every reading is assessable and none matches, and is not_assessable otherwise.
-- Instances bound to an optional column (小计) are dropped where the report has none of its cells.

with

terms as (
    select
        valued.*,
        coalesce(statuses.is_assessable, false) as is_assessable,
        {{ dbt.concat([
            "case when valued.sign < 0 then '-' else '' end",
            "case when valued.year_offset = -1 then 'prev:' else '' end",
            "case when valued.term_kind = 'constant' then cast(valued.term_value as " ~ dbt.type_string() ~ ") else valued.term_ref end",
        ]) }} as term_label
    from {{ ref('int_rule_terms_valued') }} as valued
    left join {{ ref('ref_value_statuses') }} as statuses
        on valued.term_status = statuses.value_status
),

present_instances as (
    select report_id, rule_id, instance, context_key
    from terms
    group by report_id, rule_id, instance, context_key
    having
        max(case when is_optional then 1 else 0 end) = 0
        or sum(case when is_on_optional_column and term_status <> 'missing' then 1 else 0 end) > 0
),

sides as (
    select
        terms.report_id,
        terms.rule_id,
        terms.instance,
        terms.context_key,
        terms.side,
        terms.reading,
        max(terms.reading_label_zh) as reading_label_zh,
        max(terms.reading_label_en) as reading_label_en,
        max(terms.compared_report_id) as compared_report_id,
        max(terms.fact_index) as fact_index,
        sum(terms.sign * terms.term_value) as side_value,
        min(case when terms.is_assessable then 1 else 0 end) as is_side_assessable,
        {{ dbt.listagg("terms.term_label", "' + '", "order by terms.term_position") }} as side_terms,
        {{ dbt.listagg(
            "case when not terms.is_assessable then "
            ~ dbt.concat(["terms.term_label", "'='", "terms.term_status"]) ~ " end",
            "', '",
            "order by terms.term_position"
        ) }} as unassessable_terms
    from terms
    inner join present_instances
        on terms.report_id = present_instances.report_id
        and terms.rule_id = present_instances.rule_id
        and terms.instance = present_instances.instance
        and terms.context_key = present_instances.context_key
    group by
        terms.report_id, terms.rule_id, terms.instance, terms.context_key, terms.side, terms.reading
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

reports as (
    select * from {{ ref('dim_reports') }}
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
