"""A synthetic warehouse in the contract's shapes, for the GX tests and the performance check.

Every report is generated consistent with every rule of the catalog (Table 3 balances, totals
add up, Table 4 blocks add up, the narrative quotes the tables, carried-over equals last year's
carried-forward, documents in force follow issued and repealed); tests then break chosen cells.
"""

from __future__ import annotations

import json
import random
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd
from conftest import run_cli

from xxgk.template.catalog import get_format
from xxgk.template.rules import load_rules

APPLICANTS = ("natural_person", "commercial", "research", "social_welfare", "legal_service")
APPLICANTS += ("other_org",)
T4_RESULTS = ("upheld", "corrected", "other", "pending")


@dataclass(frozen=True)
class Report:
    report_id: str
    body: str
    year: int

    @property
    def template(self) -> str:
        return "2021" if self.year >= 2021 else "2019"


def report_values(
    report: Report, rng: random.Random, prev: dict[str, float] | None
) -> dict[str, float]:
    """Every cell of the report's format, consistent with the rules (and with last year's)."""
    fmt = get_format(report.template)
    t3 = fmt.table("t3")
    outcomes = [r.code for r in t3.rows if r.outcome]
    v: dict[str, float] = {}
    for col in APPLICANTS:
        for row in outcomes:
            v[f"t3.{row}.{col}"] = float(rng.choice((0, 0, 0, 1, 2, 5, 13)))
        results = sum(v[f"t3.{row}.{col}"] for row in outcomes)
        v[f"t3.results_total.{col}"] = results
        carried_over = prev[f"t3.carried_forward.{col}"] if prev else float(rng.randint(0, 3))
        forward = float(rng.randint(0, 3))
        new = results + forward - carried_over
        if new < 0:  # keep `new` a count: carry more forward instead
            forward, new = forward - new, 0.0
        v[f"t3.carried_over.{col}"] = carried_over
        v[f"t3.carried_forward.{col}"] = forward
        v[f"t3.new.{col}"] = new
    for row in t3.rows:
        v[f"t3.{row.code}.total"] = sum(v[f"t3.{row.code}.{c}"] for c in APPLICANTS)
    for block in ("review", "suit_direct", "suit_after_review"):
        for col in T4_RESULTS:
            v[f"t4.{block}.{col}"] = float(rng.randint(0, 4))
        v[f"t4.{block}.total"] = sum(v[f"t4.{block}.{c}"] for c in T4_RESULTS)
    for cell in fmt.table("t2").rows:
        for col in fmt.table("t2").row_columns(cell):
            v[f"t2.{cell.code}.{col.code}"] = float(rng.randint(0, 40))
    if report.template == "2021":
        for row in ("regulation", "normative_doc"):
            before = prev.get(f"t2.{row}.in_force") if prev else None
            base = before if before is not None else float(rng.randint(20, 90))
            issued, repealed = v[f"t2.{row}.issued"], float(rng.randint(0, 5))
            v[f"t2.{row}.repealed"] = repealed
            v[f"t2.{row}.in_force"] = base + issued - repealed
    return v


def report_facts(v: dict[str, float]) -> dict[str, float]:
    return {
        "applications_received": v["t3.new.total"],
        "applications_handled": v["t3.results_total.total"],
        "applications_carried_forward": v["t3.carried_forward.total"],
        "admin_review_cases": v["t4.review.total"],
        "admin_suit_cases": v["t4.suit_direct.total"] + v["t4.suit_after_review.total"],
    }


@dataclass
class Warehouse:
    """The synthetic warehouse before it is written: break cells, then `write` it."""

    reports: list[Report]
    values: dict[str, dict[str, float | None]]  # report_id -> cell code -> value
    statuses: dict[tuple[str, str], str]  # (report_id, cell code) -> status other than number
    facts: list[tuple[str, str, float, str]]  # report_id, fact_name, value, locator
    inferred: dict[tuple[str, str], tuple[str, ...]]  # (report_id, cell code) -> rule ids

    def set(self, report_id: str, code: str, value: float | None, status: str = "") -> None:
        self.values[report_id][code] = value
        if status:
            self.statuses[(report_id, code)] = status

    def write(self, path: Path) -> Path:
        """The warehouse as a DuckDB file, tables and columns named as the dbt marts name them."""
        by_id = {r.report_id: r for r in self.reports}
        body_ids = {r.body: f"b{i:05d}" for i, r in enumerate(self.reports)}
        cells = []
        for rid, values in self.values.items():
            r = by_id[rid]
            for code, value in values.items():
                table, row, col = code.split(".")
                status = self.statuses.get((rid, code)) or ("zero" if value == 0 else "number")
                raw = None if status == "missing" else ("/" if value is None else f"{value:g}")
                head = (rid, code, body_ids[r.body], r.body, r.template, table, row, col)
                where = f"{table} {row} {col}"
                rules = self.inferred.get((rid, code))
                method, inferred_from = (
                    ("inferred", f",{','.join(rules)},") if rules else ("read", "")
                )
                cells.append((*head, status, raw, where, method, inferred_from, r.year, value))
        frames = {
            "fct_disclosure_cells": pd.DataFrame(
                cells,
                columns=[
                    "report_id",
                    "cell_code",
                    "body_id",
                    "body",
                    "template",
                    "table_code",
                    "row_code",
                    "column_code",
                    "value_status",
                    "raw_text",
                    "source_locator",
                    "value_method",
                    "inferred_from",
                    "report_year",
                    "value",
                ],
            ),
            "dim_reports": pd.DataFrame(
                [
                    (r.report_id, body_ids[r.body], r.body, r.template, r.report_id, r.year, 0)
                    for r in self.reports
                ],
                columns=[
                    "report_id",
                    "body_id",
                    "body",
                    "template",
                    "source_path",
                    "report_year",
                    "problem_count",
                ],
            ),
            "dim_bodies": pd.DataFrame(
                [(i, body, body) for body, i in body_ids.items()],
                columns=["body_id", "body_name", "body_name_normalised"],
            ),
            "fct_narrative_facts": pd.DataFrame(
                [
                    (rid, name, "件", f"共{value:g}件。", where, index, value)
                    for index, (rid, name, value, where) in enumerate(self.facts)
                ],
                columns=[
                    "report_id",
                    "fact_name",
                    "unit",
                    "sentence",
                    "source_locator",
                    "fact_index",
                    "value",
                ],
            ),
        }
        path.unlink(missing_ok=True)
        with duckdb.connect(str(path)) as con:
            for name, frame in frames.items():
                con.register("frame", frame)
                con.execute(f"create table {name} as select * from frame")
                con.unregister("frame")
        return path


def build(n_bodies: int, years: tuple[int, ...] = (2020, 2021, 2022), seed: int = 7) -> Warehouse:
    """`n_bodies` bodies, each with one consistent report per year."""
    rng = random.Random(seed)
    reports, values, facts = [], {}, []
    for b in range(n_bodies):
        prev = None
        for year in years:
            report = Report(f"r{b:05d}_{year}", f"机关{b:05d}", year)
            v = report_values(report, rng, prev)
            reports.append(report)
            values[report.report_id] = dict(v)
            facts += [
                (report.report_id, name, value, "paragraph 2")
                for name, value in report_facts(v).items()
            ]
            prev = v
    return Warehouse(reports, values, {}, facts, {})


def _assessable(w: Warehouse, rid: str, code: str, rule_id: str) -> float | None:
    if rule_id in w.inferred.get((rid, code), ()):
        return None  # inferred with this very rule: no evidence that it holds
    value = w.values.get(rid, {}).get(code)
    return None if w.statuses.get((rid, code)) == "missing" else value


def reference_failures(w: Warehouse) -> set[tuple[str, str, str, str]]:
    """(report_id, rule_id, instance, context) of every failed rule instance, computed in plain
    Python from the rules catalog: an independent reading of the rules to hold the SQL to."""
    by_body_year: dict[tuple[str, int], list[Report]] = {}
    for r in w.reports:
        by_body_year.setdefault((r.body, r.year), []).append(r)
    facts: dict[str, list[tuple[str, float]]] = {}
    for index, (rid, name, value, _) in enumerate(w.facts):
        facts.setdefault(rid, []).append((f"fact:{index}", name, value))
    failed = set()
    for report in w.reports:
        fmt = get_format(report.template)
        measures = {
            "required_cells_not_read": sum(
                c.code not in w.values[report.report_id]
                or w.statuses.get((report.report_id, c.code)) in ("missing", "invalid")
                for c in fmt.required_cells
            ),
            "reports_for_body_year": len(by_body_year[(report.body, report.year)]),
        }
        for rule in load_rules():
            for inst in rule.instances(report.template):
                if rule.compares_years:
                    contexts = [
                        (f"previous:{p.report_id}", p.report_id, None)
                        for p in by_body_year.get((report.body, report.year - 1), [])
                        if p.template in rule.formats
                    ]
                elif any(t.kind == "fact" for t in inst.lhs):
                    name = next(t.ref for t in inst.lhs if t.kind == "fact")
                    contexts = [
                        (key, None, value)
                        for key, fact, value in facts.get(report.report_id, [])
                        if fact == name
                    ]
                else:
                    contexts = [("report", None, None)]
                for key, prev, fact in contexts:

                    def side(
                        terms, prev=prev, fact=fact, measures=measures, report=report, rule=rule
                    ):
                        total = 0.0
                        for t in terms:
                            if t.kind == "cell":
                                rid = prev if t.year_offset else report.report_id
                                v = _assessable(w, rid, t.ref, rule.id)
                            elif t.kind == "fact":
                                v = fact
                            elif t.kind == "measure":
                                v = measures[t.ref]
                            else:
                                v = t.constant
                            if v is None:
                                return None
                            total += t.sign * v
                        return total

                    lhs = side(inst.lhs)
                    rhs = [side(r.terms) for r in inst.readings]
                    assessable = lhs is not None and all(v is not None for v in rhs)
                    if assessable and all(abs(lhs - v) > 1e-6 for v in rhs):
                        failed.add((report.report_id, rule.id, inst.instance, key))
    return failed


def faulty_warehouse() -> tuple[Warehouse, set[tuple[str, str, str, str]]]:
    """A small warehouse with one fault of each kind the checks must catch or must not count,
    and the findings those faults must produce (the reference finds these and no others)."""
    w = build(4)
    v = w.values
    v["r00001_2021"]["t3.new.natural_person"] += 2  # breaks the balance and the row total
    w.set("r00002_2022", "t3.granted.commercial", None, "blank")  # not assessable, not 0
    w.set("r00002_2022", "t4.suit_direct.other", None, "mark")
    w.facts.append(("r00000_2022", "admin_review_cases", 99.0, "paragraph 9"))
    v["r00003_2021"]["t3.carried_over.research"] += 1  # last year carried forward less
    v["r00003_2021"]["t3.new.research"] -= 1  # ... and the year itself still balances
    v["r00003_2021"]["t3.carried_over.total"] += 1
    v["r00003_2021"]["t3.new.total"] -= 1
    v["r00000_2021"]["t4.review.pending"] = -1.0  # a negative count
    v["r00001_2022"]["t2.regulation.in_force"] += 3  # in force does not follow
    w.set("r00002_2020", "t3.new.research", None, "missing")  # a required cell not read
    w.set("r00000_2020", "t2.penalty.decisions", None, "unreadable")  # not a known status
    for row in ("new", "granted"):  # the optional 小计 column, wrong in one row
        cells = v["r00000_2022"]
        subtotal = sum(cells[f"t3.{row}.{c}"] for c in APPLICANTS[1:])
        cells[f"t3.{row}.legal_person_subtotal"] = subtotal + (row == "granted")
    # a total the parser inferred from the column sums: no evidence for that rule, still for others
    v["r00002_2021"]["t3.results_total.legal_service"] += 4
    w.inferred[("r00002_2021", "t3.results_total.legal_service")] = ("t3_results_total",)
    twin = Report("r00003_2022b", "机关00003", 2022)  # a second report of one body and year
    w.reports.append(twin)
    v[twin.report_id] = dict(v["r00003_2022"])
    must = {
        ("r00001_2021", "t3_balance", "natural_person", "report"),
        ("r00001_2021", "t3_row_total", "new", "report"),
        ("r00000_2022", "narrative_admin_review_cases", "report", f"fact:{len(w.facts) - 1}"),
        ("r00003_2021", "cross_year_carried_over", "research", "previous:r00003_2020"),
        ("r00000_2021", "t4_block_total", "review", "report"),
        ("r00001_2022", "cross_year_in_force", "regulation", "previous:r00001_2021"),
        ("r00002_2020", "completeness_required_cells_read", "report", "report"),
        ("r00000_2022", "t3_row_legal_person_subtotal", "granted", "report"),
        ("r00003_2022", "completeness_one_report_per_body_year", "report", "report"),
        ("r00003_2022b", "completeness_one_report_per_body_year", "report", "report"),
        ("r00002_2021", "t3_row_total", "results_total", "report"),
    }
    return w, must


@dataclass(frozen=True)
class Checked:
    """A faulty warehouse after `xxgk check` ran on it (dbt docs included)."""

    home: Path
    proc: subprocess.CompletedProcess[str]
    warehouse: Warehouse
    must: set[tuple[str, str, str, str]]  # findings the faults must produce
    reference: set[tuple[str, str, str, str]]  # every rule failure, evaluated in Python

    @property
    def findings(self) -> dict:
        return json.loads((self.home / "findings.json").read_text("utf-8"))

    @property
    def site(self) -> Path:
        return self.home / "data_docs"


@cache
def checked(base: Path) -> Checked:
    """`xxgk check` on the faulty warehouse, once per session whichever module asks first."""
    home = base / "checked-home"
    home.mkdir()
    w, must = faulty_warehouse()
    w.write(home / "xxgk.duckdb")
    proc = run_cli("check", "--home", home)
    return Checked(home, proc, w, must, reference_failures(w))
