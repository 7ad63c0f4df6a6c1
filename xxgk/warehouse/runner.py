"""Running dbt programmatically (dbtRunner) on the project at the repository root, against the
DuckDB file and landing of one home (see paths.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from xxgk.ingest.landing import Landing
from xxgk.warehouse.paths import HOME_ENV, PROJECT_DIR, Home


@dataclass
class DbtOutcome:
    success: bool
    failures: list[str] = field(default_factory=list)  # "node: message" for each error or fail
    error: str | None = None  # dbt could not run at all (bad project, no connection, …)


@contextmanager
def _environment(home: Home) -> Iterator[None]:
    """$XXGK_HOME for profiles.yml and the landing source; telemetry off."""
    saved = {k: os.environ.get(k) for k in (HOME_ENV, "DO_NOT_TRACK")}
    os.environ[HOME_ENV] = str(home.root)
    os.environ["DO_NOT_TRACK"] = "1"
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def run_dbt(args: list[str], home: Home, project_dir: Path = PROJECT_DIR) -> DbtOutcome:
    """One dbt command (e.g. ["build"]) with the project, profile, target and log paths set."""
    from dbt.cli.main import dbtRunner

    cli = [
        *args,
        "--project-dir", str(project_dir),
        "--profiles-dir", str(project_dir),
        "--target-path", str(home.dbt_target),
        "--log-path", str(home.dbt_logs),
    ]  # fmt: skip
    home.root.mkdir(parents=True, exist_ok=True)
    with _environment(home):
        result = dbtRunner().invoke(cli)
    if result.exception is not None:
        return DbtOutcome(False, error=f"{type(result.exception).__name__}: {result.exception}")
    failures = [
        f"{r.node.name}: {r.message or r.status}"
        for r in getattr(result.result, "results", None) or []
        if str(r.status) in ("error", "fail", "runtime error")
    ]
    return DbtOutcome(bool(result.success), failures)


def build(home: Home, select: str | None = None, docs: bool = False) -> DbtOutcome:
    """Seed, run and test the warehouse (`dbt build`), then optionally `dbt docs generate`.
    An empty landing is created first, so a build before any ingest gives empty marts."""
    Landing(home.landing).init()
    outcome = run_dbt(["build", *(["--select", select] if select else [])], home)
    if outcome.success and docs:
        outcome = run_dbt(["docs", "generate"], home)
    return outcome
