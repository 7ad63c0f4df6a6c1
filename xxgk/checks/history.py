"""Run history for nightly runs: each run's findings kept under HOME/runs/<run_id>/, a line per
run in HOME/runs/history.csv, and the findings compared with the previous run's.

A finding is the same across runs when body (or report_id), year, rule, instance and kind of
context agree: a report re-published with a new file keeps its findings' identity, so fixing it
shows as resolved, not as one resolved and one new.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

HISTORY_COLUMNS = (
    "run_id", "finished_at", "reports", "errors", "warnings", "waived", "new", "resolved",
    "still_open", "exit_status",
)  # fmt: skip


@dataclass(frozen=True)
class Diff:
    new: list[dict]
    resolved: list[dict]
    still_open: list[dict]

    def counts(self) -> dict[str, int]:
        return {k: len(v) for k, v in asdict(self).items()}


def _key(f: dict) -> tuple:
    return (
        f["body"] or f["report_id"],
        f["year"],
        f["rule_id"],
        f["instance"],
        f["context"].split(":", 1)[0],
    )


def compare(previous: list[dict], current: list[dict]) -> Diff:
    """New, resolved and still-open findings; duplicates of a key are matched one for one."""
    before = Counter(_key(f) for f in previous)
    after = Counter(_key(f) for f in current)
    new, still = [], []
    seen: Counter = Counter()
    for f in current:
        k = _key(f)
        seen[k] += 1
        (still if seen[k] <= before[k] else new).append(f)
    gone: Counter = Counter()
    resolved = []
    for f in previous:
        k = _key(f)
        gone[k] += 1
        if gone[k] > after[k]:
            resolved.append(f)
    return Diff(new, resolved, still)


def new_run_id(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")


def previous_findings(runs: Path, run_id: str) -> list[dict]:
    """Findings of the latest recorded run before `run_id` (none before the first run)."""
    earlier = sorted(p for p in runs.glob("*/findings.json") if p.parent.name < run_id)
    if not earlier:
        return []
    return json.loads(earlier[-1].read_text("utf-8"))["findings"]


def record(runs: Path, run_id: str, findings_json: Path, diff: Diff, exit_status: int) -> Path:
    """Keep this run's findings and diff; append its line to history.csv. Written to a
    temporary folder, then renamed, so a killed run leaves no half-recorded run."""
    final = runs / run_id
    tmp = runs / f".{run_id}.tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    shutil.copy2(findings_json, tmp / "findings.json")
    (tmp / "diff.json").write_text(
        json.dumps(asdict(diff), ensure_ascii=False, indent=1) + "\n", "utf-8"
    )
    tmp.rename(final)
    totals = json.loads(findings_json.read_text("utf-8"))["totals"]
    history = runs / "history.csv"
    fresh = not history.exists()
    with history.open("a", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        if fresh:
            writer.writerow(HISTORY_COLUMNS)
        counts = diff.counts()
        writer.writerow(
            [
                run_id, datetime.now(UTC).isoformat(timespec="seconds"), totals["reports"],
                totals["errors"], totals["warnings"], totals.get("waived", 0), counts["new"],
                counts["resolved"], counts["still_open"], exit_status,
            ]
        )  # fmt: skip
    return final
