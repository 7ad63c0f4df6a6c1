with

catalog as (
    select * from {{ ref('template_cells') }}
),

final as (
    select
        ----------  ids
        {{ dbt.concat(["template", "':'", "cell_code"]) }} as cell_id,
        cell_code,

        ----------  strings
        template,
        table_code,
        row_code,
        column_code,
        table_label,
        row_group,
        row_label,
        row_label_en,
        column_label,
        column_label_en,
        value_kind,

        ----------  numerics
        position,

        ----------  booleans
        is_outcome,
        is_optional

    from catalog
)

select * from final
