"""The `xxgk` command: argument parsing only. Each subcommand lives in xxgk/commands/<name>.py
and exposes `register(subparsers)`; the work itself is library code."""

from __future__ import annotations

import argparse
import importlib
import sys

from xxgk import __version__

# order is the order `xxgk --help` lists them
COMMANDS = ("parse", "ingest", "build", "check", "run", "nightly")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="xxgk",
        description="Parse, warehouse and check 政府信息公开工作年度报告 (government "
        "information-disclosure annual reports).",
    )
    parser.add_argument("--version", action="version", version=f"xxgk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"xxgk.commands.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    return int(args.func(args) or 0)
