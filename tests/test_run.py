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
    assert "0 ingested, 0 replaced" in proc.stderr + proc.stdout  # the rerun re-ingests nothing


def _waivers(path: Path, entries: list[str]) -> Path:
    path.write_text("waivers:\n" + "".join(entries), "utf-8")
    return path


def _waiver(rule: str, report: str, instance: str) -> str:
    return (
        f"  - rule: {rule}\n    report: {report}\n    instance: {instance}\n"
        "    reason: 已书面说明\n    who: 审核科\n"
    )


def test_waived_findings_are_shown_not_counted(
    sample_run: tuple[Path, int], tmp_path: Path
) -> None:
    home, _ = sample_run
    one = _waivers(tmp_path / "one.yaml", [_waiver("t4_block_total", "尖山区/2025", "review")])
    proc = run_cli("check", "--home", home, "--no-dbt-docs", "--waivers", one)
    assert proc.returncode == 1  # three errors are still open
    data = json.loads((home / "findings.json").read_text("utf-8"))
    assert data["totals"]["errors"] == 3 and data["totals"]["waived"] == 1
    waived = [f for f in data["findings"] if f["waived"]]
    assert [(f["instance"], f["waiver"]) for f in waived] == [("review", "已书面说明 — 审核科")]
    assert len(data["findings"]) == 4  # waived, not hidden
    page = (home / "data_docs" / "findings" / "index.html").read_text("utf-8")
    assert "已豁免 waived" in page and "已书面说明" in page

    report_id = waived[0]["report_id"]
    blocks = ("review", "suit_direct", "suit_after_review")
    every = [_waiver("t4_block_total", report_id, b) for b in blocks]
    every.append(_waiver("narrative_admin_suit_cases", "尖山区/2025", "report"))
    all_waived = _waivers(tmp_path / "all.yaml", every)
    proc = run_cli("check", "--home", home, "--no-dbt-docs", "--waivers", all_waived)
    assert proc.returncode == 0, proc.stdout + proc.stderr[-2000:]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("waivers:\n  - rule: t4_block_total\n    report: x\n    reason: r\n", "missing who"),
        ("waivers:\n  - {rule: no_such_rule, report: x, reason: r, who: w}\n", "unknown rule"),
        ("- just a list\n", "top-level `waivers:`"),
    ],
)
def test_bad_waivers_file_is_refused(
    sample_run: tuple[Path, int], tmp_path: Path, text: str, reason: str
) -> None:
    home, _ = sample_run
    path = tmp_path / "w.yaml"
    path.write_text(text, "utf-8")
    proc = run_cli("check", "--home", home, "--no-dbt-docs", "--waivers", path)
    assert proc.returncode == 1 and reason in proc.stderr and str(path) in proc.stderr
