#!/usr/bin/env python3
"""Benchmark xxgk on synthetic provinces: speed, memory and detection at several sizes.

    .venv/bin/python scripts/bench.py --sizes 1000,10000 [--work out/bench]

For each size N (reports; N/5 bodies × 5 years, text and HTML forms, 5% faulty) it generates
the corpus (kept under --work and reused), runs `xxgk run` on a fresh home and times its stages,
re-measures GX validation alone and its Data Docs on the built warehouse, times one hand-written
DuckDB query computing the same checks (the floor GX is compared with), runs `xxgk nightly`
over the same home with 1% new files (next year's reports of 1% of the bodies), and
scores findings against the manifest (recall and precision per rule, parse accuracy per form).
Parse throughput and accuracy per form are measured once, on samples of every form (on all
cores, on one, and per CPU-second: a figure other jobs on the machine do not change). Prints
Markdown tables; --json writes the numbers too. Never part of the test suite (only a
smoke size is, in tests/test_synth.py).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from xxgk.ingest.model import ParseResult
from xxgk.ingest.parse import parse_file
from xxgk.synth.corpus import CorpusSpec, generate
from xxgk.synth.render import FORMS, TEXT_FORMS
from xxgk.synth.score import Score, score
from xxgk.template.rules import load_rules

ROOT = Path(__file__).resolve().parents[1]
XXGK = [sys.executable, "-m", "xxgk"]
YEARS = 5
FIRST_YEAR = 2021
# parse samples: a share of --parse-sample for the slow forms (drawing and reading PDF is slow)
SAMPLE_SHARE = {"docx": 2, "pdf": 8}
TARGETS = {"docx_text": 500, "markdown": 500, "text": 500, "html": 500, "docx": 100, "pdf": 20}


@dataclass
class Measured:
    seconds: float
    cpu_seconds: float  # user + system time of the command's whole process tree
    max_rss_mb: float  # the command's own process (parse workers are small)
    load: float  # the machine's 1-minute load average when the command ended
    stages: dict[str, float] = field(default_factory=dict)  # from `xxgk run`'s own log
    exit_code: int = 0


@dataclass
class SizeResult:
    reports: int
    generate_s: float
    run: Measured
    gx_validate_s: float
    gx_docs_s: float
    floor_s: float
    floor_matches_gx: bool
    nightly_reports: int
    nightly: Measured
    score: dict


def _high_water_mb(pid: int) -> float:
    """VmHWM of a running process: its peak RSS since it exec'd, in MB (0 once it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0.0


def measure(cmd: list[str], log: Path) -> Measured:
    """Run `cmd`, its output to `log`; wall time, CPU time and the command's peak RSS.

    The peak is read from /proc while the command runs, not from wait4: Linux carries a forked
    child's pre-exec high-water mark into its rusage, so a command started by this (by then
    large) process would report this process's own peak. The last 0.1 s may go unseen."""
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = 0.0
    with log.open("w") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, cwd=ROOT)
        while proc.poll() is None:
            peak = max(peak, _high_water_mb(proc.pid))
            time.sleep(0.1)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds = time.perf_counter() - start
    text = log.read_text("utf-8", errors="replace")
    stages = {m[1]: float(m[2]) for m in re.finditer(r"xxgk run: (.+?) done in ([\d.]+)s", text)}
    cpu = usage.ru_utime + usage.ru_stime - before.ru_utime - before.ru_stime
    load = os.getloadavg()[0]
    return Measured(seconds, cpu, peak, load, stages, proc.returncode)


def machine() -> dict[str, object]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = next(
        int(line.split()[1]) // 1024
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_mb": mem,
        "python": platform.python_version(),
        "load_average_at_start": os.getloadavg(),
    }


# ---- parse throughput ------------------------------------------------------------------------


def _parse_count(path: Path) -> int:
    parse_file(path)
    return 1


def _cells_equal(corpus: Path, results: list[ParseResult]) -> tuple[int, int]:
    """Cells of the parsed sample equal to what the manifest says was written, and all cells."""
    truth = pq.read_table(corpus / "manifest" / "cells.parquet").to_pylist()
    written = {(t["report_id"], t["cell_code"]): (t["value"], t["status"]) for t in truth}
    parsed = {(r.report.sha256[:16], c.code): (c.value, c.status) for r in results for c in r.cells}
    equal = sum(
        1
        for key, (value, status) in written.items()
        if key in parsed
        and parsed[key][1] == status
        and (value is None) == (parsed[key][0] is None)
        and (value is None or abs(parsed[key][0] - value) < 1e-6)
    )
    return equal, len(written)


def parse_throughput(work: Path, seed: int, sample: int, jobs: int) -> dict[str, dict]:
    out = {}
    for form in FORMS:
        folder = work / "parse" / form
        n = max(5, sample // SAMPLE_SHARE.get(form, 1))
        if not (folder / "manifest" / "corpus.json").exists():
            generate(
                CorpusSpec(seed=seed, bodies=n, years=1, forms=(form,), fault_rate=0.0),
                folder,
                jobs=jobs,
            )
        files = sorted((folder / "reports").rglob("*.*"))
        parse_file(files[0])  # imports and caches warm, as in a long run
        start, cpu = time.perf_counter(), time.process_time()
        results = [parse_file(f) for f in files]
        one = len(files) / (time.perf_counter() - start)
        per_cpu_second = len(files) / (time.process_time() - cpu)
        equal, total = _cells_equal(folder, results)
        start = time.perf_counter()
        with ProcessPoolExecutor(jobs) as pool:
            done = sum(pool.map(_parse_count, files, chunksize=8))
        every = done / (time.perf_counter() - start)
        kb = sum(f.stat().st_size for f in files) / len(files) / 1024
        out[form] = {
            "files": len(files),
            "kb": kb,
            "all_cores": every,
            "one_core": one,
            "per_cpu_second": per_cpu_second,
            "load": os.getloadavg()[0],
            "cells": total,
            "cells_equal": equal,
        }
        print(
            f"bench: parse {form}: {every:.0f}/s on {jobs} cores, {one:.0f}/s on one "
            f"({per_cpu_second:.0f} per CPU-second)",
            file=sys.stderr,
        )
    return out


# ---- the SQL floor ---------------------------------------------------------------------------

FLOOR = """
with
terms as (select * from floor_terms),
reports as (
    select r.report_id, r.report_year, r.template, b.body_name_normalised as body_key
    from dim_reports as r left join dim_bodies as b using (body_id)
),
contexts as (
    select report_id, 'report' as scope, 'report' as context_key, null as previous_id,
        null as fact_name, null::double as fact_value
    from reports
    union all
    select report_id, 'fact', 'fact:' || fact_index, null, fact_name, value
    from fct_narrative_facts
    union all
    select r.report_id, 'pair', 'previous:' || p.report_id, p.report_id, null, null
    from reports as r
    inner join reports as p on p.body_key = r.body_key and p.report_year = r.report_year - 1
),
measures as (
    select report_id, 'required_cells_not_read' as ref,
        count(*) filter (where value_status in ('missing', 'invalid'))::double as value
    from fct_disclosure_cells where not is_optional group by report_id
    union all
    select report_id, 'reports_for_body_year',
        (count(*) over (partition by body_key, report_year))::double
    from reports where body_key is not null
),
valued as (
    select x.report_id, x.context_key, t.rule_id, t.instance, t.reading,
        t.sign * case t.kind
            when 'cell' then c.value when 'fact' then x.fact_value
            when 'measure' then m.value else t.constant
        end as value
    from contexts as x
    inner join reports as r using (report_id)
    inner join terms as t
        on t.template = r.template and t.scope = x.scope
        and (x.scope <> 'fact' or t.fact_name = x.fact_name)
    left join fct_disclosure_cells as c
        on t.kind = 'cell' and c.cell_code = t.ref
        and c.report_id = if(t.year_offset = -1, x.previous_id, x.report_id)
    left join measures as m on t.kind = 'measure' and m.report_id = x.report_id and m.ref = t.ref
),
sides as (
    select report_id, context_key, rule_id, instance, reading, sum(value) as total,
        count(value) = count(*) as assessable
    from valued group by all
),
rules as (
    select l.report_id, l.rule_id, l.instance
    from sides as l
    inner join sides as r
        on r.report_id = l.report_id and r.context_key = l.context_key
        and r.rule_id = l.rule_id and r.instance = l.instance and r.reading > 0
    where l.reading = 0
    group by l.report_id, l.rule_id, l.instance, l.context_key
    having bool_and(l.assessable and r.assessable)
        and not bool_or(abs(l.total - r.total) <= 1e-6)
),
gx_own as (
    select report_id, table_code || '_counts_non_negative' as rule_id, cell_code as instance
    from fct_disclosure_cells where value < 0 and column_code <> 'change'
    union all
    select report_id, 'cells_one_row_per_report_and_cell', cell_code
    from fct_disclosure_cells group by report_id, cell_code having count(*) > 1
    union all
    select report_id, 'cells_value_status_known', cell_code from fct_disclosure_cells
    where value_status not in ('number', 'zero', 'blank', 'mark', 'invalid', 'missing')
        or template not in ('2021', '2019')
)
select distinct * from rules
union all
select * from gx_own
"""


def _floor_terms() -> list[tuple]:
    """Every rule's terms, one row each: the catalog expanded, as the floor query joins it."""
    rows = []
    for rule in load_rules():
        for template in rule.formats:
            for inst in rule.instances(template):
                fact = next((t.ref for t in inst.lhs if t.kind == "fact"), None)
                scope = "pair" if rule.compares_years else "fact" if fact else "report"
                for reading, terms in enumerate((inst.lhs, *(r.terms for r in inst.readings))):
                    for t in terms:
                        rows.append(
                            (
                                rule.id,
                                template,
                                inst.instance,
                                reading,
                                t.kind,
                                t.ref,
                                t.sign,
                                t.year_offset,
                                t.constant,
                                scope,
                                fact,
                            )
                        )
    return rows


def sql_floor(warehouse: Path) -> tuple[float, set[tuple[str, str, str]]]:
    import pyarrow as pa

    columns = [
        "rule_id",
        "template",
        "instance",
        "reading",
        "kind",
        "ref",
        "sign",
        "year_offset",
        "constant",
        "scope",
        "fact_name",
    ]
    terms = pa.Table.from_pylist([dict(zip(columns, r, strict=True)) for r in _floor_terms()])
    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.register("floor_terms", terms)
        best, rows = float("inf"), []
        for _ in range(2):  # the better of two, as for every in-process measurement here
            start = time.perf_counter()
            rows = con.execute(FLOOR).fetchall()
            best = min(best, time.perf_counter() - start)
    return best, {tuple(r) for r in rows}


# ---- GX alone --------------------------------------------------------------------------------


def gx_alone(home: Path) -> tuple[float, float, set[tuple[str, str, str]]]:
    """GX validation with no actions, then its Data Docs, on a copy of the checks set-up."""
    import great_expectations as gx

    from xxgk.checks.checkpoint import RESULT_FORMAT, SITE, add_checkpoint, open_context
    from xxgk.checks.duckdb_dialect import close_all
    from xxgk.checks.findings import collect
    from xxgk.checks.suites import load_suites
    from xxgk.warehouse.targets import DuckDBWarehouse

    out = home / "bench-gx"
    context = open_context(out)
    warehouse = DuckDBWarehouse(home / "xxgk.duckdb")
    full = add_checkpoint(context, warehouse, load_suites(ROOT / "expectations"))
    bare = context.checkpoints.add_or_update(
        gx.Checkpoint(
            name="bench",
            validation_definitions=full.validation_definitions,
            actions=[],
            result_format=RESULT_FORMAT,
        )
    )
    start = time.perf_counter()
    result = bare.run()
    validate = time.perf_counter() - start
    start = time.perf_counter()
    context.build_data_docs(site_names=[SITE])
    docs = time.perf_counter() - start
    close_all()
    found = {(f.report_id, f.rule_id, f.instance) for f in collect(result, {}).findings}
    return validate, docs, found


# ---- one size --------------------------------------------------------------------------------


def run_size(n: int, args: argparse.Namespace) -> SizeResult:
    bodies = max(1, n // YEARS)
    spec = CorpusSpec(
        seed=args.seed,
        bodies=bodies,
        first_year=FIRST_YEAR,
        years=YEARS,
        forms=TEXT_FORMS,
        fault_rate=args.fault_rate,
    )
    corpus = args.work / f"corpus-{n}"
    generate_s = 0.0
    if not (corpus / "manifest" / "corpus.json").exists():
        start = time.perf_counter()
        generate(spec, corpus, jobs=args.jobs)
        generate_s = time.perf_counter() - start
    reports = json.loads((corpus / "manifest" / "corpus.json").read_text())["reports"]
    home = args.work / f"home-{n}"
    subprocess.run(["rm", "-rf", str(home)], check=True)
    home.mkdir(parents=True)
    common = ["--home", str(home), "--jobs", str(args.jobs), "--fail-on", "never"]
    print(f"bench: N={n}: xxgk run on {reports} reports", file=sys.stderr)
    run = measure([*XXGK, "run", str(corpus / "reports"), *common], home / "run.log")
    warehouse = home / "xxgk.duckdb"
    print(f"bench: N={n}: run {run.seconds:.1f}s; GX alone, SQL floor", file=sys.stderr)
    validate, docs, gx_found = gx_alone(home)
    floor, floor_found = sql_floor(warehouse)
    quality = score([corpus], warehouse)
    increment = args.work / f"increment-{n}"
    if not (increment / "manifest" / "corpus.json").exists():
        generate(
            CorpusSpec(
                seed=args.seed,
                bodies=max(1, n // 100),
                first_year=FIRST_YEAR,
                years=YEARS,
                forms=TEXT_FORMS,
                fault_rate=args.fault_rate,
                only_year=FIRST_YEAR + YEARS,
            ),
            increment,
            jobs=args.jobs,
        )
    added = json.loads((increment / "manifest" / "corpus.json").read_text())["reports"]
    print(f"bench: N={n}: xxgk nightly (+{added} new files)", file=sys.stderr)
    nightly = measure(
        [*XXGK, "nightly", str(corpus / "reports"), str(increment / "reports"), *common],
        home / "nightly.log",
    )
    after = score([corpus, increment], warehouse)
    return SizeResult(
        reports=reports,
        generate_s=generate_s,
        run=run,
        gx_validate_s=validate,
        gx_docs_s=docs,
        floor_s=floor,
        floor_matches_gx=floor_found == gx_found,
        nightly_reports=added,
        nightly=nightly,
        score={"full": _score(quality), "after_nightly": _score(after)},
    )


def _score(s: Score) -> dict:
    return {
        "perfect": s.perfect,
        "detection": [
            asdict(d) | {"recall": d.recall, "precision": d.precision} for d in s.detection
        ],
        "accuracy": [asdict(a) | {"cell_accuracy": a.cell_accuracy} for a in s.accuracy],
    }


# ---- tables ----------------------------------------------------------------------------------


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}%"


def print_tables(info: dict, parse: dict, sizes: dict[int, SizeResult], jobs: int) -> None:
    print(
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory_mb']} MB, "
        f"Python {info['python']}; load average at start {info['load_average_at_start']}\n"
    )
    print(
        f"| form | sample | avg KB | reports/s, {jobs} cores | reports/s, one core | "
        "reports per CPU-second | cells equal to truth | load | target |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for form, p in parse.items():
        print(
            f"| {form} | {p['files']} | {p['kb']:.1f} | {p['all_cores']:.0f} | "
            f"{p['one_core']:.0f} | {p['per_cpu_second']:.0f} | "
            f"{_pct(p['cells_equal'] / p['cells'])} | {p['load']:.1f} | "
            f"≥ {TARGETS[form]}/s |"
        )
    names = list(sizes)
    if not names:
        return
    print("\n| stage | " + " | ".join(f"N = {sizes[n].reports:,}" for n in names) + " |")
    print("|---|" + "---:|" * len(names))

    def row(label: str, value) -> None:
        print(f"| {label} | " + " | ".join(value(sizes[n]) for n in names) + " |")

    row(
        "generate corpus (not a target)",
        lambda s: f"{s.generate_s:.0f} s" if s.generate_s else "reused",
    )
    row("ingest (parse + land)", lambda s: f"{s.run.stages.get('ingest', 0):.1f} s")
    row("dbt build (with dbt docs)", lambda s: f"{s.run.stages.get('dbt build', 0):.1f} s")
    row(
        "checks stage (GX, findings, Data Docs)",
        lambda s: f"{s.run.stages.get('checks and docs', 0):.1f} s",
    )
    row("**`xxgk run` end to end**", lambda s: f"**{s.run.seconds:.1f} s**")
    row("… its CPU time (all processes)", lambda s: f"{s.run.cpu_seconds:.0f} s")
    row("… load average at its end", lambda s: f"{s.run.load:.1f}")
    row("GX validation alone", lambda s: f"{s.gx_validate_s:.1f} s")
    row("GX Data Docs alone", lambda s: f"{s.gx_docs_s:.1f} s")
    row("SQL floor (one DuckDB query)", lambda s: f"{s.floor_s:.2f} s")
    row("GX validation / floor", lambda s: f"{s.gx_validate_s / s.floor_s:.1f}×")
    row("floor finds what GX finds", lambda s: "yes" if s.floor_matches_gx else "**no**")
    row(
        "incremental `xxgk nightly` (+1% new files)",
        lambda s: f"{s.nightly.seconds:.1f} s (+{s.nightly_reports} reports)",
    )
    row("… its CPU time (all processes)", lambda s: f"{s.nightly.cpu_seconds:.0f} s")
    row(
        "peak RSS (the command's process)",
        lambda s: f"{max(s.run.max_rss_mb, s.nightly.max_rss_mb):.0f} MB",
    )
    row("reports/s end to end", lambda s: f"{s.reports / s.run.seconds:.0f}")
    largest = sizes[names[-1]]
    for phase in ("full", "after_nightly"):
        print(f"\nDetection at N = {largest.reports:,} ({phase.replace('_', ' ')}):\n")
        print("| rule | expected | found | matched | recall | precision |")
        print("|---|---:|---:|---:|---:|---:|")
        for d in largest.score[phase]["detection"]:
            print(
                f"| {d['rule_id']} | {d['expected']} | {d['found']} | {d['matched']} | "
                f"{_pct(d['recall'])} | {_pct(d['precision'])} |"
            )
    print(f"\nParse accuracy at N = {largest.reports:,}:\n")
    print("| form | reports | cells | cells equal to truth | reports with every fact |")
    print("|---|---:|---:|---:|---:|")
    for a in largest.score["full"]["accuracy"]:
        print(
            f"| {a['form']} | {a['reports']} | {a['cells']} | {_pct(a['cell_accuracy'])} | "
            f"{a['facts_equal']} |"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", default="1000,10000", help="reports per size (1000,10000; empty: parse only)"
    )
    parser.add_argument("--work", type=Path, default=ROOT / "out" / "bench", help="out/bench")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fault-rate", type=float, default=0.05)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--parse-sample",
        type=int,
        default=400,
        help="reports per text form for parse throughput (400)",
    )
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    info = machine()
    parse = parse_throughput(args.work, args.seed, args.parse_sample, args.jobs)
    sizes = {n: run_size(n, args) for n in map(int, filter(None, args.sizes.split(",")))}
    print_tables(info, parse, sizes, args.jobs)
    if args.json:
        payload = {
            "machine": info,
            "parse": parse,
            "sizes": {n: asdict(s) for n, s in sizes.items()},
        }
        args.json.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
    parsed_right = all(p["cells_equal"] == p["cells"] for p in parse.values())
    return 0 if parsed_right and all(s.score["full"]["perfect"] for s in sizes.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
