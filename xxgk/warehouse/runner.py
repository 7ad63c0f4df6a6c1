"""Running dbt programmatically (dbtRunner) on the project at the repository root, against the
DuckDB file and landing of one home (see paths.py).

`build` works on a copy of the warehouse and swaps it in with one rename when dbt has finished,
so a killed build leaves the last complete warehouse, never one with some models rebuilt and
others not; the next build discards the copy it left.

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


def _build_postgres(home: Home, select: str | None, docs: bool) -> DbtOutcome:
    """The landing loaded into the server, then `dbt build` (and `dbt docs generate`) there."""
    import psycopg2

    from xxgk.warehouse.postgres import PostgresSettings, WarehouseUnavailable
    from xxgk.warehouse.postgres_loader import load_landing

    try:
        load_landing(Landing(home.landing), PostgresSettings.from_env())
    except (WarehouseUnavailable, psycopg2.Error) as e:
        return DbtOutcome(False, error=f"loading the landing into PostgreSQL: {e}".strip())
    outcome = run_dbt(["build", *(["--select", select] if select else [])], home, target="postgres")
    if outcome.success and docs:
        outcome = run_dbt(["docs", "generate", "--static"], home, target="postgres")
    return outcome


def build(
    home: Home, select: str | None = None, docs: bool = False, target: str = DEFAULT_TARGET
) -> DbtOutcome:
    """Seed, run and test the warehouse (`dbt build`) on a copy swapped in when dbt finishes,
    optionally with `dbt docs generate --static` (HOME/dbt/target/static_index.html). An empty
    landing is created first, so a build before any ingest gives empty marts. Target
    `postgres` builds on the server (see above)."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    Landing(home.landing).init()
    if target == "postgres":
        return _build_postgres(home, select, docs)
    copy = home.root / f".{home.warehouse.name}.building"
    _discard(copy)  # what a killed build left
    if home.warehouse.exists():
        shutil.copyfile(home.warehouse, copy)
    outcome = run_dbt(["build", *(["--select", select] if select else [])], home, warehouse=copy)
    if outcome.success and docs:
        # on the copy too: the same profile as the build, so dbt's partial parsing holds
        outcome = run_dbt(["docs", "generate", "--static"], home, warehouse=copy)
    DuckDBConnectionManager.close_all_connections()
    if outcome.error is not None or outcome.models_failed:
        # dbt did not run, or would leave some models of this build beside others of the last:
        # the last complete warehouse stays
        _discard(copy)
        return outcome
    with duckdb.connect(str(copy)) as con:
        con.execute("checkpoint")  # everything in the file itself, none of it in a WAL
    os.replace(copy, home.warehouse)
    return outcome
