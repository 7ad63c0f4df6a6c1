"""The whole job on PostgreSQL gives what it gives on DuckDB.

`xxgk run --target postgres` (ingest → landing loaded with COPY → dbt build → GX's PostgreSQL
data source → Data Docs → findings) and `xxgk run` on DuckDB, each in its own home, on the same
reports: the bundled samples and a small synthetic province (xxgk.synth, faults injected). Both
runs go at once, each target in its own fresh database or file.

Needs a server: the XXGK_PG_* variables `scripts/pg-test-server` prints (the user must be able
to create databases). Without them these tests are deselected (tests/conftest.py), unless
XXGK_REQUIRE_POSTGRES=1, as in CI, where they fail saying so.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb
import psycopg2
import pytest
from conftest import ROOT, SAMPLES

from xxgk.synth.corpus import CorpusSpec, generate
from xxgk.warehouse.postgres import PostgresSettings

pytestmark = pytest.mark.postgres

# small but with every kind of fault: identities, narrative, cross-year, duplicates, blanks
SYNTHETIC = CorpusSpec(seed=7, bodies=12, years=3, fault_rate=0.3)
RULE_CHECKS = (
    "select report_id, rule_id, instance, context_key, status, lhs, rhs, unassessable_inputs "
    "from fct_rule_checks"
)


@dataclass(frozen=True)
class Runs:
    duckdb: Path  # the homes
    postgres: Path
    settings: PostgresSettings  # the test's own database
    codes: dict[str, int]
    logs: dict[str, str]


def _server() -> PostgresSettings:
    if not os.environ.get("XXGK_PG_HOST"):
        pytest.fail(
            "XXGK_REQUIRE_POSTGRES=1 but no PostgreSQL server is named: start one with "
            '`eval "$(scripts/pg-test-server start DIR)"` (it exports XXGK_PG_HOST, _PORT, '
            "_USER and _DATABASE)"
        )
    return PostgresSettings.from_env()


def _admin(server: PostgresSettings, statement: str) -> None:
    """One statement outside a transaction (create and drop database refuse one)."""
    con = psycopg2.connect(
        host=server.host,
        port=server.port,
        user=server.user,
        password=server.password or None,
        dbname=server.database,
    )
    con.autocommit = True
    try:
        con.cursor().execute(statement)
    finally:
        con.close()


@pytest.fixture(scope="module")
def database() -> Iterator[PostgresSettings]:
    """A fresh database for this module on the server, dropped afterwards."""
    server = _server()
    name = f"xxgk_test_{secrets.token_hex(4)}"
    _admin(server, f"create database {name}")
    try:
        yield replace(server, database=name)
    finally:
        _admin(server, f"drop database {name} with (force)")


@pytest.fixture(scope="module")
def runs(database: PostgresSettings, tmp_path_factory: pytest.TempPathFactory) -> Runs:
    corpus = tmp_path_factory.mktemp("synthetic")
    generate(SYNTHETIC, corpus)
    homes = {t: tmp_path_factory.mktemp(f"home-{t}") for t in ("duckdb", "postgres")}
    env = {**os.environ, "XXGK_PG_DATABASE": database.database}
    procs = {}
    for target, home in homes.items():
        command = ["run", SAMPLES, corpus / "reports", "--home", home, "--target", target]
        procs[target] = subprocess.Popen(
            [sys.executable, "-m", "xxgk", *map(str, command), "--fail-on", "never"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
    logs = {target: proc.communicate(timeout=600)[0] for target, proc in procs.items()}
    codes = {target: proc.returncode for target, proc in procs.items()}
    return Runs(homes["duckdb"], homes["postgres"], database, codes, logs)


def _findings(home: Path) -> dict:
    return json.loads((home / "findings.json").read_text("utf-8"))


def test_both_runs_succeed(runs: Runs) -> None:
    for target, code in runs.codes.items():
        assert code == 0, f"{target}:\n{runs.logs[target][-4000:]}"
    assert "warehouse built: postgresql://" in runs.logs["postgres"]
    for home in (runs.duckdb, runs.postgres):
        assert (home / "data_docs" / "index.html").is_file()
        assert _findings(home)["totals"]["check_errors"] == 0


def test_findings_are_the_same_on_both_targets(runs: Runs) -> None:
    on_duckdb, on_postgres = _findings(runs.duckdb), _findings(runs.postgres)

    def key(findings: dict) -> list[tuple]:
        return sorted(
            (f["body"], f["year"], f["rule_id"], f["instance"], f["expected"], f["actual"])
            for f in findings["findings"]
        )

    assert key(on_postgres) == key(on_duckdb)
    assert on_postgres == on_duckdb  # every field: messages, cells, contexts, totals, reports
    found = key(on_duckdb)
    # not trivially equal: the seed report's faults and the synthetic ones, of several families
    assert ("尖山区", 2025, "t4_block_total", "review", 1.0, 0.0) in found
    assert len({rule for _, _, rule, *_ in found}) >= 5, found


def test_warehouses_hold_the_same_rule_checks_and_findings(runs: Runs) -> None:
    with duckdb.connect(str(runs.duckdb / "xxgk.duckdb"), read_only=True) as con:
        on_duckdb = sorted(con.execute(RULE_CHECKS).fetchall(), key=lambda r: r[:4])
        duckdb_findings = con.execute("select count(*) from checks.findings").fetchone()
    with runs.settings.connect() as con, con.cursor() as cur:
        cur.execute(RULE_CHECKS)
        on_postgres = sorted((tuple(row) for row in cur.fetchall()), key=lambda r: r[:4])
        cur.execute("select count(*) from checks.findings")
        postgres_findings = cur.fetchone()
    assert len(on_postgres) == len(on_duckdb) > 1000
    assert on_postgres == on_duckdb
    assert postgres_findings == duckdb_findings == (len(_findings(runs.duckdb)["findings"]),)


def test_landing_is_loaded_with_the_current_rows_only(runs: Runs) -> None:
    ledger = runs.postgres / "landing" / "ledger.parquet"
    with duckdb.connect() as con:
        current = con.execute(
            "select count(distinct report_id) from read_parquet(?) where is_current "
            "and status = 'ok'",
            [str(ledger)],
        ).fetchone()
    with runs.settings.connect() as con, con.cursor() as cur:
        cur.execute("select count(distinct report_id), count(*) from landing.reports")
        reports, rows = cur.fetchone()
        cur.execute("select count(*) from landing.cells where inferred_from is null")
        (null_inferred,) = cur.fetchone()
    assert (reports,) == current and rows == reports
    assert null_inferred == 0  # an empty string stays an empty string through COPY
