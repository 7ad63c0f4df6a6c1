"""Running dbt programmatically (dbtRunner) on the project at the repository root, against the
DuckDB file and landing of one home (see paths.py).

`build` works on a copy of the warehouse and swaps it in with one rename when dbt has finished,
so a killed build leaves the last complete warehouse, never one with some models rebuilt and
others not; the next build discards the copy it left. The largest models are built by report
(macros/incremental.sql): a build adds what changed in the landing, and runs a full refresh
when asked or when the project differs from the last complete build's (fingerprint.py).

With `target="postgres"` (profiles.yml) the warehouse is a PostgreSQL server: the landing's
current rows are loaded into its schema `landing` first (postgres_loader, COPY), then dbt builds
there in place, each model replaced in its own transaction.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from xxgk.ingest.landing import Landing
from xxgk.warehouse import fingerprint
from xxgk.warehouse.paths import HOME_ENV, PROJECT_DIR, Home
from xxgk.warehouse.targets import DEFAULT_TARGET

WAREHOUSE_ENV = "XXGK_WAREHOUSE"  # the DuckDB file profiles.yml opens (default HOME/xxgk.duckdb)


@dataclass
class DbtOutcome:
    success: bool
    failures: list[str] = field(default_factory=list)  # "node: message" for each error or fail
    models_failed: bool = False  # a model or seed errored or was skipped
    error: str | None = None  # dbt could not run at all (bad project, no connection, …)


@contextmanager
def _environment(home: Home, warehouse: Path | None) -> Iterator[None]:
    """$XXGK_HOME for profiles.yml and the landing source, $XXGK_WAREHOUSE for the DuckDB file
    when it is not the home's own; telemetry off."""
    saved = {k: os.environ.get(k) for k in (HOME_ENV, WAREHOUSE_ENV, "DO_NOT_TRACK")}
    os.environ[HOME_ENV] = str(home.root)
    os.environ[WAREHOUSE_ENV] = str(warehouse or home.warehouse)
    os.environ["DO_NOT_TRACK"] = "1"
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def run_dbt(
    args: list[str],
    home: Home,
    project_dir: Path = PROJECT_DIR,
    warehouse: Path | None = None,
    target: str = DEFAULT_TARGET,
) -> DbtOutcome:
    """One dbt command (e.g. ["build"]) with the project, profile, target and log paths set, on
    `warehouse` (default: the home's DuckDB file) or, for target `postgres`, on the server."""
    from dbt.cli.main import dbtRunner

    cli = [
        *args,
        "--project-dir", str(project_dir),
        "--profiles-dir", str(project_dir),
        "--target-path", str(home.dbt_target),
        "--log-path", str(home.dbt_logs),
        "--target", target,
    ]  # fmt: skip
    home.root.mkdir(parents=True, exist_ok=True)
    with _environment(home, warehouse):
        result = dbtRunner().invoke(cli)
    if result.exception is not None:
        return DbtOutcome(False, error=f"{type(result.exception).__name__}: {result.exception}")
    results = getattr(result.result, "results", None) or []
    failed = [r for r in results if str(r.status) in ("error", "fail", "runtime error")]
    unbuilt = [  # models and seeds that errored, or were skipped after a failure upstream
        r
        for r in results
        if str(r.node.resource_type) in ("model", "seed")
        and str(r.status) in ("error", "runtime error", "skipped")
    ]
    return DbtOutcome(
        bool(result.success),
        [f"{r.node.name}: {r.message or r.status}" for r in failed],
        bool(unbuilt),
    )


def _discard(database: Path) -> None:
    for path in (database, database.with_name(database.name + ".wal")):
        path.unlink(missing_ok=True)


@dataclass(frozen=True)
class _Plan:
    """What one build runs: dbt's arguments, whether the docs are regenerated, and the project
    fingerprint to store once it is complete (None: a partial selection stores none). With the
    project of the last complete build, the build is by report and leaves out what only the
    project decides: the seeds, their tests and the unit tests."""

    dbt_args: list[str]
    docs: bool
    fingerprint: str | None
    target: str

    @classmethod
    def make(
        cls, home: Home, select: str | None, docs: bool, target: str, full_refresh: bool
    ) -> _Plan:
        current = fingerprint.project_fingerprint()
        # rows built by report stay only while the project that built them is the same
        full = (
            full_refresh
            or fingerprint.stored(home.built_with(target)) != current
            or (target != "postgres" and not home.warehouse.exists())
        )
        if select:
            selection = ["--select", select]
        elif full:
            selection = []
        else:  # the seeds and the unit tests are the ones the last complete build passed
            selection = ["--select", "source:landing+", "--exclude-resource-type", "unit_test"]
        made = f"{current} {target}"
        return cls(
            dbt_args=["build", *selection, *(["--full-refresh"] if full else [])],
            docs=docs and fingerprint.stored(home.docs_made_with) != made,
            fingerprint=None if select else current,
            target=target,
        )

    def run(self, home: Home, warehouse: Path | None = None) -> DbtOutcome:
        outcome = run_dbt(self.dbt_args, home, warehouse=warehouse, target=self.target)
        if outcome.success and self.docs:
            # on the same warehouse and profile as the build, so dbt's partial parsing holds;
            # --no-compile: the build has just compiled what it ran, and the docs show that
            docs = ["docs", "generate", "--static", "--no-compile"]
            outcome = run_dbt(docs, home, warehouse=warehouse, target=self.target)
            if outcome.success and self.fingerprint:
                fingerprint.store(home.docs_made_with, f"{self.fingerprint} {self.target}")
        return outcome

    def complete(self, home: Home) -> None:
        if self.fingerprint:
            fingerprint.store(home.built_with(self.target), self.fingerprint)


def _build_postgres(home: Home, plan: _Plan) -> DbtOutcome:
    """The landing loaded into the server, then `dbt build` (and `dbt docs generate`) there."""
    import psycopg2

    from xxgk.warehouse.postgres import PostgresSettings, WarehouseUnavailable
    from xxgk.warehouse.postgres_loader import load_landing

    try:
        load_landing(Landing(home.landing), PostgresSettings.from_env())
    except (WarehouseUnavailable, psycopg2.Error) as e:
        return DbtOutcome(False, error=f"loading the landing into PostgreSQL: {e}".strip())
    outcome = plan.run(home)
    if outcome.error is None and not outcome.models_failed:
        plan.complete(home)
    return outcome


def build(
    home: Home,
    select: str | None = None,
    docs: bool = False,
    target: str = DEFAULT_TARGET,
    full_refresh: bool = False,
) -> DbtOutcome:
    """Seed, run and test the warehouse (`dbt build`) on a copy swapped in when dbt finishes,
    optionally with `dbt docs generate --static` (HOME/dbt/target/static_index.html, made
    again only when the project changed). Models built by report add the new and changed
    reports only, unless `full_refresh` or the project changed since the last complete build
    (fingerprint.py). An empty landing is created first, so a build before any ingest gives
    empty marts. Target `postgres` builds on the server (see above)."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    Landing(home.landing).init()
    plan = _Plan.make(home, select, docs, target, full_refresh)
    if target == "postgres":
        return _build_postgres(home, plan)
    copy = home.root / f".{home.warehouse.name}.building"
    _discard(copy)  # what a killed build left
    if home.warehouse.exists():
        shutil.copyfile(home.warehouse, copy)
    outcome = plan.run(home, warehouse=copy)
    DuckDBConnectionManager.close_all_connections()
    if outcome.error is not None or outcome.models_failed:
        # dbt did not run, or would leave some models of this build beside others of the last:
        # the last complete warehouse stays
        _discard(copy)
        return outcome
    with duckdb.connect(str(copy)) as con:
        con.execute("checkpoint")  # everything in the file itself, none of it in a WAL
    os.replace(copy, home.warehouse)
    plan.complete(home)
    return outcome
