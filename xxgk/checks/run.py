"""The checks stage end to end: validate the warehouse with GX, write findings, publish the site.

Order matters for the DuckDB file: GX reads it read-only and lets it go before the findings are
written back into it. On PostgreSQL the findings go in through their own connection.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter

from xxgk.checks import docs, findings
from xxgk.checks.checkpoint import SITE_DIR, run_checkpoint
from xxgk.checks.suites import load_suites
from xxgk.checks.waivers import Waiver
from xxgk.warehouse.targets import Warehouse


@dataclass(frozen=True)
class CheckOutcome:
    findings: findings.Findings
    site: Path  # the Data Docs site; open index.html
    files: tuple[Path, ...]  # findings.csv, findings_by_report.csv, findings.json
    seconds: dict[str, float]  # validate (GX checkpoint, Data Docs included), findings, publish


def run_checks(
    warehouse: Warehouse,
    out: Path,
    expectations: Path,
    dbt_static_index: Path | None = None,
    waivers: Sequence[Waiver] = (),
) -> CheckOutcome:
    """Validate `warehouse` with the suites in `expectations`; results, the Data Docs site and
    the findings go to `out`. `dbt_static_index` is dbt's `static_index.html` to link; findings
    that `waivers` cover are marked waived."""
    seconds = {}
    start = perf_counter()
    suites = load_suites(expectations)
    result = run_checkpoint(out, warehouse, suites, dbt_docs=dbt_static_index is not None)
    seconds["validate"] = perf_counter() - start
    start = perf_counter()
    with warehouse.connect() as con:
        found = findings.collect(result, findings.read_reports(con), waivers)
        findings.store(con, found)
    files = findings.write(out, found)
    seconds["findings"] = perf_counter() - start
    start = perf_counter()
    site = out / SITE_DIR
    docs.publish(site, files, dbt_static_index)
    seconds["publish"] = perf_counter() - start
    return CheckOutcome(found, site, files, seconds)
