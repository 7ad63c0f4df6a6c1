"""GX against the real warehouse: the faulty reports landed through the real landing, built by
dbt (`xxgk build`), checked by `xxgk check`. GX computes the rules itself from the cells, so its
failed instances must be exactly those `fct_rule_checks` computed in dbt's SQL, and those the
plain-Python reading of the rules finds."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb
import pytest
from conftest import run_cli
from test_checks_support import Report, Warehouse, faulty_warehouse, reference_failures

from xxgk.ingest.landing import Landing, report_id_for
from xxgk.ingest.model import Fact, ParsedCell, ParseResult, ReportMeta
from xxgk.template.rules import load_rules
from xxgk.warehouse.paths import Home

Failure = tuple[str, str, str, str]  # report_id, rule_id, instance, context


def _parse_result(w: Warehouse, report: Report, path: Path) -> ParseResult:
    cells = []
    for code, value in w.values[report.report_id].items():
        status = w.statuses.get((report.report_id, code)) or ("zero" if value == 0 else "number")
        raw = {"missing": None, "blank": "", "mark": "/", "invalid": "见附件"}.get(status)
        raw = f"{value:g}" if value is not None else raw
        inferred = w.inferred.get((report.report_id, code), ())
        method = "inferred" if inferred else "read"
        where = f"{code} in {path.name}"
        cells.append(ParsedCell(code, value, raw, where, status, method, inferred))
    facts = [
        Fact(name, value, "件", f"共{value:g}件。", where)
        for rid, name, value, where in w.facts
        if rid == report.report_id
    ]
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    meta = ReportMeta(report.body, report.year, report.template, str(path), "text", sha)
    return ParseResult(meta, cells, facts, [])


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Warehouse, dict[str, str]]:
    w, _ = faulty_warehouse()
    # every status the warehouse accepts: an unknown one would (rightly) fail dbt's tests
    w.statuses[("r00000_2020", "t2.penalty.decisions")] = "invalid"
    home, files = tmp_path_factory.mktemp("real-home"), tmp_path_factory.mktemp("reports")
    results, ids = {}, {}
    for report in w.reports:
        path = (files / f"{report.report_id}.txt").resolve()
        path.write_text(report.report_id, "utf-8")
        results[path] = _parse_result(w, report, path)
        ids[report_id_for(results[path].report.sha256)] = report.report_id
    summary = Landing(Home.resolve(home).landing).ingest(list(results), parse=results.__getitem__)
    assert not summary.failed
    proc = run_cli("build", "--home", home)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    proc = run_cli("check", "--home", home, "--no-dbt-docs")
    assert proc.returncode == 1, proc.stdout[-3000:] + proc.stderr[-3000:]  # error findings
    return home, w, ids


def test_gx_fails_what_fct_rule_checks_fails(built: tuple[Path, Warehouse, dict[str, str]]) -> None:
    home, _, _ = built
    rules = {r.id for r in load_rules()}
    findings = json.loads((home / "findings.json").read_text("utf-8"))
    assert findings["totals"]["check_errors"] == 0
    gx: set[Failure] = {
        (f["report_id"], f["rule_id"], f["instance"], f["context"])
        for f in findings["findings"]
        if f["rule_id"] in rules
    }
    with duckdb.connect(str(home / "xxgk.duckdb"), read_only=True) as con:
        dbt = set(
            con.execute(
                "select report_id, rule_id, instance, context_key from fct_rule_checks "
                "where status = 'fail'"
            ).fetchall()
        )
    assert gx == dbt
    assert len(gx) >= 10


def test_both_agree_with_the_plain_reading_of_the_rules(
    built: tuple[Path, Warehouse, dict[str, str]],
) -> None:
    home, w, ids = built
    findings = json.loads((home / "findings.json").read_text("utf-8"))["findings"]
    rules = {r.id for r in load_rules()}

    def plain(context: str) -> str:
        """The landing names reports by content hash and numbers facts per report."""
        if context.startswith("previous:"):
            return "previous:" + ids[context.removeprefix("previous:")]
        return "fact" if context.startswith("fact:") else context

    gx = {
        (ids[f["report_id"]], f["rule_id"], f["instance"], plain(f["context"]))
        for f in findings
        if f["rule_id"] in rules
    }
    expected = {
        (rid, rule, instance, "fact" if context.startswith("fact:") else context)
        for rid, rule, instance, context in reference_failures(w)
    }
    assert gx == expected
