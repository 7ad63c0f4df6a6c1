"""The ground truth: every rule of the catalog evaluated in plain Python on what the generator
wrote, for one body's reports at a time (every rule's context, the year before or another report
of the same year, is the same body's).

An instance is checked in each of its contexts (the report; each narrative fact it compares; each
report of the same body for the year before): it fails when, in some context, every side is
assessable and no reading matches; it is not assessable when, in some context, an input is a
blank, a mark or invalid text (never read as 0). Only failed and not-assessable instances are
returned: those are what the checks must find and must not find.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from xxgk.synth.model import SynthReport
from xxgk.template.rules import Rule, RuleInstance, Term, load_rules

TEMPLATE = "2021"
ASSESSABLE = frozenset(("number", "zero"))
TOLERANCE = 1e-6


@dataclass(frozen=True)
class Outcome:
    key: str  # the report (SynthReport.key)
    rule_id: str
    instance: str
    status: str  # fail | not_assessable
    cells: tuple[str, ...]  # the cells, facts and measures the instance reads


@cache
def _instances() -> tuple[tuple[Rule, RuleInstance, tuple[str, ...]], ...]:
    out = []
    for rule in load_rules():
        for inst in rule.instances(TEMPLATE):
            if not inst.optional:  # the 小计 column: no synthetic report has it
                labels = (_label(t) for t in inst.terms if t.kind != "constant")
                out.append((rule, inst, tuple(dict.fromkeys(labels))))
    return tuple(out)


def _label(t: Term) -> str:
    text = t.ref if t.kind == "cell" else f"{t.kind}:{t.ref}"
    return f"prev:{text}" if t.year_offset else text


def _side(
    terms: Sequence[Term],
    report: SynthReport,
    previous: SynthReport | None,
    fact: float | None,
    measures: dict[str, float],
) -> float | None:
    total = 0.0
    for t in terms:
        if t.kind == "cell":
            cell = (previous if t.year_offset else report).cells[t.ref]  # type: ignore[union-attr]
            if cell.status not in ASSESSABLE:
                return None
            value = float(cell.value)  # type: ignore[arg-type]
        elif t.kind == "fact":
            value = fact  # type: ignore[assignment]
        elif t.kind == "measure":
            value = measures[t.ref]
        else:
            value = t.constant  # type: ignore[assignment]
        total += t.sign * value
    return total


def _status(
    inst: RuleInstance,
    report: SynthReport,
    previous: SynthReport | None,
    fact: float | None,
    measures: dict[str, float],
) -> str:
    lhs = _side(inst.lhs, report, previous, fact, measures)
    rhs = [_side(r.terms, report, previous, fact, measures) for r in inst.readings]
    if any(abs(lhs - v) <= TOLERANCE for v in rhs if v is not None and lhs is not None):
        return "pass"
    if lhs is None or any(v is None for v in rhs):
        return "not_assessable"
    return "fail"


def evaluate(reports: Sequence[SynthReport]) -> list[Outcome]:
    """Failed and not-assessable rule instances of one body's reports."""
    by_year: dict[int, list[SynthReport]] = defaultdict(list)
    for r in reports:
        by_year[r.year].append(r)
    out: list[Outcome] = []
    for report in reports:
        measures = {
            "required_cells_not_read": float(
                sum(c.status == "invalid" for c in report.cells.values())
            ),
            "reports_for_body_year": float(len(by_year[report.year])),
        }
        for rule, inst, labels in _instances():
            fact_name = next((t.ref for t in inst.lhs if t.kind == "fact"), None)
            if rule.compares_years:
                contexts = [(p, None) for p in by_year.get(report.year - 1, [])]
            elif fact_name:
                contexts = [(None, f.value) for f in report.facts if f.name == fact_name]
            else:
                contexts = [(None, None)]
            statuses = {_status(inst, report, p, f, measures) for p, f in contexts}
            status = next((s for s in ("fail", "not_assessable") if s in statuses), None)
            if status:
                out.append(Outcome(report.key, rule.id, inst.instance, status, labels))
    return out
