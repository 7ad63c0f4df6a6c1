"""The rules catalog: rules.yaml loaded into typed, read-only objects and expanded to instances.

A `Rule` is declared once with cell-code patterns; `Rule.instances(template)` expands it for one
template format into `RuleInstance`s whose sides are lists of concrete `Term`s (a cell code, a
narrative fact, a warehouse measure or a constant, each with a sign and a year offset). The dbt
seeds and the GX suites are both generated from these expansions, so a rule means the same thing
everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import product
from typing import Any

import yaml

from xxgk.template.catalog import TemplateFormat, formats, get_format

FAMILIES = ("table2", "table3", "table4", "narrative", "cross_year", "completeness")
KINDS = ("identity", "narrative", "cross_year", "completeness", "plausibility")
SEVERITIES = ("error", "warning")
SCOPES = ("per_column", "per_row", "per_block", "report", "body_year_pair", "body_year")
# counts the warehouse computes per report (models/intermediate/int_report_measures_computed.sql)
MEASURES = {
    "required_cells_not_read": "cells the report's format requires whose status is missing or "
    "invalid",
    "reports_for_body_year": "reports of the same body (normalised name) for the same year",
}
SINGLE_INSTANCE = "report"

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Term:
    kind: str  # cell | fact | measure | constant
    ref: str  # the cell code, fact name or measure name; "" for a constant
    sign: int = 1  # +1 or -1
    year_offset: int = 0  # 0: this report; -1: the same body's report of the year before
    constant: float | None = None

    def __str__(self) -> str:
        text = f"{self.constant:g}" if self.kind == "constant" else self.ref
        if self.kind in ("fact", "measure"):
            text = f"{self.kind}:{text}"
        if self.year_offset == -1:
            text = f"prev:{text}"
        return f"-{text}" if self.sign < 0 else text


@dataclass(frozen=True)
class Reading:
    """One legitimate reading of the right-hand side."""

    label_zh: str
    label_en: str
    terms: tuple[Term, ...]


@dataclass(frozen=True)
class RuleInstance:
    rule_id: str
    template: str
    instance: str  # the column, row or block code the rule was bound to, or "report"
    optional: bool  # bound to an optional column: dropped when the report lacks its cells
    lhs: tuple[Term, ...]
    readings: tuple[Reading, ...]  # alternatives; the first is the primary reading

    @property
    def rhs(self) -> tuple[Term, ...]:
        return self.readings[0].terms

    @property
    def terms(self) -> tuple[Term, ...]:
        return self.lhs + tuple(t for r in self.readings for t in r.terms)


@dataclass(frozen=True)
class ReadingPattern:
    label_zh: str
    label_en: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    id: str
    family: str
    kind: str
    severity: str
    official: bool
    scope: str
    formats: tuple[str, ...]
    description_zh: str
    description_en: str
    lhs: tuple[str, ...]  # term patterns as declared
    readings: tuple[ReadingPattern, ...]
    over: tuple[tuple[str, Any], ...] = ()  # (("table", "t3"), ("columns", "all")) or ()
    sets: tuple[tuple[str, tuple[str, ...]], ...] = ()  # the catalog's named sets

    @property
    def rhs(self) -> tuple[str, ...]:
        return self.readings[0].terms

    @property
    def compares_years(self) -> bool:
        return self.scope == "body_year_pair"

    def applies_to(self, template: str) -> bool:
        return template in self.formats

    def instances(self, template: str) -> list[RuleInstance]:
        """The rule bound to each column / row / block of one template format (none when the rule
        does not apply to it), with every pattern expanded to concrete terms."""
        if not self.applies_to(template):
            return []
        fmt = get_format(template)
        return [self._bind(fmt, var, code) for var, code in self._bindings(fmt)]

    def _bindings(self, fmt: TemplateFormat) -> list[tuple[str | None, str]]:
        over = dict(self.over)
        if not over:
            return [(None, SINGLE_INSTANCE)]
        table = fmt.table(over["table"])
        if "columns" in over:
            return [("column", c.code) for c in _pick(table.columns, over["columns"])]
        return [("row", r.code) for r in _pick(table.rows, over["rows"])]

    def _bind(self, fmt: TemplateFormat, var: str | None, code: str) -> RuleInstance:
        bound = {var: code} if var else {}
        lhs = tuple(t for p in self.lhs for t in _expand(p, fmt, bound, dict(self.sets)))
        readings = tuple(
            Reading(
                r.label_zh,
                r.label_en,
                tuple(t for p in r.terms for t in _expand(p, fmt, bound, dict(self.sets))),
            )
            for r in self.readings
        )
        cells = [t for t in (*lhs, *(t for r in readings for t in r.terms)) if t.kind == "cell"]
        optional = any(fmt.cell(t.ref).column.optional for t in cells)
        return RuleInstance(self.id, fmt.code, code, optional, lhs, readings)


def _pick(items: tuple[Any, ...], which: str | list[str]) -> list[Any]:
    if which == "all":
        return list(items)
    by_code = {i.code: i for i in items}
    return [by_code[c] for c in which]


def _expand(
    pattern: str | int | float,
    fmt: TemplateFormat,
    bound: dict[str, str],
    sets: dict[str, tuple[str, ...]],
) -> list[Term]:
    """One declared term pattern into concrete terms for a format."""
    if isinstance(pattern, int | float):
        return [Term("constant", "", constant=float(pattern))]
    text, sign, offset = pattern.strip(), 1, 0
    if text.startswith("-"):
        text, sign = text[1:], -1
    if text.startswith("prev:"):
        text, offset = text[5:], -1
    kind, _, name = text.partition(":")
    if kind in ("fact", "measure") and name:
        if kind == "measure" and name not in MEASURES:
            raise ValueError(f"unknown measure {name!r} (known: {', '.join(MEASURES)})")
        return [Term(kind, name, sign, offset)]
    table = fmt.table(text.split(".", 1)[0])
    choices: list[tuple[str, ...]] = []
    names = _PLACEHOLDER.findall(text)
    for ph in names:
        if ph in bound:
            choices.append((bound[ph],))
        elif ph == "outcome":
            choices.append(tuple(r.code for r in table.rows if r.outcome))
        elif ph in sets:
            choices.append(sets[ph])
        else:
            raise ValueError(f"pattern {pattern!r}: nothing binds {{{ph}}}")
    terms = []
    for values in product(*choices):
        code = _PLACEHOLDER.sub("{}", text).format(*values)
        _check_cell(code, fmt)
        terms.append(Term("cell", code, sign, offset))
    return terms


def _check_cell(code: str, fmt: TemplateFormat) -> None:
    try:
        fmt.cell(code)
    except KeyError:
        raise ValueError(f"{code} is not a cell of the {fmt.code} format") from None


def _rule(d: dict[str, Any], sets: dict[str, tuple[str, ...]]) -> Rule:
    if "readings" in d:
        readings = tuple(
            ReadingPattern(r["label_zh"], r["label_en"], tuple(r["rhs"])) for r in d["readings"]
        )
    else:
        readings = (ReadingPattern("", "", tuple(d["rhs"])),)
    rule = Rule(
        id=d["id"],
        family=d["family"],
        kind=d["kind"],
        severity=d["severity"],
        official=bool(d["official"]),
        scope=d["scope"],
        formats=tuple(str(f) for f in d["formats"]),
        description_zh=d["description_zh"].strip(),
        description_en=" ".join(d["description_en"].split()),
        lhs=tuple(d["lhs"]),
        readings=readings,
        over=tuple(sorted((d.get("over") or {}).items())),
        sets=tuple(sorted(sets.items())),
    )
    for field, allowed in (
        ("family", FAMILIES),
        ("kind", KINDS),
        ("severity", SEVERITIES),
        ("scope", SCOPES),
    ):
        if getattr(rule, field) not in allowed:
            raise ValueError(f"rule {rule.id}: {field} must be one of {allowed}")
    unknown = set(rule.formats) - set(formats())
    if unknown:
        raise ValueError(f"rule {rule.id}: unknown formats {sorted(unknown)}")
    for template in rule.formats:  # expanding checks every cell code against the catalog
        for inst in rule.instances(template):
            if any(t.year_offset for t in inst.terms) != rule.compares_years:
                raise ValueError(f"rule {rule.id}: prev: terms need scope body_year_pair")
    return rule


@cache
def _load() -> tuple[Rule, ...]:
    text = resources.files("xxgk.template").joinpath("rules.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)
    sets = {name: tuple(codes) for name, codes in raw.get("sets", {}).items()}
    rules = tuple(_rule(d, sets) for d in raw["rules"])
    ids = [r.id for r in rules]
    if len(ids) != len(set(ids)):
        raise ValueError("rules.yaml: duplicate rule ids")
    return rules


def load_rules() -> list[Rule]:
    """Every rule, in catalog order."""
    return list(_load())


def get_rule(rule_id: str) -> Rule:
    return next(r for r in _load() if r.id == rule_id)
