"""`xxgk nightly PATH...`: the scheduled run. `xxgk run` (incremental: unchanged files are
skipped), then the run is kept in the history and its findings compared with the last run's."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from xxgk.checks import history
from xxgk.checks.waivers import ENV as WAIVERS_ENV
from xxgk.commands import options
from xxgk.commands import run as run_command
from xxgk.warehouse.lock import LockHeld, hold
from xxgk.warehouse.paths import Home

HELP = "scheduled incremental run: history, findings diff against the last run, --fail-on"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "nightly",
        help=HELP,
        description=HELP
        + ". Runs `xxgk run PATH...` on HOME (files already ingested and unchanged are skipped;"
        " the models built by report add only the new and changed reports, see `xxgk build "
        "--help`; GX validates the whole warehouse), keeps the run's findings and their diff "
        "under HOME/runs/<run_id>/ with a line in HOME/runs/history.csv, and prints the "
        "findings that are new, resolved and still open since the previous run. Waived "
        "findings (see --waivers) are kept and shown but never fail the run. Exit status: 0 "
        "no open unwaived finding at or above --fail-on, 1 such a finding, a failed stage or "
        "another xxgk command using HOME, 2 bad usage.",
    )
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="report files or folders")
    options.add_home(p)
    options.add_jobs(p)
    options.add_fail_on(p)
    options.add_waivers(p)
    options.add_target(p)
    p.set_defaults(func=run)


def _line(f: dict) -> str:
    waived = " [waived]" if f.get("waived") else ""
    return f"  {f['severity']}: {f['body']} {f['year']} {f['rule_id']} {f['instance']}{waived}"


def run(args: argparse.Namespace) -> int:
    home = Home.resolve(args.home)
    try:
        with hold(home.root, "nightly"):  # held through the run and the history
            return _nightly(args, home)
    except LockHeld as e:
        print(f"xxgk: {e}", file=sys.stderr)
        return 1


def _nightly(args: argparse.Namespace, home: Home) -> int:
    run_id = history.new_run_id()
    if args.waivers is not None:
        os.environ[WAIVERS_ENV] = str(args.waivers)
    code = run_command.run(
        argparse.Namespace(
            paths=args.paths, home=args.home, jobs=args.jobs, fail_on="never", target=args.target
        )
    )
    if code != 0:
        print("xxgk nightly: the run failed; nothing recorded", file=sys.stderr)
        return code
    findings_json = home.root / "findings.json"
    current = json.loads(findings_json.read_text("utf-8"))
    runs = home.root / "runs"
    diff = history.compare(history.previous_findings(runs, run_id), current["findings"])
    open_ = [f for f in diff.new + diff.still_open if not f["waived"]]
    worst = {f["severity"] for f in open_}
    failed = (args.fail_on == "error" and "error" in worst) or (
        args.fail_on == "warning" and bool(worst)
    )
    status = 1 if failed else 0
    kept = history.record(runs, run_id, findings_json, diff, status)
    counts = diff.counts()
    print(
        f"xxgk nightly: {counts['new']} new, {counts['resolved']} resolved, "
        f"{counts['still_open']} still open ({current['totals'].get('waived', 0)} waived); "
        f"run kept in {kept}"
    )
    for title, items in (("new", diff.new), ("resolved", diff.resolved)):
        if items:
            print(f" {title}:")
            for f in items:
                print(_line(f))
    return status
