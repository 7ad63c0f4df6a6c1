-- Every rule of the catalog has, for each format it applies to, terms on both sides.

with

rules as (
    select rule_id, formats from {{ ref('rules') }}
),

formats as (
    select distinct template from {{ ref('template_cells') }}
),

expected as (
    select rules.rule_id, formats.template
    from rules
    cross join formats
    where {{ dbt.position("formats.template", "rules.formats") }} > 0
),

sides as (
    select rule_id, template, count(distinct side) as side_count
    from {{ ref('rule_terms') }}
    group by rule_id, template
)

select expected.rule_id, expected.template
from expected
left join sides
    on expected.rule_id = sides.rule_id
    and expected.template = sides.template
where coalesce(sides.side_count, 0) <> 2
