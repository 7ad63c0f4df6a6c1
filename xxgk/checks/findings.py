"""Findings: one row per failed check instance, read from GX's validation results.

Every finding names the report (report_id, body, year), the rule, its severity (error for
identities and narrative agreement, warning for plausibility, cross-year and completeness), the
cells involved, expected and actual values, their difference and a message in Chinese and
English. A per-report summary counts them. They are written as CSV (UTF-8 with a byte-order mark,
so spreadsheet programs read the Chinese), as JSON and as tables in the warehouse's `checks`
schema (a DuckDB file or a PostgreSQL database, the same columns). An expectation GX could not
evaluate is a check error, never a pass.
"""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, astuple, dataclass, field, fields, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
from great_expectations.checkpoint.checkpoint import CheckpointResult

from xxgk.atomic import replacing
from xxgk.checks.waivers import Waiver

SCHEMA = "checks"


@dataclass(frozen=True)
class Finding:
    report_id: str
    body: str | None
    year: int | None
    rule_id: str
    severity: str  # error | warning
    suite: str
    instance: str  # the column, row or block the rule was bound to, or "report"
    context: str  # report | fact:<index> | previous:<report_id>
    cells: tuple[str, ...]
    expected: float | None
    actual: float | None
    difference: float | None
    message: str
    waived: bool = False  # accepted in the reviewed waivers file: shown, not counted
    waiver: str | None = None  # the waiver's reason and who accepted it


@dataclass(frozen=True)
class ReportSummary:
    report_id: str
    body: str | None
    year: int | None
    errors: int  # waived findings not counted
    warnings: int
    waived: int
    rules: tuple[str, ...]  # the rules that failed, sorted


@dataclass
class Findings:
    findings: list[Finding] = field(default_factory=list)
    reports: list[ReportSummary] = field(default_factory=list)
    check_errors: list[str] = field(default_factory=list)  # expectations GX could not evaluate

    @property
    def totals(self) -> dict[str, int]:
        by = Counter(f.severity for f in self.findings if not f.waived)
        return {
            "reports": len(self.reports),
            "reports_with_findings": sum(1 for r in self.reports if r.errors or r.warnings),
            "findings": len(self.findings),
            "errors": by["error"],
            "warnings": by["warning"],
            "waived": sum(f.waived for f in self.findings),
            "check_errors": len(self.check_errors),
        }


def _num(value: Any) -> float | None:
    # DuckDB sums come back as Decimal through SQLAlchemy, as floats from stored results
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    return float(value)


def _g(value: float | None) -> str:
    return "?" if value is None else f"{value:g}"


def _rule_finding(row: dict, meta: dict, suite: str) -> Finding:
    actual, expected, difference = (_num(row[k]) for k in ("actual", "expected", "difference"))
    message = (
        f"{meta['rule_id']} {row['instance']}: {_g(actual)} ≠ {_g(expected)}"
        f"（差额 difference {_g(difference)}）。{meta['description_zh']} / {meta['description_en']}"
    )
    context = row["context_key"]
    if context.startswith("fact:"):
        message += f" 正文 narrative: “{row['fact_sentence']}” ({row['fact_locator']})"
    elif context.startswith("previous:"):
        message += f" 上年报告 previous report: {context.removeprefix('previous:')}"
    return Finding(
        report_id=row["report_id"],
        body=row["body"],
        year=row["year"],
        rule_id=meta["rule_id"],
        severity=meta["severity"],
        suite=suite,
        instance=row["instance"],
        context=context,
        cells=tuple(row["cells"]),
        expected=expected,
        actual=actual,
        difference=difference,
        message=message,
    )


def _cell_finding(
    row: dict, config: Any, meta: dict, suite: str, reports: dict[str, tuple[str, int]]
) -> Finding:
    """A failed row of one of GX's own Expectations, named by report and cell."""
    column = config.kwargs.get("column")
    value = row.get(column) if column else None
    body, year = reports.get(row["report_id"], (None, None))
    seen = f" = {value}" if column else ""
    return Finding(
        report_id=row["report_id"],
        body=body,
        year=year,
        rule_id=meta["rule_id"],
        severity=meta["severity"],
        suite=suite,
        instance=row.get("cell_code", ""),
        context="report",
        cells=(row["cell_code"],) if row.get("cell_code") else (),
        expected=None,
        actual=_num(value),
        difference=None,
        message=f"{meta['rule_id']} {row.get('cell_code', '')}{seen}。"
        f"{meta['description_zh']} / {meta['description_en']}",
    )


def collect(
    result: CheckpointResult,
    reports: dict[str, tuple[str, int]],
    waivers: Sequence[Waiver] = (),
) -> Findings:
    """Findings of a checkpoint run; `reports` maps every report_id to its body and year;
    findings a waiver covers are kept, marked waived."""
    out = Findings()
    for validation in result.run_results.values():
        suite = validation.suite_name
        for r in validation.results:
            config = r.expectation_config
            meta = config.meta
            if r.exception_info and r.exception_info.get("raised_exception"):
                message = r.exception_info.get("exception_message")
                out.check_errors.append(f"{suite}/{meta['rule_id']}: {message}")
                continue
            if r.success:
                continue
            details = r.result.get("details") or {}
            if "unexpected_rows" in details:
                out.findings += [
                    _rule_finding(row, meta, suite) for row in details["unexpected_rows"]
                ]
            elif r.result.get("unexpected_index_list"):
                rows = {
                    json.dumps(x, sort_keys=True, default=str): x
                    for x in r.result["unexpected_index_list"]
                }
                out.findings += [
                    _cell_finding(x, config, meta, suite, reports) for x in rows.values()
                ]
            else:
                out.check_errors.append(f"{suite}/{meta['rule_id']}: failed without naming reports")
    out.findings = [_waive(f, waivers) for f in out.findings]
    out.findings.sort(key=lambda f: (f.report_id, f.severity, f.rule_id, f.instance, f.context))
    failed: dict[str, list[Finding]] = defaultdict(list)
    for f in out.findings:
        failed[f.report_id].append(f)
    out.reports = [
        ReportSummary(
            report_id=rid,
            body=body,
            year=year,
            errors=sum(f.severity == "error" and not f.waived for f in failed[rid]),
            warnings=sum(f.severity == "warning" and not f.waived for f in failed[rid]),
            waived=sum(f.waived for f in failed[rid]),
            rules=tuple(sorted({f.rule_id for f in failed[rid]})),
        )
        for rid, (body, year) in sorted(reports.items())
    ]
    return out


def _waive(f: Finding, waivers: Sequence[Waiver]) -> Finding:
    match = next(
        (w for w in waivers if w.covers(f.report_id, f.body, f.year, f.rule_id, f.instance)), None
    )
    return f if match is None else replace(f, waived=True, waiver=match.label)


def unused_waivers(result: Findings, waivers: Sequence[Waiver]) -> list[Waiver]:
    """Waivers that matched no finding: the fault was fixed, or the waiver names it wrongly."""
    return [
        w
        for w in waivers
        if not any(
            w.covers(f.report_id, f.body, f.year, f.rule_id, f.instance) for f in result.findings
        )
    ]


def read_reports(con: Any) -> dict[str, tuple[str, int]]:
    """Every report's body and year, from a DuckDB or a psycopg2 connection to the warehouse."""
    cur = con.cursor()
    try:
        cur.execute("select report_id, body, report_year from dim_reports")
        return {rid: (body, year) for rid, body, year in cur.fetchall()}
    finally:
        cur.close()


def _frame(items: list, cls: type) -> pd.DataFrame:
    return pd.DataFrame([asdict(x) for x in items], columns=[f.name for f in fields(cls)])


def _tables(result: Findings) -> tuple[tuple[str, type, list], ...]:
    return (
        ("findings", Finding, result.findings),
        ("findings_by_report", ReportSummary, result.reports),
    )


def store(con: Any, result: Findings) -> None:
    """`checks.findings` and `checks.findings_by_report` in the warehouse, replaced: through a
    DuckDB connection, or a psycopg2 one (`store_postgres`)."""
    if not isinstance(con, duckdb.DuckDBPyConnection):
        store_postgres(con, result)
        return
    con.execute(f"create schema if not exists {SCHEMA}")
    for name, cls, items in _tables(result):
        con.register("frame", _frame(items, cls))
        con.execute(f"create or replace table {SCHEMA}.{name} as select * from frame")
        con.unregister("frame")


# PostgreSQL column types of the findings' fields (as annotated, without `| None`)
_PG_TYPES = {
    "str": "text",
    "int": "bigint",
    "float": "double precision",
    "bool": "boolean",
    "tuple[str, ...]": "text[]",
}


def store_postgres(con: Any, result: Findings) -> None:
    """The same tables on PostgreSQL, typed as DuckDB types them, in the caller's transaction."""
    from psycopg2.extras import execute_values

    with con.cursor() as cur:
        cur.execute(f"create schema if not exists {SCHEMA}")
        for name, cls, items in _tables(result):
            columns = ", ".join(
                f"{f.name} {_PG_TYPES[str(f.type).removesuffix(' | None')]}" for f in fields(cls)
            )
            cur.execute(f"drop table if exists {SCHEMA}.{name}")
            cur.execute(f"create table {SCHEMA}.{name} ({columns})")
            rows = [
                tuple(list(v) if isinstance(v, tuple) else v for v in astuple(item))
                for item in items
            ]
            execute_values(cur, f"insert into {SCHEMA}.{name} values %s", rows, page_size=1000)


def _csv(path: Path, items: list, cls: type) -> Path:
    with replacing(path) as tmp, tmp.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([f.name for f in fields(cls)])
        for item in items:
            writer.writerow(
                " ".join(v) if isinstance(v, tuple) else "" if v is None else v
                for v in (getattr(item, f.name) for f in fields(cls))
            )
    return path


def write(out: Path, result: Findings) -> tuple[Path, ...]:
    """findings.csv, findings_by_report.csv and findings.json (totals, reports, findings)."""
    out.mkdir(parents=True, exist_ok=True)
    payload = {
        "totals": result.totals,
        "check_errors": result.check_errors,
        "reports": [asdict(r) for r in result.reports],
        "findings": [asdict(f) for f in result.findings],
    }
    json_path = out / "findings.json"
    with replacing(json_path) as tmp:
        tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return (
        _csv(out / "findings.csv", result.findings, Finding),
        _csv(out / "findings_by_report.csv", result.reports, ReportSummary),
        json_path,
    )
