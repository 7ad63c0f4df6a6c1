"""Builds by report (macros/incremental.sql) against full refreshes, with real dbt on real
DuckDB files. A second ingest brings a report a built one compares with, a second report of a
built body-year, and a file changed in place; the incremental build must then hold exactly the
rows a full refresh makes. A project changed since the last build forces the full refresh."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import run_cli

from xxgk.synth.corpus import CorpusSpec, generate
from xxgk.warehouse import fingerprint
from xxgk.warehouse.paths import PROJECT_DIR, Home

BUILT_BY_REPORT = ("fct_disclosure_cells", "int_rule_sides_valued", "fct_rule_checks")
SPEC = CorpusSpec(seed=7, bodies=12, years=3, forms=("text", "markdown"), fault_rate=0.3)


def _dbt_args(home: Path) -> dict:
    return json.loads((home / "dbt" / "target" / "run_results.json").read_text())["args"]


def _ingest_and_build(home: Path, inbox: Path) -> None:
    for command in (["ingest", inbox], ["build"]):
        proc = run_cli(*command, "--home", home)
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]


def _differences(one: Path, other: Path, table: str) -> list[tuple]:
    with duckdb.connect() as con:
        con.execute(f"attach '{one}' as one (read_only)")
        con.execute(f"attach '{other}' as other (read_only)")
        return con.execute(
            f"(select 'only incremental', * from one.main.{table} "
            f"except all select 'only incremental', * from other.main.{table}) "
            f"union all (select 'only full', * from other.main.{table} "
            f"except all select 'only full', * from one.main.{table}) limit 5"
        ).fetchall()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(home built twice, the second time by report; its copy built with a full refresh)."""
    corpus = tmp_path_factory.mktemp("corpus") / "province"
    generate(SPEC, corpus, jobs=2)
    reports = corpus / "reports"
    year = {y: sorted((reports / str(y)).iterdir()) for y in (2021, 2022, 2023)}
    held_back = year[2022][0]  # the year its body's built 2023 report compares with
    changed = year[2021][1]  # changed in place after the first build
    republished = year[2021][2]  # published a second time, as another file
    inbox = tmp_path_factory.mktemp("inbox")
    for path in (p for files in year.values() for p in files if p != held_back):
        shutil.copy(path, inbox / path.name)
    home = tmp_path_factory.mktemp("home")
    _ingest_and_build(home, inbox)

    shutil.copy(held_back, inbox / held_back.name)
    (inbox / changed.name).write_bytes(changed.read_bytes() + b"\n")
    (inbox / f"again-{republished.name}").write_bytes(republished.read_bytes() + b"\n")
    _ingest_and_build(home, inbox)
    assert not _dbt_args(home).get("full_refresh")  # the same project: built by report

    full = tmp_path_factory.mktemp("full") / "home"
    shutil.copytree(home, full)
    fingerprint.store(Home(full).built_with("duckdb"), "another project")
    proc = run_cli("build", "--home", full)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return home, full


def test_a_changed_project_forces_a_full_refresh(built: tuple[Path, Path]) -> None:
    _, full = built
    assert _dbt_args(full).get("full_refresh") is True
    assert fingerprint.stored(Home(full).built_with("duckdb")) == fingerprint.project_fingerprint()


@pytest.mark.parametrize("table", BUILT_BY_REPORT)
def test_a_build_by_report_equals_a_full_refresh(built: tuple[Path, Path], table: str) -> None:
    home, full = built
    assert _differences(home / "xxgk.duckdb", full / "xxgk.duckdb", table) == []


def test_the_second_ingest_changed_what_the_build_holds(built: tuple[Path, Path]) -> None:
    """The comparison above is not vacuous: the second build's rows show the new reports."""
    home, _ = built
    with duckdb.connect(str(home / "xxgk.duckdb"), read_only=True) as con:
        superseded = con.execute(
            "select count(*) from stg_landing__ledger where not is_current"
        ).fetchone()[0]
        twice = con.execute(
            "select count(*) from fct_rule_checks "
            "where rule_id = 'completeness_one_report_per_body_year' and status = 'fail'"
        ).fetchone()[0]
        batches = con.execute("select count(distinct batch_id) from fct_rule_checks").fetchone()[0]
    assert superseded >= 1  # the file changed in place has an earlier version
    assert twice >= 2  # the republished report and its first publication
    assert batches == 2


def test_the_fingerprint_covers_models_macros_and_seeds(tmp_path: Path) -> None:
    project = tmp_path / "project"
    for part in fingerprint.PROJECT_PARTS:
        source = PROJECT_DIR / part
        if source.is_dir():
            shutil.copytree(source, project / part)
        else:
            project.mkdir(exist_ok=True)
            shutil.copy(source, project / part)
    before = fingerprint.project_fingerprint(project)
    assert before == fingerprint.project_fingerprint(PROJECT_DIR)
    seed = next((project / "seeds").glob("*.csv"))
    seed.write_text(seed.read_text("utf-8") + "\n", "utf-8")
    assert fingerprint.project_fingerprint(project) != before
