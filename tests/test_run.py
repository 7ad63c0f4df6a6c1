"""`xxgk run` end to end on the bundled samples, as the README's main command runs it: the seed
report's four faults are found with their numbers, and nothing else is reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    home = tmp_path_factory.mktemp("run-home")
    proc = run_cli("run", "--home", home)
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    return home, proc.returncode


def test_default_exit_status_reports_error_findings(sample_run: tuple[Path, int]) -> None:
    _, code = sample_run
    assert code == 1  # --fail-on error is the default, and the seed report has errors


def test_seed_findings_are_exactly_the_four_faults(sample_run: tuple[Path, int]) -> None:
    home, _ = sample_run
    findings = json.loads((home / "findings.json").read_text("utf-8"))["findings"]
    got = sorted(
        (f["body"], f["year"], f["rule_id"], f["instance"], f["expected"], f["actual"])
        for f in findings
    )
    assert got == [
        ("尖山区", 2025, "narrative_admin_suit_cases", "report", 3.0, 2.0),
        ("尖山区", 2025, "t4_block_total", "review", 1.0, 0.0),
        ("尖山区", 2025, "t4_block_total", "suit_after_review", 0.0, 3.0),
        ("尖山区", 2025, "t4_block_total", "suit_direct", 2.0, 0.0),
    ]
    assert all(f["difference"] == f["actual"] - f["expected"] for f in findings)


def test_outputs_exist(sample_run: tuple[Path, int]) -> None:
    home, _ = sample_run
    for name in ("findings.csv", "findings_by_report.csv", "data_docs/index.html"):
        assert (home / name).is_file(), name


def test_fail_on_never_exits_zero_on_the_same_home(sample_run: tuple[Path, int]) -> None:
    home, _ = sample_run
    proc = run_cli("run", "--home", home, "--fail-on", "never")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "unchanged" in proc.stderr + proc.stdout  # the rerun re-ingests nothing
