#!/usr/bin/env python3
"""Parse throughput per form on the bundled samples (one core), printed as a table.

    .venv/bin/python scripts/bench_parse.py [--seconds 2] [FILE...]

Each file is parsed repeatedly for about --seconds; the table shows reports/s and ms/report.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from xxgk.ingest.model import ParseError
from xxgk.ingest.parse import parse_bytes

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "reports"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="default: samples/reports/*")
    parser.add_argument("--seconds", type=float, default=2.0, help="time per file (default 2)")
    args = parser.parse_args()
    files = args.files or sorted(p for p in SAMPLES.iterdir() if p.suffix != ".md")
    print(f"{'file':40} {'form':13} {'reports/s':>10} {'ms/report':>10}")
    for path in files:
        data = path.read_bytes()
        try:
            form = parse_bytes(data, str(path)).report.form
        except ParseError as e:
            print(f"{path.name:40} refused: {e.reason}")
            continue
        n, start = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - start) < args.seconds:
            parse_bytes(data, str(path))
            n += 1
        print(f"{path.name:40} {form:13} {n / elapsed:10.1f} {1000 * elapsed / n:10.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
