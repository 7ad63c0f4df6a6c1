"""Crash safety, by really killing `xxgk run` (SIGKILL to its process group) at each stage:
ingest, dbt build, GX validation, Data Docs. After each kill nothing half-written is visible
(the landing reads whole, the warehouse is the last complete one or none), nothing ingested
before is lost, and a run started meanwhile is refused with the holder's name; the run after
the last kill ends exactly as an uninterrupted run on the same files (ledger, rule checks,
findings). The same runs show that report text is escaped wherever Data Docs and the findings
page show it, and that nothing reaches the network.

One chain of runs on one home, beside one uninterrupted run on another: ~2 minutes in all.
"""

from __future__ import annotations

import html
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from bounded_cli import network_log, watch_env
from conftest import ROOT
from text_builder import known_values, render

from xxgk.ingest.readers.text import split_line
from xxgk.template.catalog import get_format

FORMAT = get_format("2021")
TIMEOUT_S = 600  # a run that takes this long hangs
SCRIPT_BODY = "<script>alert(1)</script>"
IMG_NAME = "<img src=x onerror=alert(2)>.html"


def _report(n: int) -> str:
    """A plain-text report of random values (its identities broken: findings to show)."""
    text = render(FORMAT, dict(known_values(FORMAT, seed=100 + n)), "plain")
    return text.replace("某某县交通运输局", f"第{n}县交通运输局")


def _html_report(body: str) -> str:
    """The same report as a page whose only issuer is the CMS field 发布机构 (`body`, escaped in
    the page as any CMS does): its title names no body."""
    rows, parts = [], []
    for line in _report(99).splitlines()[1:]:
        label, values = split_line(line)
        if values:
            rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in (label, *values)) + "</tr>")
            continue
        if rows:
            parts.append("<table>" + "".join(rows) + "</table>")
            rows = []
        parts.append(f"<p>{html.escape(line)}</p>")
    meta = f"<table><tr><td>发布机构：</td><td>{html.escape(body)}</td></tr></table>"
    title = "2022年政府信息公开工作年度报告"
    return (
        f"<html><head><title>{title}</title></head><body>{meta}<h1>{title}</h1>"
        + "".join(parts)
        + "</body></html>"
    )


def _inputs(folder: Path) -> tuple[list[Path], list[Path]]:
    """Two sets of files: the first is ingested before the second arrives."""
    first, second = folder / "first", folder / "second"
    for d in (first, second):
        d.mkdir(parents=True)
    for n in range(12):
        (first / f"r{n:02d}.txt").write_text(_report(n), "utf-8")
        (second / f"s{n:02d}.txt").write_text(_report(20 + n), "utf-8")
    (second / "empty.txt").write_bytes(b"")  # a failed file is remembered too
    (second / IMG_NAME).write_text(_html_report(SCRIPT_BODY), "utf-8")
    return [first], [first, second]


# --- running and killing --------------------------------------------------------------------


@dataclass
class Run:
    home: Path
    lines: list[str] = field(default_factory=list)  # stdout and stderr, as they come
    returncode: int | None = None
    killed_at: str | None = None

    def saw(self, pattern: str) -> bool:
        return any(re.search(pattern, line) for line in self.lines)


def _newer(folder: Path, since: float) -> bool:
    return folder.is_dir() and any(
        p.is_file() and p.stat().st_mtime >= since for p in folder.rglob("*")
    )


KillPoint = Callable[[Run, float], bool]
KILL_POINTS: dict[str, KillPoint] = {
    # a file of the second set parsed, others still to come
    "ingest": lambda r, _: (
        r.saw(r"^\[\d+/\d+\] .* ingested: s\d\d\.txt") and not r.saw("xxgk run: ingest done")
    ),
    # dbt part-way through its nodes
    "dbt build": lambda r, _: r.saw(r"\b2\d of \d+ (START|OK|PASS)"),
    # GX storing validation results, suite by suite
    "GX validation": lambda r, t: _newer(r.home / "gx" / "uncommitted" / "validations", t),
    # GX rendering the Data Docs site (after the validations)
    "Data Docs": lambda r, t: _newer(r.home / "data_docs" / "validations", t),
}


def _spawn(home: Path, paths: list[Path], watch: Path) -> tuple[subprocess.Popen[str], Run]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "xxgk", "run", *map(str, paths), "--home", str(home)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=watch_env(watch),
        start_new_session=True,  # its own process group: the kill reaches every process of it
    )
    run = Run(home)

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            run.lines.append(line.rstrip("\n"))

    threading.Thread(target=read, daemon=True).start()
    return proc, run


def run_to_end(home: Path, paths: list[Path], watch: Path) -> Run:
    proc, run = _spawn(home, paths, watch)
    run.returncode = proc.wait(timeout=TIMEOUT_S)
    return run


def run_and_kill(
    home: Path,
    paths: list[Path],
    watch: Path,
    point: str,
    meanwhile: Callable[[Run, int], None] | None = None,
) -> Run:
    """Start `xxgk run`, kill it when `point` is reached (failing if it ends first)."""
    started = time.time()
    proc, run = _spawn(home, paths, watch)
    while not KILL_POINTS[point](run, started):
        assert proc.poll() is None, f"the run ended before {point}:\n" + "\n".join(run.lines)
        assert time.time() - started < TIMEOUT_S, f"{point} never came: a hang"
        if meanwhile and run.saw("xxgk run: ingest done"):
            meanwhile(run, proc.pid)
            meanwhile = None
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    run.returncode = proc.wait(timeout=60)
    run.killed_at = point
    assert run.returncode == -signal.SIGKILL
    return run


# --- what a reader sees ---------------------------------------------------------------------


@dataclass(frozen=True)
class Seen:
    """The home as dbt and the checks would read it after a kill."""

    ledger: dict[str, tuple]  # source path -> (status, sha256, report_id, reason)
    landed_reports: set[str]  # report ids whose landed rows the current ledger points at
    ok_reports: set[str]  # report ids of current ok ledger rows
    unreadable: list[str]  # files dbt's globs match that are not whole Parquet files
    warehouse_reports: set[str] | None  # dim_reports of the warehouse; None: no warehouse


def look(home: Path) -> Seen:
    landing = home / "landing"
    unreadable = []
    for path in landing.glob("*/*.parquet"):
        try:
            pq.read_metadata(path)
        except Exception as e:  # a half-written file, whatever the error
            unreadable.append(f"{path}: {e}")
    rows = duckdb.sql(
        f"select source_path, status, sha256, report_id, reason "
        f"from '{landing}/ledger.parquet' where is_current"
    ).fetchall()
    ledger = {r[0]: r[1:] for r in rows}
    landed = duckdb.sql(
        f"""select distinct r.report_id from '{landing}/reports/*.parquet' r
        join (select report_id, batch_id from '{landing}/ledger.parquet'
              where is_current and status = 'ok') l using (report_id, batch_id)"""
    ).fetchall()
    warehouse = home / "xxgk.duckdb"
    reports = None
    if warehouse.exists():
        with duckdb.connect(str(warehouse), read_only=True) as con:
            reports = {r[0] for r in con.sql("select report_id from dim_reports").fetchall()}
    return Seen(
        ledger=ledger,
        landed_reports={r[0] for r in landed},
        ok_reports={v[2] for v in ledger.values() if v[0] == "ok"},
        unreadable=unreadable,
        warehouse_reports=reports,
    )


def results(home: Path) -> dict[str, object]:
    """What a run leaves to compare: the ledger, the rule checks and the findings."""
    with duckdb.connect(str(home / "xxgk.duckdb"), read_only=True) as con:
        checks = con.sql(
            "select report_id, rule_id, instance, status, lhs, rhs from fct_rule_checks "
            "order by all"
        ).fetchall()
    findings = json.loads((home / "findings.json").read_text("utf-8"))
    return {
        "ledger": look(home).ledger,
        "rule checks": checks,
        "findings": findings["findings"],
        "totals": findings["totals"],
    }


@dataclass
class Chain:
    runs: list[Run]
    seen: dict[str, Seen]  # kill point -> what a reader saw right after it
    refused: list[str]  # the lines of a run started while another held the home
    holder_pid: int
    final: Run
    reference: Run
    first_set: dict[str, tuple]  # the ledger right after the first set was ingested
    watch: Path


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> Chain:
    tmp = tmp_path_factory.mktemp("crash")
    first, both = _inputs(tmp / "inputs")
    watch = tmp / "watch"
    # the uninterrupted run, beside the chain
    ref_proc, reference = _spawn(tmp / "reference", both, watch)
    home = tmp / "home"
    seen: dict[str, Seen] = {}
    refused: list[str] = []
    holder: list[int] = []

    def second_run(run: Run, pid: int) -> None:
        proc = subprocess.run(
            [sys.executable, "-m", "xxgk", "run", *map(str, both), "--home", str(home)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        refused.extend([str(proc.returncode), *proc.stderr.splitlines()])
        holder.append(pid)

    runs = [run_and_kill(home, first, watch, "dbt build")]
    seen["dbt build"] = look(home)
    first_set = seen["dbt build"].ledger
    runs.append(run_and_kill(home, both, watch, "ingest"))
    seen["ingest"] = look(home)
    runs.append(run_and_kill(home, both, watch, "GX validation", meanwhile=second_run))
    seen["GX validation"] = look(home)
    runs.append(run_and_kill(home, both, watch, "Data Docs"))
    seen["Data Docs"] = look(home)
    final = run_to_end(home, both, watch)
    reference.returncode = ref_proc.wait(timeout=TIMEOUT_S)
    return Chain(runs, seen, refused, holder[0], final, reference, first_set, watch)


# --- the tests ------------------------------------------------------------------------------


def test_every_kill_point_was_reached(chain: Chain) -> None:
    assert [r.killed_at for r in chain.runs] == [
        "dbt build",
        "ingest",
        "GX validation",
        "Data Docs",
    ]
    assert sorted(chain.seen) == sorted(KILL_POINTS)


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_after_a_kill_nothing_half_written_is_visible(chain: Chain, point: str) -> None:
    seen = chain.seen[point]
    assert seen.unreadable == []
    assert seen.landed_reports == seen.ok_reports  # every current report whole, no other
    if point in ("dbt build", "ingest"):  # no build has finished yet: no warehouse at all
        assert seen.warehouse_reports is None
    else:  # this run's build finished: the warehouse holds exactly the landed reports
        assert seen.warehouse_reports == seen.ok_reports


def test_nothing_ingested_before_a_kill_is_lost(chain: Chain) -> None:
    assert len(chain.first_set) == 12
    for point in ("ingest", "GX validation", "Data Docs"):
        ledger = chain.seen[point].ledger
        assert {p: ledger.get(p) for p in chain.first_set} == chain.first_set, point


def test_a_run_started_meanwhile_is_refused_and_names_the_holder(chain: Chain) -> None:
    code, *lines = chain.refused
    assert code == "1"
    assert len(lines) == 1 and lines[0].startswith(
        f"xxgk: another xxgk run (pid {chain.holder_pid}, started "
    ), lines


def test_the_run_after_the_kills_equals_an_uninterrupted_run(chain: Chain) -> None:
    assert chain.final.returncode == chain.reference.returncode == 1  # error findings
    final, reference = results(chain.final.home), results(chain.reference.home)
    assert final == reference
    ledger = final["ledger"]
    assert isinstance(ledger, dict) and len(ledger) == 26  # every input file, once
    assert sum(1 for v in ledger.values() if v[0] == "failed") == 1
    assert not list((chain.final.home / "landing").rglob("*.tmp"))
    assert not (chain.final.home / ".xxgk.duckdb.building").exists()


def test_report_text_is_escaped_where_it_is_shown(chain: Chain) -> None:
    """A body named <script>… and a file named <img …> show as text, never as markup."""
    home = chain.final.home
    pages = [*(home / "data_docs").rglob("*.html")]
    assert pages
    raw = [p for p in pages if SCRIPT_BODY in p.read_text("utf-8", errors="replace")]
    raw += [p for p in pages if IMG_NAME[:-5] in p.read_text("utf-8", errors="replace")]
    assert raw == []
    shown = [p for p in pages if html.escape(SCRIPT_BODY) in p.read_text("utf-8")]
    assert shown, "the body should be shown, escaped, where findings are listed"


def test_nothing_reaches_the_network(chain: Chain) -> None:
    assert network_log(chain.watch) == []
