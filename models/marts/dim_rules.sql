with

rules as (
    select * from {{ ref('rules') }}
),

final as (
    select
        ----------  ids
        rule_id,

        ----------  strings
        family,
        kind,
        severity,
        scope,
        formats,
        lhs,
        rhs,
        description_zh,
        description_en,

        ----------  numerics
        reading_count,
        position,

        ----------  booleans
        is_official

    from rules
)

select * from final
