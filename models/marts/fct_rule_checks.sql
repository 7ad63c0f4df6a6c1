-- One row per report × rule × instance × context: both sides (valued in
-- int_rule_sides_valued, which never reads a blank, a mark or an absent cell as 0), the
-- difference, and the status. With several readings of the right-hand side the instance passes
-- if any reading matches, fails only when every reading is assessable and none matches, and is
-- not_assessable otherwise. Built by report like int_rule_sides_valued
-- (macros/incremental.sql).

{{ config_built_by_report() }}

with

reports as (
    select * from {{ ref('dim_reports') }}
),

sides as (
    select * from {{ ref('int_rule_sides_valued') }}
    {%- if is_incremental() %}
    where report_id in ({{ reports_to_rebuild() }})
    {%- endif %}
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
        case when lhs.is_side_assessable then lhs.side_value end as lhs,
        case when rhs.is_side_assessable then rhs.side_value end as rhs,
        case
            when lhs.unassessable_terms is null then rhs.unassessable_terms
            when rhs.unassessable_terms is null then lhs.unassessable_terms
            else {{ dbt.concat(["lhs.unassessable_terms", "', '", "rhs.unassessable_terms"]) }}
        end as unassessable_inputs,
        case
            when not lhs.is_side_assessable or not rhs.is_side_assessable then 'not_assessable'
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
        reports.batch_id,
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
