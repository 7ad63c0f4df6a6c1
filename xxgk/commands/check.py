"""`xxgk check`: validate the warehouse with Great Expectations, write findings, publish docs."""

from __future__ import annotations

import argparse
import sys

from xxgk.commands import options
from xxgk.warehouse.paths import PROJECT_DIR, Home
from xxgk.warehouse.targets import warehouse_for

HELP = "check the warehouse with Great Expectations: findings, offline Data Docs, dbt docs"
EXPECTATIONS = PROJECT_DIR / "expectations"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check",
        help=HELP,
        description=HELP + ". Runs the GX checkpoint (one validation per suite in "
        "expectations/, over the whole warehouse HOME/xxgk.duckdb, read-only, or the PostgreSQL "
        "one with --target postgres), then writes "
        "HOME/findings.csv, findings_by_report.csv and findings.json and the warehouse tables "
        "checks.findings and checks.findings_by_report, and publishes the Data Docs site "
        "HOME/data_docs (self-contained: it works offline) linking the dbt docs. Findings a "
        "reviewed waivers file covers stay in every output, marked waived, and do not count "
        "towards the exit status. Exit status: 0 no unwaived error-severity finding, 1 an error "
        "finding, a check GX could not evaluate, a stale suite, a bad waivers file, a missing "
        "warehouse or another xxgk command using HOME, 2 bad usage.",
    )
    options.add_home(p)
    options.add_waivers(p)
    p.add_argument(
        "--no-dbt-docs",
        action="store_true",
        help="do not run `dbt docs generate --static` first: link the dbt docs as the last "
        "`xxgk build --docs` left them, if any",
    )
    options.add_target(p)
    p.add_argument(
        "--write-suites",
        action="store_true",
        help="only regenerate expectations/*.json from the rules catalog, then exit",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from xxgk.checks.suites import write_suites

    if args.write_suites:
        for path in write_suites(EXPECTATIONS):
            print(f"xxgk: wrote {path}")
        return 0
    home = Home.resolve(args.home)
    from xxgk.warehouse.lock import LockHeld, hold

    try:
        with hold(home.root, "check"):
            return _check(args, home)
    except LockHeld as e:
        print(f"xxgk: {e}", file=sys.stderr)
        return 1


def _check(args: argparse.Namespace, home: Home) -> int:
    from xxgk.checks.waivers import WaiverError, find_file, load

    waivers_file = find_file(getattr(args, "waivers", None), home.root, PROJECT_DIR)
    try:
        waivers = load(waivers_file) if waivers_file else []
    except WaiverError as e:
        print(f"xxgk: {e}", file=sys.stderr)
        return 1
    try:
        warehouse = warehouse_for(home, args.target)
        built = warehouse.exists()
    except (ValueError, RuntimeError) as e:  # bad XXGK_PG_* settings, server unreachable
        print(f"xxgk: {e}", file=sys.stderr)
        return 1
    if not built:
        print(
            f"xxgk: no warehouse at {warehouse.describe()}: run `xxgk build` first",
            file=sys.stderr,
        )
        return 1
    dbt_index = home.dbt_target / "static_index.html"
    failed = False
    if args.no_dbt_docs:
        dbt_index = dbt_index if dbt_index.is_file() else None
    else:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager

        from xxgk.warehouse.runner import run_dbt

        outcome = run_dbt(["docs", "generate", "--static"], home, target=args.target)
        # dbt-duckdb keeps the file open in this process; GX must open it read-only next
        DuckDBConnectionManager.close_all_connections()
        if not outcome.success:
            dbt_index = None
            failed = True
            problem = outcome.error or "; ".join(outcome.failures)
            print(f"xxgk: dbt docs generate failed: {problem}", file=sys.stderr)

    from xxgk.checks.run import run_checks

    try:
        done = run_checks(warehouse, home.root, EXPECTATIONS, dbt_index, waivers)
    except RuntimeError as e:  # stale suites, PostgreSQL server gone
        print(f"xxgk: {e}", file=sys.stderr)
        return 1
    totals = done.findings.totals
    print(
        f"xxgk: checked {totals['reports']} reports: {totals['errors']} errors and "
        f"{totals['warnings']} warnings in {totals['reports_with_findings']} reports, "
        f"{totals['waived']} waived "
        f"(GX {done.seconds['validate']:.1f}s)"
    )
    from xxgk.checks.findings import unused_waivers

    for w in unused_waivers(done.findings, waivers):
        print(f"xxgk: waiver matches no finding: {w.rule} {w.report} ({waivers_file})")
    for error in done.findings.check_errors:
        print(f"xxgk: check could not run: {error}", file=sys.stderr)
    for path in done.files:
        print(f"  findings: {path}")
    print(f"  Data Docs: {done.site / 'index.html'}")
    return 1 if failed or totals["errors"] or totals["check_errors"] else 0
