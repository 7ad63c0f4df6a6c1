"""`xxgk build`: build the warehouse from the landing with dbt (seed, run, test)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from xxgk.warehouse.paths import Home
from xxgk.warehouse.runner import build

HELP = "build the warehouse from the landing: dbt seed, run and test (dbt build)"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "build",
        help=HELP,
        description=HELP + ", on the DuckDB file HOME/xxgk.duckdb, reading HOME/landing. "
        "dbt's own progress is shown as it runs. Exit status: 0 built and every test passed, "
        "1 a model, seed or test failed (each is listed), 2 bad usage.",
    )
    p.add_argument(
        "--home",
        type=Path,
        help="where the landing and warehouse live (default: $XXGK_HOME, else out/ in the repo)",
    )
    p.add_argument("--select", metavar="SPEC", help="dbt node selection, e.g. +fct_rule_checks")
    p.add_argument("--docs", action="store_true", help="then generate dbt docs (HOME/dbt/target)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    home = Home.resolve(args.home)
    outcome = build(home, select=args.select, docs=args.docs)
    if outcome.success:
        print(f"xxgk: warehouse built: {home.warehouse}")
        return 0
    print("xxgk: build failed" + (f": {outcome.error}" if outcome.error else ""), file=sys.stderr)
    for failure in outcome.failures:
        print(f"  {failure}", file=sys.stderr)
    return 1
