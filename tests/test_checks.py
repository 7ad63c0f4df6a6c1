"""The GX checks on a real DuckDB warehouse: suites generated from the rules catalog, the
read-only dialect, `xxgk check` end to end, and findings that name the reports and agree with
an independent evaluation of the rules."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import duckdb
import pytest
from test_checks_support import Checked, build, checked

from xxgk.checks import findings
from xxgk.template.rules import load_rules

EXPECTATIONS = Path(__file__).resolve().parents[1] / "expectations"


@pytest.fixture(scope="session")
def run(tmp_path_factory: pytest.TempPathFactory) -> Checked:
    return checked(tmp_path_factory.getbasetemp())


def _suites() -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text("utf-8")) for p in EXPECTATIONS.glob("*.json")}


def test_committed_suites_are_what_the_catalog_generates() -> None:
    from xxgk.checks.suites import stale_suites

    assert stale_suites(EXPECTATIONS) == [], "run `xxgk check --write-suites` and commit"


def test_every_rule_has_an_expectation_explained_in_both_languages() -> None:
    from xxgk.checks.plugin import BY_KIND

    suites = _suites()
    assert set(suites) == {"table2", "table3", "table4", "narrative", "cross_year", "completeness"}
    by_rule = {
        e["meta"]["rule_id"]: (name, e) for name, s in suites.items() for e in s["expectations"]
    }
    for rule in load_rules():
        suite, e = by_rule[rule.id]
        assert suite == rule.family
        assert e["type"] == BY_KIND[rule.kind].expectation_type
        assert e["meta"]["description_zh"] == rule.description_zh  # the template's own words
        assert e["meta"]["description_en"] == rule.description_en
        assert e["meta"]["severity"] == rule.severity
        assert e["severity"] == {"error": "critical", "warning": "warning"}[rule.severity]
    for _, e in by_rule.values():  # GX's own expectations too
        assert e["meta"]["description_zh"] and e["meta"]["description_en"] and e["description"]


def test_suites_carry_instances_in_the_catalogs_notation() -> None:
    t3 = next(
        e for e in _suites()["table3"]["expectations"] if e["meta"]["rule_id"] == "t3_balance"
    )
    assert (
        "2021 natural_person: t3.new.natural_person + t3.carried_over.natural_person = "
        "t3.results_total.natural_person + t3.carried_forward.natural_person"
    ) in t3["kwargs"]["instances"]
    narrative = _suites()["narrative"]["expectations"]
    received = next(
        e for e in narrative if e["meta"]["rule_id"] == "narrative_applications_received"
    )
    assert (
        "2019 report: fact:applications_received = "
        "t3.new.total | t3.new.total + t3.carried_over.total"
    ) in received["kwargs"]["instances"]


def test_a_stale_suite_is_refused(tmp_path: Path) -> None:
    from xxgk.checks.suites import load_suites

    shutil.copytree(EXPECTATIONS, tmp_path, dirs_exist_ok=True)
    (tmp_path / "table4.json").write_text("{}", "utf-8")
    with pytest.raises(RuntimeError, match="table4"):
        load_suites(tmp_path)


def test_check_reports_errors_through_its_exit_status(run: Checked) -> None:
    assert run.proc.returncode == 1, run.proc.stderr[-3000:]  # error findings, nothing broken
    assert "check could not run" not in run.proc.stderr
    totals = run.findings["totals"]
    assert totals["check_errors"] == 0
    assert f"checked {totals['reports']} reports: {totals['errors']} errors" in run.proc.stdout


def _rule_failures(run: Checked) -> set[tuple[str, str, str, str]]:
    rules = {r.id for r in load_rules()}
    return {
        (f["report_id"], f["rule_id"], f["instance"], f["context"])
        for f in run.findings["findings"]
        if f["rule_id"] in rules
    }


def test_gx_fails_exactly_the_instances_the_rules_fail(run: Checked) -> None:
    assert run.must <= run.reference  # the faults are seen by the reference at all
    assert _rule_failures(run) == run.reference


def test_a_finding_names_report_cells_and_values(run: Checked) -> None:
    (f,) = [
        f
        for f in run.findings["findings"]
        if f["rule_id"] == "t3_balance" and f["report_id"] == "r00001_2021"
    ]
    assert (f["body"], f["year"], f["severity"], f["instance"]) == (
        "机关00001",
        2021,
        "error",
        "natural_person",
    )
    assert f["cells"] == [
        "t3.new.natural_person",
        "t3.carried_over.natural_person",
        "t3.results_total.natural_person",
        "t3.carried_forward.natural_person",
    ]
    assert f["actual"] - f["expected"] == f["difference"] == 2
    assert "第一项加第二项之和，等于第三项加第四项之和" in f["message"]


def test_narrative_and_cross_year_findings_say_where_to_look(run: Checked) -> None:
    by_rule = {f["rule_id"]: f for f in run.findings["findings"]}
    narrative = by_rule["narrative_admin_review_cases"]
    assert (narrative["actual"], narrative["severity"]) == (99, "error")
    assert "共99件。" in narrative["message"] and "paragraph 9" in narrative["message"]
    in_force = by_rule["cross_year_in_force"]
    assert (in_force["severity"], in_force["difference"]) == ("warning", 3)
    assert "previous report: r00001_2021" in in_force["message"]
    assert "prev:t2.regulation.in_force" in in_force["cells"]


def test_blanks_and_marks_are_not_assessable_never_zero(run: Checked) -> None:
    blanked = [f for f in run.findings["findings"] if f["report_id"] == "r00002_2022"]
    assert blanked == []


def test_gx_own_expectations_name_the_report_and_cell(run: Checked) -> None:
    found = {
        (f["rule_id"], f["report_id"], f["instance"]): f
        for f in run.findings["findings"]
        if f["rule_id"] not in {r.id for r in load_rules()}
    }
    assert set(found) == {
        ("t4_counts_non_negative", "r00000_2021", "t4.review.pending"),
        ("cells_value_status_known", "r00000_2020", "t2.penalty.decisions"),
    }
    negative = found[("t4_counts_non_negative", "r00000_2021", "t4.review.pending")]
    assert (negative["actual"], negative["severity"], negative["year"]) == (-1, "warning", 2021)


def test_findings_are_written_as_csv_json_and_warehouse_tables(run: Checked) -> None:
    raw = (run.home / "findings.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # spreadsheet programs then read the Chinese
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert len(rows) == len(run.findings["findings"])
    assert rows[0].keys() >= {"report_id", "body", "year", "rule_id", "severity", "cells"}
    assert {"expected", "actual", "difference", "message"} <= rows[0].keys()
    summary = {r["report_id"]: r for r in run.findings["reports"]}
    assert len(summary) == len(run.warehouse.reports)
    assert summary["r00001_2021"]["errors"] == 2
    assert summary["r00002_2022"] == {
        "report_id": "r00002_2022",
        "body": "机关00002",
        "year": 2022,
        "errors": 0,
        "warnings": 0,
        "waived": 0,
        "rules": [],
    }
    with duckdb.connect(str(run.home / "xxgk.duckdb"), read_only=True) as con:
        (n,) = con.execute("select count(*) from checks.findings").fetchone()
        by_report = con.execute(
            "select errors, warnings from checks.findings_by_report where report_id = 'r00003_2021'"
        ).fetchone()
    assert n == len(run.findings["findings"])
    assert by_report == (summary["r00003_2021"]["errors"], summary["r00003_2021"]["warnings"])


def test_results_are_stored_by_gx_outside_the_repository(run: Checked) -> None:
    stored = list((run.home / "gx" / "uncommitted" / "validations").rglob("*.json"))
    assert {p.parts[-4] for p in stored if p.name != ".ge_store_backend_id"} >= {"table3"}
    assert len([p for p in stored if p.suffix == ".json"]) == 6


def test_gx_needs_the_dialect_and_the_dialect_reads_only(tmp_path: Path) -> None:
    """Plain duckdb-engine loses every result (GX issues 10738, 11579): when this starts
    passing without the dialect, duckdb_dialect.py can go."""
    import great_expectations as gx

    from xxgk.checks.duckdb_dialect import close_all, connection_string

    w = build(1, years=(2022,))
    plain, db = w.write(tmp_path / "plain.duckdb"), w.write(tmp_path / "xxgk.duckdb")
    context = gx.get_context(mode="ephemeral")
    expectation = gx.expectations.ExpectColumnValuesToNotBeNull(column="report_id")
    results = {}
    for name, url in (("plain", f"duckdb:///{plain}"), ("xxgk", connection_string(db))):
        source = context.data_sources.add_sql(name, connection_string=url)
        asset = source.add_table_asset("cells", table_name="fct_disclosure_cells")
        results[name] = (
            asset.add_batch_definition_whole_table("all").get_batch().validate(expectation)
        )
    assert not results["plain"].success and results["plain"].exception_info
    assert results["xxgk"].success
    engine = (
        gx.get_context(mode="ephemeral")
        .data_sources.add_sql("again", connection_string=connection_string(db))
        .get_engine()
    )
    with engine.connect() as con, pytest.raises(Exception, match="read-only"):
        con.exec_driver_sql("create table x (a int)")
    with pytest.raises(duckdb.ConnectionException):  # GX holds the file ...
        duckdb.connect(str(db))
    close_all()
    duckdb.connect(str(db)).close()  # ... until the dialect lets it go


def test_findings_files_are_replaced_whole_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk that fills half-way through findings.json leaves the previous file as it was (a
    nightly reads it) and no temporary file behind."""
    findings.write(tmp_path, findings.Findings())
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def half_then_full(self: Path, data: str, *args: object, **kwargs: object) -> int:
        with self.open("w", encoding="utf-8") as fh:
            fh.write(data[: len(data) // 2])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_text", half_then_full)
    with pytest.raises(OSError, match="No space left"):
        findings.write(tmp_path, findings.Findings(check_errors=["x" * 1000]))
    monkeypatch.undo()
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
