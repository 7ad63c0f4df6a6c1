"""The warehouse end to end: `xxgk ingest` of the shared sample reports (and a few reports
rendered here) into a tmp home, one `xxgk build` (real dbt on a real DuckDB file) for the whole
session, then the marts."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from conftest import run_cli
from text_builder import known_values, render

from xxgk.template.catalog import get_format

SEED = "000_c3b0ef98b8a3f889.txt"
BODY = "某某县交通运输局"  # the body text_builder writes: no such division


@dataclass
class Warehouse:
    home: Path
    inputs: list[Path]
    ids: dict[str, str]  # name of a rendered report -> report_id
    superseded_id: str

    def query(self, sql: str, *params: object) -> list[tuple]:
        with duckdb.connect(str(self.home / "xxgk.duckdb"), read_only=True) as con:
            return con.execute(sql, list(params)).fetchall()


def _rendered(values: dict[str, int | float], year: int) -> bytes:
    text = render(get_format("2021"), values, "plain")
    return text.replace(f"{BODY}2022年", f"{BODY}{year}年", 1).encode()


def _rendered_reports(folder: Path) -> dict[str, bytes]:
    """A body's 2022 and 2023 reports (carried over and in-force figures chained except one
    column and one row), and a second, different 2023 report of the same body."""
    fmt = get_format("2021")
    y22 = known_values(fmt, 1)
    y23 = known_values(fmt, 2)
    for column in fmt.table("t3").row_columns(fmt.table("t3").rows[0]):
        carried = y22[f"t3.carried_forward.{column.code}"]
        y23[f"t3.carried_over.{column.code}"] = carried + (column.code == "natural_person")
    for row in ("regulation", "normative_doc"):
        in_force = y22[f"t2.{row}.in_force"] + y23[f"t2.{row}.issued"]
        y23[f"t2.{row}.in_force"] = in_force - y23[f"t2.{row}.repealed"] + (row != "regulation")
    return {
        "y2022.txt": _rendered(y22, 2022),
        "y2023.txt": _rendered(y23, 2023),
        "y2023-other.txt": _rendered(known_values(fmt, 3), 2023),
    }


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory: pytest.TempPathFactory, shared: Path) -> Warehouse:
    home = tmp_path_factory.mktemp("home")
    rendered = tmp_path_factory.mktemp("rendered")
    reports = _rendered_reports(rendered)
    # y2022.txt is first landed with other content, then changed: the change must replace it
    first = _rendered(known_values(get_format("2021"), 9), 2022)
    (rendered / "y2022.txt").write_bytes(first)
    result = run_cli("ingest", rendered / "y2022.txt", "--home", home)
    assert result.returncode == 0, result.stderr
    for name, data in reports.items():
        (rendered / name).write_bytes(data)
    (rendered / "not-a-report.txt").write_text("会议通知：请各单位于周五前报送材料。\n", "utf-8")
    inputs = [shared / "reports", rendered]
    result = run_cli("ingest", *inputs, "--home", home)
    assert result.returncode == 1, result.stderr  # not-a-report.txt fails
    assert "not-a-report.txt" in result.stderr
    result = run_cli("build", "--home", home, "--docs")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    ids = {name: hashlib.sha256(data).hexdigest()[:16] for name, data in reports.items()}
    return Warehouse(home, inputs, ids, hashlib.sha256(first).hexdigest()[:16])


def _report_id(wh: Warehouse, file_name: str) -> str:
    (row,) = wh.query(
        "select report_id from dim_reports where source_path like ?", f"%/{file_name}"
    )
    return row[0]


def _checks(wh: Warehouse, report_id: str, status: str) -> set[tuple[str, str]]:
    rows = wh.query(
        "select rule_id, instance from fct_rule_checks where report_id = ? and status = ?",
        report_id,
        status,
    )
    return set(rows)


def test_seed_report_fails_exactly_table4_and_the_lawsuit_count(warehouse: Warehouse) -> None:
    seed = _report_id(warehouse, SEED)
    assert _checks(warehouse, seed, "fail") == {
        ("t4_block_total", "review"),
        ("t4_block_total", "suit_direct"),
        ("t4_block_total", "suit_after_review"),
        ("narrative_admin_suit_cases", "report"),
    }
    (suit,) = warehouse.query(
        "select lhs, rhs, difference, rhs_terms from fct_rule_checks "
        "where report_id = ? and rule_id = 'narrative_admin_suit_cases'",
        seed,
    )
    assert suit == (2, 3, -1, "t4.suit_direct.total + t4.suit_after_review.total")
    statuses = warehouse.query(
        "select distinct status from fct_rule_checks where report_id = ?", seed
    )
    assert {s for (s,) in statuses} <= {"pass", "fail", "not_assessable"}


def test_other_sample_reports_show_what_they_contain(warehouse: Warehouse) -> None:
    others = ("shuyang-county-gov-2025.txt", "shuyang-fgj-2023.html", "huaian-city-2024.pdf",
              "pingtan-2022.txt")  # fmt: skip
    for name in others:
        report = _report_id(warehouse, name)
        assert _checks(warehouse, report, "fail") == set(), name
        assert _checks(warehouse, report, "pass"), name
    # the 发改局's legal-person columns are blank: never read as 0, so not assessable
    fgj = _report_id(warehouse, "shuyang-fgj-2023.html")
    (row,) = warehouse.query(
        "select status, lhs, rhs, unassessable_inputs from fct_rule_checks "
        "where report_id = ? and rule_id = 't3_balance' and instance = 'commercial'",
        fgj,
    )
    assert row[:3] == ("not_assessable", None, None) and "t3.new.commercial=blank" in row[3]


def test_narrative_rules_on_real_reports(warehouse: Warehouse) -> None:
    def status(name: str, rule: str) -> tuple:
        return warehouse.query(
            "select status, lhs, rhs, reading_label_en from fct_rule_checks "
            "where report_id = ? and rule_id = ?",
            _report_id(warehouse, name),
            rule,
        )

    assert status(SEED, "narrative_admin_suit_cases") == [("fail", 2, 3, None)]
    assert status("huaian-city-2024.pdf", "narrative_admin_suit_cases")[0][0] == "pass"
    assert status(SEED, "narrative_admin_review_cases") == [("pass", 0, 0, None)]
    assert status(SEED, "narrative_applications_received") == [("pass", 3, 3, "new this year")]
    shuyang = "shuyang-county-gov-2025.txt"
    assert status(shuyang, "narrative_review_and_suit_cases") == [("pass", 74, 74, None)]
    assert status(shuyang, "narrative_applications_carried_forward") == [("pass", 31, 31, None)]
    assert status(shuyang, "narrative_applications_handled")[0][0] == "pass"


def test_cross_year_rules_pair_a_body_with_its_previous_year(warehouse: Warehouse) -> None:
    y2023, y2022 = warehouse.ids["y2023.txt"], warehouse.ids["y2022.txt"]
    rows = warehouse.query(
        "select rule_id, instance, status, severity from fct_rule_checks "
        "where report_id = ? and compared_report_id = ?",
        y2023,
        y2022,
    )
    fails = {(r, i) for r, i, s, _ in rows if s == "fail"}
    assert fails == {
        ("cross_year_carried_over", "natural_person"),
        ("cross_year_in_force", "normative_doc"),
    }
    assert {s for *_, s in rows} == {"warning"}
    assert len(rows) == 7 + 2  # six applicant columns and 总计 (no 小计); two in-force rows
    none = warehouse.query(
        "select count(*) from fct_rule_checks where report_id = ? and family = 'cross_year'",
        y2022,
    )
    assert none == [(0,)]  # no 2021 report to compare with


def test_two_reports_of_one_body_for_one_year(warehouse: Warehouse) -> None:
    rows = warehouse.query(
        "select report_id, status, lhs from fct_rule_checks "
        "where rule_id = 'completeness_one_report_per_body_year' and report_id in (?, ?, ?)",
        *warehouse.ids.values(),
    )
    assert sorted(rows) == sorted(
        [
            (warehouse.ids["y2022.txt"], "pass", 1),
            (warehouse.ids["y2023.txt"], "fail", 2),
            (warehouse.ids["y2023-other.txt"], "fail", 2),
        ]
    )


def test_a_changed_file_replaces_its_earlier_version(warehouse: Warehouse) -> None:
    for table in ("dim_reports", "fct_disclosure_cells", "fct_rule_checks"):
        count = f"select count(*) from {table} where report_id = ?"
        assert warehouse.query(count, warehouse.superseded_id) == [(0,)], table
        assert warehouse.query(count, warehouse.ids["y2022.txt"]) != [(0,)], table
    ledger = warehouse.query(
        "select report_id, is_current from stg_landing__ledger "
        "where source_path like '%/y2022.txt' order by ingested_at"
    )
    assert ledger == [(warehouse.superseded_id, False), (warehouse.ids["y2022.txt"], True)]


def test_failed_files_are_listed_and_not_loaded(warehouse: Warehouse) -> None:
    problems = dict(warehouse.query("select source_path, failure_reason from fct_ingest_problems"))
    bad = [p for p in problems if p.endswith("/not-a-report.txt")]
    assert len(bad) == 1 and problems[bad[0]]
    assert warehouse.query("select count(*) from dim_reports where source_path = ?", bad[0]) == [
        (0,)
    ]


def test_grain_and_cells(warehouse: Warehouse) -> None:
    per_report = warehouse.query(
        "select template, count(*) from fct_disclosure_cells group by report_id, template"
    )
    assert per_report and all(n == 200 for t, n in per_report if t == "2021")
    blanks = warehouse.query(
        "select count(*) from fct_disclosure_cells where value_status in ('blank', 'mark') "
        "and value is not null"
    )
    assert blanks == [(0,)]
    assert (warehouse.home / "dbt" / "target" / "catalog.json").exists()  # dbt docs generate


def test_bodies_resolve_to_divisions_or_stay_visible(warehouse: Warehouse) -> None:
    rows = {
        r[0]: r[1:]
        for r in warehouse.query(
            "select body_name, division_code, division_match, province_name, city_name, "
            "county_name, body_kind from dim_bodies"
        )
    }
    assert rows["尖山区"] == ("230502", "exact", "黑龙江省", "双鸭山市", "尖山区", "人民政府")
    assert rows["沐阳县人民政府"][:2] == ("321322", "ocr_confusable")
    assert rows["沭阳县发展和改革局"][1:] == ("exact", "江苏省", "宿迁市", "沭阳县", "局")
    assert rows["淮安市人民政府"][:5] == ("320800", "exact", "江苏省", "淮安市", None)
    assert rows["平潭综合实验区"][:3] == ("350128", "short_name", "福建省")
    assert rows[BODY][:2] == (None, "not_found")


def test_a_second_ingest_changes_no_row(warehouse: Warehouse) -> None:
    landing = warehouse.home / "landing"
    before = {p: p.read_bytes() for p in landing.rglob("*") if p.is_file()}
    tables = ("stg_landing__reports", "stg_landing__cells", "stg_landing__facts",
              "stg_landing__ledger")  # fmt: skip
    rows = {t: sorted(map(str, warehouse.query(f"select * from {t}"))) for t in tables}
    result = run_cli("ingest", *warehouse.inputs, "--home", warehouse.home)
    assert "0 ingested, 0 replaced, 0 duplicate" in result.stdout
    assert {p: p.read_bytes() for p in landing.rglob("*") if p.is_file()} == before
    assert {t: sorted(map(str, warehouse.query(f"select * from {t}"))) for t in tables} == rows


def test_ingest_and_build_usage(tmp_path: Path) -> None:
    assert run_cli("ingest", tmp_path / "missing", "--home", tmp_path).returncode == 2
    for command in ("ingest", "build"):
        result = run_cli(command, "--help")
        assert result.returncode == 0 and "--home" in result.stdout


def test_a_failing_build_says_what_failed(tmp_path: Path) -> None:
    (tmp_path / "landing").mkdir()
    (tmp_path / "landing" / "ledger.parquet").write_bytes(b"not parquet")
    result = run_cli("build", "--home", tmp_path, "--select", "stg_landing__ledger")
    assert result.returncode == 1
    assert "build failed" in result.stderr and "stg_landing__ledger" in result.stderr


def test_a_build_that_cannot_build_every_model_keeps_the_last_warehouse(
    warehouse: Warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With too little memory DuckDB fails part-way (some models built, the rest skipped): the
    build fails and the warehouse is the last complete one, byte for byte, never a mix."""
    home = tmp_path / "home"
    shutil.copytree(warehouse.home / "landing", home / "landing")
    shutil.copyfile(warehouse.home / "xxgk.duckdb", home / "xxgk.duckdb")
    before = (home / "xxgk.duckdb").read_bytes()
    monkeypatch.setenv("XXGK_DUCKDB_MEMORY_LIMIT", "30MB")
    result = run_cli("build", "--home", home)
    assert result.returncode == 1, result.stdout[-2000:]
    assert "Out of Memory" in result.stderr
    assert (home / "xxgk.duckdb").read_bytes() == before
    assert not list(home.glob(".*.building*"))
