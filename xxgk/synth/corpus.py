"""A province-scale corpus: every body's reports for consecutive years, written in the chosen
forms, faults injected at a known rate, and the ground-truth manifest beside them.

Deterministic from the seed: each body's values, wording, forms and faults come from generators
seeded by (seed, body), so the corpus is the same however it is split over processes, and a
corpus of more bodies or more years extends a smaller one file for file.

Layout under `out`::

    reports/<year>/<body>-<year>[-b].<ext>   the report files (-b: the same report published again)
    manifest/reports.csv     file, report_id, sha256, body, year, form, faults
    manifest/expected.csv    every rule instance that must fail (status fail) or must not be
                             assessed (not_assessable), with its cells and the faults behind it
    manifest/cells.parquet   every cell of every report as written: value and status
    manifest/facts.parquet   every figure each narrative states
    manifest/corpus.json     the spec and counts per form, fault kind and rule
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from xxgk.synth import faults, narrative
from xxgk.synth.bodies import Body, province_bodies
from xxgk.synth.model import CellText, Style, SynthReport, number_text
from xxgk.synth.render import FORMS, TEXT_FORMS, render
from xxgk.synth.truth import evaluate
from xxgk.synth.values import Values, body_years

BODIES_PER_TASK = 25
REPORT_COLUMNS = ("file", "report_id", "sha256", "key", "body", "year", "form", "faults")
EXPECTED_COLUMNS = ("file", "report_id", "rule_id", "instance", "status", "cells", "faults")
CELL_SCHEMA = pa.schema(
    [("report_id", pa.string()), ("cell_code", pa.string()), ("value", pa.float64()),
     ("status", pa.string())]
)  # fmt: skip
FACT_SCHEMA = pa.schema(
    [("report_id", pa.string()), ("fact_name", pa.string()), ("value", pa.float64())]
)


@dataclass(frozen=True)
class CorpusSpec:
    seed: int = 1
    bodies: int = 100
    first_year: int = 2021  # the 2021 format's first year; values start here
    years: int = 3
    forms: tuple[str, ...] = TEXT_FORMS
    fault_rate: float = 0.05  # share of reports given one fault
    province: str = "江苏省"
    only_year: int | None = None  # write just this year's reports (a nightly's new files)

    def __post_init__(self) -> None:
        if self.first_year < 2021:
            raise ValueError("years before 2021 use the 2019 trial format, not generated here")
        unknown = set(self.forms) - set(FORMS)
        if unknown or not self.forms:
            raise ValueError(f"forms must be among {', '.join(FORMS)}")
        if not 0 <= self.fault_rate <= 1:
            raise ValueError("fault rate must be between 0 and 1")

    @property
    def year_range(self) -> range:
        last = max(self.first_year + self.years - 1, self.only_year or 0)
        return range(self.first_year, last + 1)


@dataclass
class BodyResult:
    """What one body contributes to the manifest."""

    reports: list[dict[str, object]] = field(default_factory=list)
    expected: list[dict[str, object]] = field(default_factory=list)
    cells: dict[str, list] = field(default_factory=lambda: {n: [] for n in CELL_SCHEMA.names})
    facts: dict[str, list] = field(default_factory=lambda: {n: [] for n in FACT_SCHEMA.names})


def _attempt(
    kind: str | None, clean: Values, has_previous: bool, form: str, rnd: random.Random
) -> tuple[narrative.Figures, dict[str, CellText], Style] | None:
    """The report's stated figures, written cells and style with fault `kind` injected; None
    when the fault cannot apply to this report."""
    v = dict(clean)
    if kind in faults.VALUE_FAULTS and not faults.break_values(kind, v, has_previous, rnd):
        return None
    figures = narrative.stated_figures(v, rnd)
    if kind == "narrative":
        faults.break_figures(figures, v, rnd)
    style = Style(
        grouping=rnd.random() < 0.2,
        full_width=rnd.random() < 0.1,
        gbk=form == "html" and rnd.random() < 0.3,
    )
    cells = {code: number_text(value, style) for code, value in v.items()}
    if kind in faults.CELL_FAULTS and not faults.break_cells(kind, cells, form, rnd):
        return None
    return figures, cells, style


def body_reports(body: Body, spec: CorpusSpec) -> list[SynthReport]:
    """The body's reports for every year of the spec, faults injected, duplicates included."""
    rnd = random.Random(f"{spec.seed}:{body.index}")
    out: list[SynthReport] = []
    for k, (year, clean) in enumerate(
        zip(spec.year_range, body_years(body, spec.year_range, spec.seed), strict=True)
    ):
        form = rnd.choice(spec.forms)
        wanted = rnd.choice(faults.KINDS) if rnd.random() < spec.fault_rate else None
        fallback = [f for f in faults.KINDS if f != wanted]
        rnd.shuffle(fallback)  # another kind where the one drawn cannot apply
        kind, (figures, cells, style) = next(
            (kind, made)
            for kind in ([wanted, *fallback] if wanted else [None])
            if (made := _attempt(kind, clean, k > 0, form, rnd)) is not None
        )
        report = SynthReport(
            key=f"{body.index:06d}-{year}",
            body=body,
            year=year,
            form=form,
            cells=cells,
            overview=narrative.overview(figures, year, rnd),
            facts=narrative.facts(figures),
            style=style,
            faults=[kind] if kind else [],
        )
        out.append(report)
        if kind == "duplicate":  # published again, in another form where there is one
            others = [f for f in spec.forms if f != form] or [form]
            out.append(replace(report, key=report.key + "-b", form=rnd.choice(others), edition=2))
    return out


def _causes(report: SynthReport, reports: list[SynthReport], rule_id: str) -> str:
    """The faults behind an outcome: the report's own, and last year's for a cross-year rule."""
    previous = [f"previous:{f}" for r in reports if r.year == report.year - 1 for f in r.faults]
    return " ".join([*report.faults, *(previous if rule_id.startswith("cross_year") else [])])


def _body(body: Body, spec: CorpusSpec, out: Path) -> BodyResult:
    reports = body_reports(body, spec)
    written = [r for r in reports if spec.only_year in (None, r.year)]
    result = BodyResult()
    ids: dict[str, tuple[str, str]] = {}
    for r in written:
        suffix, data = render(r)
        path = out / "reports" / str(r.year) / f"{r.key}{suffix}"
        path.write_bytes(data)
        sha = hashlib.sha256(data).hexdigest()
        rid = sha[:16]
        file = str(path.relative_to(out))
        ids[r.key] = (file, rid)
        row = (file, rid, sha, r.key, body.name, r.year, r.form, " ".join(r.faults))
        result.reports.append(dict(zip(REPORT_COLUMNS, row, strict=True)))
        cells, facts = result.cells, result.facts
        cells["report_id"] += [rid] * len(r.cells)
        cells["cell_code"] += r.cells
        cells["value"] += (c.value for c in r.cells.values())
        cells["status"] += (c.status for c in r.cells.values())
        facts["report_id"] += [rid] * len(r.facts)
        facts["fact_name"] += (f.name for f in r.facts)
        facts["value"] += (f.value for f in r.facts)
    by_key = {r.key: r for r in reports}
    for o in evaluate(reports):
        if o.key not in ids:
            continue
        file, rid = ids[o.key]
        cause = _causes(by_key[o.key], reports, o.rule_id)
        row = (file, rid, o.rule_id, o.instance, o.status, " ".join(o.cells), cause)
        result.expected.append(dict(zip(EXPECTED_COLUMNS, row, strict=True)))
    return result


def _task(args: tuple[list[Body], CorpusSpec, Path]) -> list[BodyResult]:
    bodies, spec, out = args
    return [_body(b, spec, out) for b in bodies]


def _results(spec: CorpusSpec, out: Path, jobs: int) -> Iterator[BodyResult]:
    bodies = province_bodies(spec.bodies, spec.seed, spec.province)
    tasks = [
        (bodies[i : i + BODIES_PER_TASK], spec, out) for i in range(0, len(bodies), BODIES_PER_TASK)
    ]
    if jobs <= 1:
        for task in tasks:
            yield from _task(task)
        return
    with ProcessPoolExecutor(jobs) as pool:
        for results in pool.map(_task, tasks):
            yield from results


def generate(spec: CorpusSpec, out: Path, jobs: int = 1) -> dict[str, object]:
    """Write the corpus and its manifest under `out`; returns the summary (corpus.json)."""
    for year in spec.year_range:
        if spec.only_year in (None, year):
            (out / "reports" / str(year)).mkdir(parents=True, exist_ok=True)
    manifest = out / "manifest"
    manifest.mkdir(parents=True, exist_ok=True)
    counts: dict[str, Counter] = {k: Counter() for k in ("forms", "faults", "fail", "na")}
    with (
        (manifest / "reports.csv").open("w", newline="", encoding="utf-8") as reports_fh,
        (manifest / "expected.csv").open("w", newline="", encoding="utf-8") as expected_fh,
        pq.ParquetWriter(manifest / "cells.parquet", CELL_SCHEMA, compression="zstd") as cells,
        pq.ParquetWriter(manifest / "facts.parquet", FACT_SCHEMA, compression="zstd") as facts,
    ):
        reports_csv = csv.DictWriter(reports_fh, REPORT_COLUMNS)
        expected_csv = csv.DictWriter(expected_fh, EXPECTED_COLUMNS)
        reports_csv.writeheader()
        expected_csv.writeheader()
        for result in _results(spec, out, jobs):
            reports_csv.writerows(result.reports)
            expected_csv.writerows(result.expected)
            cells.write_table(pa.table(result.cells, CELL_SCHEMA))
            facts.write_table(pa.table(result.facts, FACT_SCHEMA))
            for r in result.reports:
                counts["forms"][str(r["form"])] += 1
                for kind in str(r["faults"]).split():
                    counts["faults"][kind] += 1
            for e in result.expected:
                counts["fail" if e["status"] == "fail" else "na"][str(e["rule_id"])] += 1
    summary = {
        "spec": asdict(spec),
        "reports": sum(counts["forms"].values()),
        "reports_by_form": dict(sorted(counts["forms"].items())),
        "faults_by_kind": dict(sorted(counts["faults"].items())),
        "expected_failures_by_rule": dict(sorted(counts["fail"].items())),
        "expected_not_assessable_by_rule": dict(sorted(counts["na"].items())),
    }
    (manifest / "corpus.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=1) + "\n", "utf-8"
    )
    return summary
