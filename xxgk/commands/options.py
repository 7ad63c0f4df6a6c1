"""Options several commands share, declared once so their names, defaults and help agree."""

from __future__ import annotations

import argparse
from pathlib import Path

from xxgk.warehouse.targets import DEFAULT_TARGET, TARGET_HELP, TARGETS


def add_home(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--home",
        type=Path,
        help="where landing, warehouse, outputs and run history live "
        "(default: $XXGK_HOME, else out/ in the repo)",
    )


def add_jobs(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--jobs", type=int, default=1, metavar="N", help="parse N files at once (default 1)"
    )


def add_fail_on(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--fail-on",
        choices=("error", "warning", "never"),
        default="error",
        help="exit 1 when an unwaived finding of this severity or worse exists (default: error)",
    )


def add_waivers(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--waivers",
        type=Path,
        metavar="FILE",
        help="reviewed waivers (rule, report, reason, who); default: $XXGK_WAIVERS, else "
        "waivers.yaml in HOME, else in the project (see waivers.example.yaml)",
    )


def add_target(p: argparse.ArgumentParser) -> None:
    p.add_argument("--target", choices=TARGETS, default=DEFAULT_TARGET, help=TARGET_HELP)
