{#- Generic tests this project needs (no packages: `dbt deps` has no network here). -#}

{#- No two rows share the combination of `combination_of_columns`. -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
    select {{ combination_of_columns | join(', ') }}, count(*) as row_count
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}
    having count(*) > 1
{% endtest %}

{#- Every row satisfies `expression` (rows where it is false or null fail). -#}
{% test expression_is_true(model, expression) %}
    select *
    from {{ model }}
    where not coalesce({{ expression }}, false)
{% endtest %}

{#- Every (column_name, other columns) combination exists in `to` as `field` + `other_fields`. -#}
{% test relationships_multi(model, column_name, to, field, from_columns, to_columns) %}
    select child.*
    from {{ model }} as child
    left join {{ to }} as parent
        on child.{{ column_name }} = parent.{{ field }}
        {%- for c in from_columns %}
        and child.{{ c }} = parent.{{ to_columns[loop.index0] }}
        {%- endfor %}
    where child.{{ column_name }} is not null
      and parent.{{ field }} is null
{% endtest %}
