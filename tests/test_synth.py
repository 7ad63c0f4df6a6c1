"""The synthetic province end to end: a small corpus in every form with a fault of every kind,
through the real `xxgk run`. Every injected fault is found and nothing else is (recall and
precision 100% per rule), blank-vs-0 instances are not assessable rather than found, and every
cell and narrative figure parses as written. The ground truth is the generator's own."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest
from conftest import run_cli

from xxgk.synth.bodies import province_bodies
from xxgk.synth.corpus import CorpusSpec, body_reports, generate
from xxgk.synth.faults import KINDS
from xxgk.synth.render import FORMS
from xxgk.synth.score import NOT_ASSESSABLE, Score, score
from xxgk.synth.truth import evaluate

# 31 reports: 10 bodies × 3 years and one republished, every form, every fault kind (the seed
# is chosen so; the first test says so if the generator changes)
SPEC = CorpusSpec(seed=11, bodies=10, years=3, forms=FORMS, fault_rate=0.7)


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Score]:
    corpus = tmp_path_factory.mktemp("corpus")
    summary = generate(SPEC, corpus, jobs=2)
    home = tmp_path_factory.mktemp("home")
    proc = run_cli("run", corpus / "reports", "--home", home, "--jobs", "2", "--fail-on", "never")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return summary, score([corpus], home / "xxgk.duckdb")


def test_the_corpus_has_every_form_and_fault_kind(checked: tuple[dict, Score]) -> None:
    summary, _ = checked
    assert set(summary["reports_by_form"]) == set(FORMS)
    assert set(summary["faults_by_kind"]) == set(KINDS)


def test_every_injected_fault_is_found_and_nothing_else(checked: tuple[dict, Score]) -> None:
    summary, result = checked
    by_rule = {d.rule_id: d for d in result.detection}
    assert set(summary["expected_failures_by_rule"]) <= set(by_rule)
    for d in result.detection:
        assert d.matched == d.expected == d.found, d  # recall and precision 100%
    assert by_rule[NOT_ASSESSABLE].expected > 0  # blanks and marks were injected, none read as 0


def test_every_cell_and_figure_parses_as_written(checked: tuple[dict, Score]) -> None:
    _, result = checked
    assert {a.form for a in result.accuracy} == set(FORMS)
    for a in result.accuracy:
        assert a.cells_equal == a.cells, a
        assert a.facts_equal == a.reports, a


def test_clean_values_pass_every_rule() -> None:
    """The values model is consistent with every rule: without faults, nothing fails and
    nothing is unassessable, over several years of carry-over."""
    spec = CorpusSpec(seed=5, bodies=150, years=5, fault_rate=0.0)
    for body in province_bodies(spec.bodies, spec.seed):
        assert evaluate(body_reports(body, spec)) == [], body


def test_same_seed_same_corpus_however_split(tmp_path: Path) -> None:
    spec = CorpusSpec(seed=3, bodies=30, years=2, fault_rate=0.3)
    generate(spec, tmp_path / "one", jobs=1)
    generate(spec, tmp_path / "two", jobs=2)
    compared = filecmp.dircmp(tmp_path / "one", tmp_path / "two")
    assert not compared.diff_files and not compared.left_only and not compared.right_only
    for sub in compared.subdirs.values():
        assert not sub.diff_files and not sub.left_only and not sub.right_only
        for leaf in sub.subdirs.values():
            assert not leaf.diff_files and not leaf.left_only and not leaf.right_only
