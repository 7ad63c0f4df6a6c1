"""One query per rule, written from the rule's expanded instances: the SQL GX runs.

The query computes the rule itself from the warehouse's cells, facts and reports, independently
of `fct_rule_checks`, and returns one row per failed instance: the report (report_id, body,
year, template), the instance, the cells involved, the left-hand side as `actual`, the primary
reading of the right-hand side as `expected` and their difference. An instance is checked only
when every input is assessable: a blank, a mark, an unread cell, a missing year before or an
absent fact makes it not assessable, never a zero. With several readings it fails only when every
reading is assessable and none matches.

Instances travel in the suites as one line of text each, in the rules catalog's own term
notation: `2021 natural_person: t3.new.natural_person + t3.carried_over.natural_person =
t3.results_total.natural_person + t3.carried_forward.natural_person`; a term may be
`prev:`-prefixed (the same body's report of the year before), `fact:<name>`, `measure:<name>`
or a number, and alternative readings of the right-hand side are separated by ` | `.

Cost is linear in reports: the terms are a constant table joined once to all reports.

The SQL is the subset DuckDB and PostgreSQL share (no `group by all`, `any_value`, `if`, `::double`
or `[...]` lists; typed constants, `array[...]`, `position(... in ...)`), so one query serves
every target and both give the same rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from xxgk.template.catalog import formats
from xxgk.template.rules import RuleInstance, Term

CELLS = "fct_disclosure_cells"
FACTS = "fct_narrative_facts"
REPORTS = "dim_reports"
BODIES = "dim_bodies"
# two sums this close are equal: the values are counts and yuan amounts read from text
TOLERANCE = 1e-6
# the type of the warehouse's values (dbt.type_numeric()), for the constants of the terms
NUMERIC = "numeric(28,6)"
MEASURES = ("required_cells_not_read", "reports_for_body_year")


def _term_text(term: Term) -> str:
    return f"{term.constant:g}" if term.kind == "constant" else _label(term)


def _side_text(terms: Sequence[Term]) -> str:
    out = ""
    for i, t in enumerate(terms):
        if i:
            out += " - " if t.sign < 0 else " + "
        elif t.sign < 0:
            out += "-"
        out += _term_text(t)
    return out


def _parse_term(token: str, sign: int) -> Term:
    if token.startswith("-"):
        token, sign = token[1:], -sign
    if token[0].isdigit():
        return Term("constant", "", sign, constant=float(token))
    offset = 0
    if token.startswith("prev:"):
        token, offset = token[5:], -1
    kind, _, name = token.partition(":")
    if kind in ("fact", "measure"):
        return Term(kind, name, sign, offset)
    return Term("cell", token, sign, offset)


def _parse_side(text: str) -> tuple[Term, ...]:
    terms, sign = [], 1
    for token in text.split():
        if token in ("+", "-"):
            sign = 1 if token == "+" else -1
        else:
            terms.append(_parse_term(token, sign))
            sign = 1
    return tuple(terms)


@dataclass(frozen=True)
class CheckInstance:
    """One instance of a rule for one template format, as a suite carries it."""

    template: str
    instance: str
    lhs: tuple[Term, ...]
    readings: tuple[tuple[Term, ...], ...]  # alternatives; the first is the primary reading

    @classmethod
    def of(cls, inst: RuleInstance) -> CheckInstance:
        return cls(inst.template, inst.instance, inst.lhs, tuple(r.terms for r in inst.readings))

    @classmethod
    def parse(cls, text: str) -> CheckInstance:
        head, _, equation = text.partition(": ")
        template, instance = head.split()
        lhs, _, rhs = equation.partition(" = ")
        readings = tuple(_parse_side(r) for r in rhs.split(" | "))
        return cls(template, instance, _parse_side(lhs), readings)

    def __str__(self) -> str:
        rhs = " | ".join(_side_text(r) for r in self.readings)
        return f"{self.template} {self.instance}: {_side_text(self.lhs)} = {rhs}"

    @property
    def terms(self) -> tuple[Term, ...]:
        return self.lhs + tuple(t for r in self.readings for t in r)

    @property
    def labels(self) -> tuple[str, ...]:
        """The cells, facts and measures involved, as a finding names them."""
        return tuple(dict.fromkeys(_label(t) for t in self.terms if t.kind != "constant"))


def _lit(value: str | float | None) -> str:
    if value is None:
        return "null"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return repr(float(value))


def _number(value: float | None) -> str:
    """A term's constant typed as the warehouse's values, a null one too (PostgreSQL would read
    an untyped null in `values` as text)."""
    return f"cast({_lit(value)} as {NUMERIC})"


def _label(term: Term) -> str:
    """How a term is named among a finding's cells: its code, `prev:`-prefixed for last year."""
    text = term.ref if term.kind == "cell" else f"{term.kind}:{term.ref}"
    return f"prev:{text}" if term.year_offset else text


def _values(rows: Iterable[str], indent: str = "        ") -> str:
    return (",\n" + indent).join(rows)


def rule_query(
    rule_id: str, instances: Sequence[CheckInstance], batch: str, formats_: Sequence[str]
) -> str:
    """The query checking `instances` of rule `rule_id` (whose formats are `formats_`), with
    `{batch}` standing for the table named `batch`.

    A rule is checked in contexts, as `fct_rule_checks` names them: the report itself
    (`report`), each occurrence of the narrative fact it compares (`fact:<index>`) or each report
    of the same body for the year before (`previous:<report_id>`). Every value a term can read in
    a context (cells of the report or of the year before, a fact, a measure, a constant) is one
    `inputs` row; the small terms table picks its rows by hash join, so the cells are scanned
    once. A side is assessable when it found a value for each of its terms. A cell the parser
    inferred with this very rule is no evidence that the rule holds: it counts as no value.
    """
    terms = [t for i in instances for t in i.terms]
    kinds = {t.kind for t in terms}
    facts = sorted({t.ref for t in terms if t.kind == "fact"})
    measures = sorted({t.ref for t in terms if t.kind == "measure"})
    pairs = any(t.year_offset for t in terms)
    for inst in instances:
        in_lhs = [t for t in inst.lhs if t.kind == "fact"]
        if len(in_lhs) != sum(t.kind == "fact" for t in inst.terms) or len(in_lhs) > 1:
            raise ValueError("a narrative fact may only stand alone on the left")
    if facts and pairs:
        raise ValueError("a rule compares either a narrative fact or the year before, not both")

    # GX puts a subquery where `{batch}` stands, and PostgreSQL wants a subquery aliased, so
    # every table the query reads gets an alias
    def table(name: str) -> str:
        return "{batch}" if name == batch else name

    term_rows = [
        f"({_lit(i.template)}, {_lit(i.instance)}, {reading}, {_lit(t.kind)}, {_lit(t.ref)}, "
        f"{t.sign}, {t.year_offset}, {_number(t.constant)})"
        for i in instances
        for reading, side in enumerate((i.lhs, *i.readings))
        for t in side
    ]
    instance_rows = [
        f"({_lit(i.template)}, {_lit(i.instance)}, array[{', '.join(map(_lit, i.labels))}])"
        for i in instances
    ]
    ctes = [
        "terms (template, instance, reading, kind, ref, sign, year_offset, constant) as (\n"
        f"    values\n        {_values(term_rows)}\n)",
        "instances (template, instance, cells) as (\n"
        f"    values\n        {_values(instance_rows)}\n)",
        "term_counts as (\n"
        "    select template, instance, reading, count(*) as n_terms\n"
        "    from terms\n"
        "    group by template, instance, reading\n)",
        _reports_cte(table, with_body_key=pairs or "reports_for_body_year" in measures),
    ]
    if facts:
        ctes.append(
            "contexts as (\n"
            f"    select report_id, {_fact_key('fact_index')} as context_key\n"
            f"    from {table(FACTS)} as f\n"
            f"    where fact_name in ({', '.join(map(_lit, facts))})\n)"
        )
    elif pairs:
        ctes.append(
            "contexts as (\n"
            "    select r.report_id, 'previous:' || p.report_id as context_key,\n"
            "        p.report_id as previous_report_id\n"
            "    from reports as r\n"
            "    inner join reports as p on p.body_key = r.body_key and p.year = r.year - 1\n"
            f"    where p.template in ({', '.join(map(_lit, formats_))})\n)"
        )
    else:
        ctes.append("contexts as (\n    select report_id, 'report' as context_key from reports\n)")
    # inferred_from lists rule ids as ",id,id,"
    cell_value = (
        f"case when position({_lit(f',{rule_id},')} in c.inferred_from) > 0 then null "
        "else c.value end"
    )
    inputs = []
    if "cell" in kinds:
        inputs.append(
            f"select x.report_id, x.context_key, 0, 'cell', c.cell_code, {cell_value}\n"
            "    from contexts as x\n"
            f"    inner join {table(CELLS)} as c on c.report_id = x.report_id"
        )
    if pairs:
        inputs.append(
            f"select x.report_id, x.context_key, -1, 'cell', c.cell_code, {cell_value}\n"
            "    from contexts as x\n"
            f"    inner join {table(CELLS)} as c on c.report_id = x.previous_report_id"
        )
    if facts:
        inputs.append(
            f"select report_id, {_fact_key('fact_index')}, 0, 'fact', fact_name, value\n"
            f"    from {table(FACTS)} as f"
        )
    if measures:
        ctes += _measure_ctes(measures, table(CELLS))
        inputs.append(
            "select x.report_id, x.context_key, 0, 'measure', m.measure, m.value\n"
            "    from contexts as x\n"
            "    inner join measures as m on m.report_id = x.report_id"
        )
    if "constant" in kinds:
        inputs.append(
            f"select report_id, context_key, 0, 'constant', '', cast(null as {NUMERIC})\n"
            "    from contexts"
        )
    ctes.append(
        "inputs (report_id, context_key, year_offset, kind, ref, value) as (\n    "
        + "\n    union all\n    ".join(inputs)
        + "\n)"
    )
    ctes.append(
        "sides as (\n"
        "    select i.report_id, i.context_key, t.instance, t.reading,\n"
        "        sum(t.sign * coalesce(t.constant, i.value)) as total,\n"
        "        count(coalesce(t.constant, i.value)) = max(n.n_terms) as assessable\n"
        "    from inputs as i\n"
        "    inner join reports as r on r.report_id = i.report_id\n"
        "    inner join terms as t\n"
        "        on t.template = r.template and t.kind = i.kind and t.ref = i.ref\n"
        "        and t.year_offset = i.year_offset\n"
        "    inner join term_counts as n\n"
        "        on n.template = t.template and n.instance = t.instance and n.reading = t.reading\n"
        "    group by i.report_id, i.context_key, t.instance, t.reading\n)"
    )
    # assessable only when the left side and every reading were found with every value
    ctes.append(
        "checked as (\n"
        "    select l.report_id, l.context_key, l.instance, l.total as actual,\n"
        "        max(r.total) filter (where r.reading = 1) as expected,\n"
        "        bool_and(l.assessable and r.assessable)\n"
        "            and count(*) = max(n.n_readings) as assessable,\n"
        f"        bool_or(abs(l.total - r.total) <= {TOLERANCE}) as matches\n"
        "    from sides as l\n"
        "    inner join sides as r\n"
        "        on r.report_id = l.report_id and r.context_key = l.context_key\n"
        "        and r.instance = l.instance and r.reading > 0\n"
        "    inner join reports as p on p.report_id = l.report_id\n"
        "    inner join (\n"
        "        select template, instance, max(reading) as n_readings\n"
        "        from terms\n"
        "        group by template, instance\n"
        "    ) as n on n.template = p.template and n.instance = l.instance\n"
        "    where l.reading = 0\n"
        "    group by l.report_id, l.context_key, l.instance, l.total\n)"
    )
    extra, joins = "", ""
    if facts:
        extra = ", f.sentence as fact_sentence, f.source_locator as fact_locator"
        joins = (
            f"\ninner join {table(FACTS)} as f\n"
            f"    on f.report_id = k.report_id and {_fact_key('f.fact_index')} = k.context_key"
        )
    return (
        "with\n"
        + ",\n".join(ctes)
        + "\nselect r.report_id, r.body, r.year, r.template, k.instance, k.context_key,\n"
        # doubles, not decimals: GX converts every decimal it fetches with a slow stack walk
        "    i.cells, cast(k.actual as double precision) as actual,\n"
        "    cast(k.expected as double precision) as expected,\n"
        f"    cast(k.actual - k.expected as double precision) as difference{extra}\n"
        "from checked as k\n"
        "inner join reports as r on r.report_id = k.report_id\n"
        "inner join instances as i on i.template = r.template and i.instance = k.instance"
        + joins
        + "\nwhere k.assessable and not k.matches\n"
        "order by r.report_id, k.instance, k.context_key"
    )


def _fact_key(index: str) -> str:
    """The context of a narrative fact: `fact:<index>`."""
    return f"'fact:' || cast({index} as varchar)"


def _reports_cte(table: Callable[[str], str], with_body_key: bool) -> str:
    """Reports with their year and, where a rule compares bodies, the body's normalised name."""
    if not with_body_key:
        return (
            "reports as (\n"
            "    select report_id, body, report_year as year, template\n"
            f"    from {table(REPORTS)} as r\n)"
        )
    return (
        "reports as (\n"
        "    select r.report_id, r.body, r.report_year as year, r.template,\n"
        "        b.body_name_normalised as body_key\n"
        f"    from {table(REPORTS)} as r\n"
        f"    left join {table(BODIES)} as b on b.body_id = r.body_id\n)"
    )


def _measure_ctes(names: list[str], cells: str) -> list[str]:
    """The warehouse's per-report measures, computed here again from the cells and reports."""
    parts = []
    ctes = []
    if "required_cells_not_read" in names:
        required = " union all\n    ".join(
            f"select {_lit(code)} as template, unnest(array["
            + ", ".join(_lit(c.code) for c in fmt.required_cells)
            + "]) as cell_code"
            for code, fmt in formats().items()
        )
        ctes.append(f"required_cells as (\n    {required}\n)")
        parts.append(
            "select r.report_id, 'required_cells_not_read' as measure,\n"
            "        cast(count(*) filter (\n"
            "            where c.value_status is null or c.value_status in ('missing', 'invalid')\n"
            "        ) as double precision) as value\n"
            "    from reports as r\n"
            "    inner join required_cells as q on q.template = r.template\n"
            f"    left join {cells} as c\n"
            "        on c.report_id = r.report_id and c.cell_code = q.cell_code\n"
            "    group by r.report_id"
        )
    if "reports_for_body_year" in names:
        parts.append(
            "select report_id, 'reports_for_body_year' as measure,\n"
            "        cast(count(*) over (partition by body_key, year) as double precision)\n"
            "            as value\n"
            "    from reports\n"
            "    where body_key is not null and year is not null"
        )
    unknown = set(names) - set(MEASURES)
    if unknown:
        raise ValueError(f"no SQL for measures {sorted(unknown)}")
    ctes.append("measures as (\n    " + "\n    union all\n    ".join(parts) + "\n)")
    return ctes
