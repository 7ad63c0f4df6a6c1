"""`xxgk build`: build the warehouse from the landing with dbt (seed, run, test)."""

from __future__ import annotations

import argparse
import sys

from xxgk.commands import options
from xxgk.warehouse.lock import LockHeld, hold
from xxgk.warehouse.paths import Home
from xxgk.warehouse.runner import build
from xxgk.warehouse.targets import warehouse_for

HELP = "build the warehouse from the landing: dbt seed, run and test (dbt build)"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "build",
        help=HELP,
        description=HELP + ", on the DuckDB file HOME/xxgk.duckdb (--target postgres: on a "
        "PostgreSQL server, the landing loaded into its schema landing first), reading "
        "HOME/landing. "
        "dbt's own progress is shown as it runs. One command at a time uses a home: another "
        "one running there is named and this one stops. Exit status: 0 built and every test "
        "passed, 1 a model, seed or test failed (each is listed) or another xxgk command is "
        "using HOME, 2 bad usage.",
    )
    options.add_home(p)
    p.add_argument("--select", metavar="SPEC", help="dbt node selection, e.g. +fct_rule_checks")
    p.add_argument(
        "--docs",
        action="store_true",
        help="then generate the dbt docs (HOME/dbt/target/static_index.html), which `xxgk check "
        "--no-dbt-docs` links as they are; skipped when the docs there were made from the same "
        "project",
    )
    p.add_argument(
        "--full-refresh",
        action="store_true",
        help="rebuild everything: the seeds, every model, every test and unit test. Without it, "
        "when the project (models, macros, seeds, dbt's version) is the one of the last "
        "complete build, the models built by report (fct_disclosure_cells, "
        "int_rule_sides_valued, fct_rule_checks) add the new and changed reports only, and the "
        "seeds, their tests and the unit tests, which that build passed, are left out",
    )
    options.add_target(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    home = Home.resolve(args.home)
    try:
        warehouse = warehouse_for(home, args.target)
    except ValueError as e:  # bad XXGK_PG_* settings
        print(f"xxgk: {e}", file=sys.stderr)
        return 2
    try:
        with hold(home.root, "build"):
            outcome = build(
                home,
                select=args.select,
                docs=args.docs,
                target=args.target,
                full_refresh=args.full_refresh,
            )
    except LockHeld as e:
        print(f"xxgk: {e}", file=sys.stderr)
        return 1
    if outcome.success:
        print(f"xxgk: warehouse built: {warehouse.describe()}")
        return 0
    print("xxgk: build failed" + (f": {outcome.error}" if outcome.error else ""), file=sys.stderr)
    for failure in outcome.failures:
        print(f"  {failure}", file=sys.stderr)
    return 1
