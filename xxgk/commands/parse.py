"""`xxgk parse FILE... [--json]`: read reports into template cells, facts and problems."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from xxgk.ingest.model import ParseError, ParseResult, shown
from xxgk.ingest.parse import parse_file

HELP = "parse report files into template cells, narrative facts and problems"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "parse",
        help=HELP,
        description=HELP + ". Forms (detected from content): DOCX, PDF, HTML, text extracted "
        "from DOCX, Markdown/plain text converted from PDF. A file that is not a readable "
        "report gets one line on stderr (file: reason) and exit status 2; the other files "
        "are still parsed.",
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="report files")
    p.add_argument(
        "--json",
        action="store_true",
        help="print the full result as JSON: one object for one file, a list for several",
    )
    p.set_defaults(func=run)


def _summary(result: ParseResult) -> str:
    r = result.report
    read = sum(1 for c in result.cells if c.status != "missing")
    lines = [
        f"{shown(r.source_path)}: {r.body or '?'} {r.year or '?'} "
        f"(template {r.template}, {r.form}): "
        f"{read}/{len(result.cells)} cells, {len(result.facts)} facts, "
        f"{len(result.problems)} problems"
    ]
    lines += [
        f"  problem: {p.kind}: {p.message}" + (f" [{p.where}]" if p.where else "")
        for p in result.problems
    ]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    results: list[dict] = []
    failed = 0
    for path in args.files:
        try:
            result = parse_file(path)
        except ParseError as e:
            failed += 1
            print(f"xxgk: {shown(path)}: {e.reason}", file=sys.stderr)
            continue
        if args.json:
            results.append(result.to_json())
        else:
            print(_summary(result))
    if args.json:
        payload = results[0] if len(args.files) == 1 and results else results
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    return 2 if failed else 0
