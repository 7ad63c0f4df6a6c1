"""`xxgk nightly`: history kept, findings compared with the previous run, exit by --fail-on."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from conftest import SAMPLES, run_cli

from xxgk.checks.history import compare

SEED = SAMPLES / "000_c3b0ef98b8a3f889.txt"
TABLE4 = "四、政府信息公开行政复议、行政诉讼情况"


def _tabbed(values: str) -> str:
    """Table 4's 15 values as the DOCX-extracted text writes them, one tab-prefixed line each."""
    return "\n".join(f"\t{v}" for v in values.split())


def _f(rule: str, instance: str, body: str = "甲县", context: str = "report") -> dict:
    return {"body": body, "report_id": "r", "year": 2025, "rule_id": rule, "instance": instance,
            "context": context}  # fmt: skip


def test_compare_new_resolved_still_open() -> None:
    before = [_f("t4_block_total", "review"), _f("t3_balance", "total")]
    after = [_f("t4_block_total", "review"), _f("t3_row_total", "new")]
    diff = compare(before, after)
    assert [f["rule_id"] for f in diff.new] == ["t3_row_total"]
    assert [f["rule_id"] for f in diff.resolved] == ["t3_balance"]
    assert [f["rule_id"] for f in diff.still_open] == ["t4_block_total"]


def test_compare_matches_duplicates_one_for_one_and_ignores_fact_index() -> None:
    before = [_f("narrative_admin_suit_cases", "report", context="fact:1")]
    after = [
        _f("narrative_admin_suit_cases", "report", context="fact:2"),
        _f("narrative_admin_suit_cases", "report", context="fact:3"),
    ]
    diff = compare(before, after)
    assert (len(diff.new), len(diff.still_open), len(diff.resolved)) == (1, 1, 0)


def _history(home: Path) -> list[dict]:
    with (home / "runs" / "history.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_nightly_runs_diff_and_history(tmp_path: Path) -> None:
    inbox, home = tmp_path / "inbox", tmp_path / "home"
    inbox.mkdir()
    report = inbox / "jianshan-2025.txt"
    shutil.copy(SEED, report)

    first = run_cli("nightly", inbox, "--home", home)
    assert first.returncode == 1, first.stderr[-2000:]  # four open errors
    assert "4 new, 0 resolved, 0 still open" in first.stdout

    again = run_cli("nightly", inbox, "--home", home)
    assert again.returncode == 1
    assert "0 new, 0 resolved, 4 still open" in again.stdout

    # the body re-publishes a corrected report: Table 4 now adds up and agrees with the text
    text = SEED.read_text("utf-8")
    head, table4 = text.rsplit(TABLE4, 1)
    wrong = _tabbed("1 0 0 0 0 2 0 0 0 0 0 0 0 0 3")
    right = _tabbed("0 0 0 0 0 2 0 0 0 2 0 0 0 0 0")
    assert wrong in table4
    report.write_text(head + TABLE4 + table4.replace(wrong, right))
    fixed = run_cli("nightly", inbox, "--home", home)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr[-2000:]
    assert "0 new, 4 resolved, 0 still open" in fixed.stdout

    rows = _history(home)
    assert [(r["new"], r["resolved"], r["still_open"], r["exit_status"]) for r in rows] == [
        ("4", "0", "0", "1"),
        ("0", "0", "4", "1"),
        ("0", "4", "0", "0"),
    ]
    kept = sorted(p for p in (home / "runs").iterdir() if p.is_dir())
    assert len(kept) == 3
    diff = json.loads((kept[-1] / "diff.json").read_text("utf-8"))
    assert len(diff["resolved"]) == 4 and not diff["new"]
