with

problems as (
    select * from {{ ref('stg_landing__problems') }}
),

final as (
    select
        ----------  ids
        {{ dbt.concat([
            "report_id", "'-'", "cast(problem_index as " ~ dbt.type_string() ~ ")"
        ]) }} as problem_id,
        report_id,
        cell_code,

        ----------  strings
        problem_kind,
        message,
        source_locator,

        ----------  numerics
        problem_index

    from problems
)

select * from final
