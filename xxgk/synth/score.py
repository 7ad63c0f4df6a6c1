"""Detection quality and parse accuracy: a checked warehouse against corpus manifests.

Detection, per rule: the findings (`checks.findings`) against the instances the manifest says
must fail, matched on (report, rule, instance): recall = matched / expected, precision =
matched / found. Blank-vs-0 faults are scored as their own line: the instances the manifest says
must be not assessable against those `fct_rule_checks` holds not assessable (and never failed).
Parse accuracy, per form: the cells the warehouse holds equal to what was written (value and
status), and the reports whose narrative facts all came out as stated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

NOT_ASSESSABLE = "not assessable (blank vs 0)"


@dataclass(frozen=True)
class Detection:
    rule_id: str
    expected: int
    found: int
    matched: int

    @property
    def recall(self) -> float | None:
        return self.matched / self.expected if self.expected else None

    @property
    def precision(self) -> float | None:
        return self.matched / self.found if self.found else None


@dataclass(frozen=True)
class Accuracy:
    form: str
    reports: int
    cells: int
    cells_equal: int
    facts_equal: int  # reports whose narrative facts all match

    @property
    def cell_accuracy(self) -> float:
        return self.cells_equal / self.cells if self.cells else 1.0


@dataclass(frozen=True)
class Score:
    detection: list[Detection]  # per rule, then the not-assessable line
    accuracy: list[Accuracy]  # per form

    @property
    def perfect(self) -> bool:
        return all(d.matched == d.expected == d.found for d in self.detection) and all(
            a.cells_equal == a.cells and a.facts_equal == a.reports for a in self.accuracy
        )


_DETECTION = """
with
expected as (
    select distinct report_id, rule_id, instance from manifest_expected where status = ?
),
found as ({found}),
joined as (
    select coalesce(e.rule_id, f.rule_id) as rule_id, e.report_id is not null as is_expected,
        f.report_id is not null as is_found
    from expected as e
    full join found as f using (report_id, rule_id, instance)
)
select rule_id, count(*) filter (where is_expected), count(*) filter (where is_found),
    count(*) filter (where is_expected and is_found)
from joined group by rule_id order by rule_id
"""
_FINDINGS = "select distinct report_id, rule_id, instance from checks.findings"
_UNASSESSED = """
    select report_id, rule_id, instance from fct_rule_checks group by all
    having bool_or(status = 'not_assessable') and not bool_or(status = 'fail')
"""
_CELLS = """
select m.form, count(distinct m.report_id), count(*),
    count(*) filter (
        where c.value_status = t.status
        and (t.value is null and c.value is null or abs(t.value - c.value) < 1e-6)
    )
from manifest_cells as t
inner join manifest_reports as m using (report_id)
left join fct_disclosure_cells as c using (report_id, cell_code)
group by m.form order by m.form
"""
_FACTS = """
with
stated as (select report_id, fact_name, value, count(*) as n from manifest_facts group by all),
read as (select report_id, fact_name, value, count(*) as n from fct_narrative_facts group by all),
wrong as (
    select distinct coalesce(s.report_id, r.report_id) as report_id
    from stated as s full join read as r using (report_id, fact_name, value)
    where s.n is distinct from r.n
)
select m.form, count(*) filter (where m.report_id not in (select report_id from wrong))
from manifest_reports as m group by m.form
"""


def score(corpora: Sequence[Path], warehouse: Path) -> Score:
    """Score the warehouse (after `xxgk run`) against the manifests of `corpora`."""
    manifests = [c / "manifest" for c in corpora]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for name, read in (
            ("reports", "read_csv({}, header = true, all_varchar = true)"),
            ("expected", "read_csv({}, header = true, all_varchar = true)"),
            ("cells", "read_parquet({})"),
            ("facts", "read_parquet({})"),
        ):
            suffix = ".csv" if name in ("reports", "expected") else ".parquet"
            files = [str(m / f"{name}{suffix}") for m in manifests]
            con.execute(f"create temp view manifest_{name} as select * from {read.format(files)}")
        rows = con.execute(_DETECTION.format(found=_FINDINGS), ["fail"]).fetchall()
        detection = [Detection(*row) for row in rows]
        rows = con.execute(_DETECTION.format(found=_UNASSESSED), ["not_assessable"]).fetchall()
        detection.append(Detection(NOT_ASSESSABLE, *(sum(r[k] for r in rows) for k in (1, 2, 3))))
        facts = dict(con.execute(_FACTS).fetchall())
        accuracy = [
            Accuracy(form, reports, cells, equal, facts.get(form, 0))
            for form, reports, cells, equal in con.execute(_CELLS).fetchall()
        ]
    return Score(detection, accuracy)
