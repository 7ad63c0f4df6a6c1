{#- The status of a cell as a term of `rule_id`: a value the parser inferred by splitting glued
    digits with this very rule is no evidence that the rule holds; an absent cell is missing. -#}
{% macro cell_term_status(cells, rule_id) -%}
    case
        when {{ cells }}.inferred_from like {{ dbt.concat(["'%,'", rule_id, "',%'"]) }}
            then 'inferred_by_rule'
        else coalesce({{ cells }}.value_status, 'missing')
    end
{%- endmacro %}
