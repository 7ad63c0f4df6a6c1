"""`xxgk ingest PATH...`: parse report files and land them for the warehouse."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from xxgk.commands import options
from xxgk.ingest.landing import FileOutcome, Landing, find_reports
from xxgk.ingest.model import shown
from xxgk.warehouse.lock import LockHeld, hold
from xxgk.warehouse.paths import Home

HELP = "parse report files (or folders, recursively) and land them for the warehouse"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "ingest",
        help=HELP,
        description=HELP + ". Each file is parsed and landed as Parquet under HOME/landing "
        "with a ledger row (file, sha256, body, year, template, parser version, problems). "
        "Unchanged files are skipped, a changed file replaces its earlier version, and a file "
        "that cannot be parsed is recorded with its reason and no data. Folders are searched "
        "for .txt .md .html .htm .docx .pdf files (README and hidden files skipped, and a "
        "symlink to a file outside the folder skipped with a warning). One command at a time "
        "uses a home: another one running there is named and this one stops. Exit status: 0 "
        "all landed or unchanged, 1 some files failed or another xxgk command is using HOME, "
        "2 bad usage or a path that does not exist.",
    )
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="report files or folders")
    options.add_home(p)
    options.add_jobs(p)
    p.add_argument(
        "--compact",
        action="store_true",
        help="afterwards fold all landing batches into one (done anyway when they pile up)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress, only the summary")
    p.set_defaults(func=run)


class _Progress:
    """One line per file on a terminal; on a pipe, about twenty lines for a long run."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self.started = time.monotonic()

    def __call__(self, outcome: FileOutcome, done: int, total: int) -> None:
        if outcome.status == "failed":
            print(f"\rxxgk: {shown(outcome.path)}: {outcome.reason}", file=sys.stderr)
        if self.quiet or total < 2:
            return
        if not self.tty and done != total and done % max(1, total // 20):
            return
        rate = done / max(time.monotonic() - self.started, 1e-6)
        line = f"[{done}/{total}] {rate:.1f} files/s {outcome.status}: {shown(outcome.path.name)}"
        print(f"\r{line[:100]:<100}" if self.tty else line, end="" if self.tty else "\n",
              file=sys.stderr)  # fmt: skip
        if self.tty and done == total:
            print(file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    if args.jobs < 1:
        print("xxgk: --jobs must be at least 1", file=sys.stderr)
        return 2
    skipped: list[FileOutcome] = []
    try:
        files = find_reports(args.paths, skipped)
    except FileNotFoundError as e:
        print(f"xxgk: no such file or folder: {shown(str(e))}", file=sys.stderr)
        return 2
    for outcome in skipped:
        print(f"xxgk: {shown(outcome.path)}: skipped: {outcome.reason}", file=sys.stderr)
    home = Home.resolve(args.home)
    landing = Landing(home.landing)
    try:
        with hold(home.root, "ingest"):
            summary = landing.ingest(files, progress=_Progress(args.quiet), jobs=args.jobs)
            if args.compact:
                landing.compact()
    except (LockHeld, RuntimeError) as e:  # another command holds the home, or the landing
        print(f"xxgk: {e}", file=sys.stderr)
        return 1
    counts = ", ".join(
        f"{summary.count(s)} {s}"
        for s in ("ingested", "replaced", "duplicate", "skipped", "failed")
    )
    where = f" (batch {summary.batch_id})" if summary.batch_id else ""
    where += ", batches compacted" if summary.compacted or args.compact else ""
    if skipped:
        where += f"; {len(skipped)} symlinks to files outside their folder not read"
    print(f"{len(files)} files: {counts} -> {home.landing}{where}")
    return 1 if summary.failed else 0
