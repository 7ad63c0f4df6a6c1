"""`xxgk run [PATH...]`: the whole job, ingest → dbt build → GX checkpoint → Data Docs → findings.

Each stage is the command of the same name; this one only chains them and decides the exit
status from the findings with --fail-on.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from xxgk.commands import build, check, ingest, options
from xxgk.warehouse.lock import LockHeld, hold
from xxgk.warehouse.paths import PROJECT_DIR, Home

HELP = "the whole job: ingest, dbt build, GX checkpoint, Data Docs and findings"
SAMPLES = PROJECT_DIR / "samples" / "reports"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "run",
        help=HELP,
        description=HELP + ". Runs `xxgk ingest PATH...` (default: the bundled sample reports), "
        "`xxgk build --docs` and `xxgk check --no-dbt-docs`, printing each stage's progress, "
        "then a summary. "
        "Exit status: 0 done (and no finding at or above --fail-on), 1 a stage failed, a "
        "finding at or above --fail-on, or another xxgk command is using HOME (it is named; "
        "one command at a time uses a home), 2 bad usage. Files that cannot be parsed are "
        "reported and skipped; they do not stop the run.",
    )
    p.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help=f"report files or folders ({SAMPLES})"
    )
    options.add_home(p)
    options.add_jobs(p)
    options.add_fail_on(p)
    options.add_target(p)
    p.set_defaults(func=run)


def _stage(name: str, started: float) -> None:
    print(f"xxgk run: {name} done in {time.perf_counter() - started:.1f}s", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    home = Home.resolve(args.home)
    try:
        with hold(home.root, "run"):  # the stages take it again: held once, for the whole run
            return _stages(args, home)
    except LockHeld as e:
        print(f"xxgk: {e}", file=sys.stderr)
        return 1


def _stages(args: argparse.Namespace, home: Home) -> int:
    paths = args.paths or [SAMPLES]
    common = {"home": args.home, "target": args.target}
    start = time.perf_counter()
    code = ingest.run(
        argparse.Namespace(paths=paths, jobs=args.jobs, compact=False, quiet=False, **common)
    )
    if code == 2:
        return 2
    _stage("ingest", start)
    start = time.perf_counter()
    if build.run(argparse.Namespace(select=None, docs=True, full_refresh=False, **common)) != 0:
        return 1
    _stage("dbt build", start)
    start = time.perf_counter()
    checked = check.run(argparse.Namespace(no_dbt_docs=True, write_suites=False, **common))
    _stage("checks and docs", start)
    summary = home.root / "findings.json"
    if not summary.is_file():
        return 1
    totals = json.loads(summary.read_text("utf-8"))["totals"]
    if checked != 0 and not totals["errors"]:
        return 1  # the checks stage itself failed, not a finding
    if args.fail_on == "error" and totals["errors"]:
        return 1
    if args.fail_on == "warning" and (totals["errors"] or totals["warnings"]):
        return 1
    return 0
