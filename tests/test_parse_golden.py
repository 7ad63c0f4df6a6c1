"""Every cell of each real report against a golden file typed by reading the document."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES, GOLDEN, ROOT, SAMPLES, load_golden, run_cli

from xxgk.ingest.parse import parse_file

GOLDENS = sorted(p.name for p in GOLDEN.glob("*.json"))


def _source(golden: dict):
    src = golden["source"]
    return ROOT / "tests" / src if src.startswith("fixtures/") else SAMPLES / src


@pytest.mark.parametrize("name", GOLDENS)
def test_every_cell_matches_the_document(name: str) -> None:
    golden = load_golden(name)
    result = parse_file(_source(golden))
    got = {c.code: c.value for c in result.cells}
    expected = golden["cells"]
    wrong = {k: (got.get(k), v) for k, v in expected.items() if got.get(k) != v}
    assert not wrong, f"{len(wrong)} cells differ (got, expected): {wrong}"
    assert set(got) == set(expected), set(got) ^ set(expected)
    for key, value in golden["report"].items():
        assert getattr(result.report, key) == value, key


@pytest.mark.parametrize("name", GOLDENS)
def test_narrative_facts(name: str) -> None:
    golden = load_golden(name)
    result = parse_file(_source(golden))
    for fact, values in golden.get("facts", {}).items():
        assert sorted(f.value for f in result.facts if f.name == fact) == values, fact


@pytest.mark.parametrize("name", GOLDENS)
def test_document_totals_hold_where_the_report_is_consistent(name: str) -> None:
    """The parser's reading agrees with the document's own 总计 column (pdfplumber's habit);
    blank cells (None) count as absent, as the document shows them."""
    result = parse_file(_source(load_golden(name)))
    values = {c.code: c.value for c in result.cells}
    rows = {c.split(".")[1] for c in values if c.startswith("t3.")}
    parts = [
        "natural_person",
        "commercial",
        "research",
        "social_welfare",
        "legal_service",
        "other_org",
    ]
    for row in rows:
        got = [values[f"t3.{row}.{p}"] or 0 for p in parts]
        assert sum(got) == values[f"t3.{row}.total"], row


def test_blank_and_mark_stay_distinct_from_zero() -> None:
    result = parse_file(FIXTURES / "trial-format-2020.txt")
    cell = next(c for c in result.cells if c.code == "t4.suit_after_review.total")
    assert (cell.value, cell.status, cell.raw) == (None, "mark", "/")
    zero = next(c for c in result.cells if c.code == "t4.review.other")
    assert (zero.value, zero.status) == (0, "zero")


def test_cli_json_shape_for_the_seed() -> None:
    proc = run_cli("parse", SAMPLES / "000_c3b0ef98b8a3f889.txt", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert set(data) == {"report", "cells", "facts", "problems"}
    assert len(data["cells"]) == 200
    cell = next(c for c in data["cells"] if c["code"] == "t4.suit_after_review.total")
    assert cell["value"] == 3 and cell["raw"] == "3" and cell["where"] == "line 402"
    assert {"code", "value", "raw", "where"} <= set(cell)


def test_cli_json_lists_several_files() -> None:
    proc = run_cli(
        "parse",
        SAMPLES / "000_c3b0ef98b8a3f889.txt",
        SAMPLES / "shuyang-county-gov-2025.txt",
        "--json",
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert [d["report"]["year"] for d in data] == [2025, 2025]
