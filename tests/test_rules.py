"""The rules catalog: declared once, valid against the template catalog, expandable per format."""

from __future__ import annotations

import pytest

from xxgk.template.catalog import get_format
from xxgk.template.rules import FAMILIES, KINDS, SCOPES, Term, _expand, get_rule, load_rules


def test_every_rule_is_complete_and_expands_for_its_formats() -> None:
    rules = load_rules()
    assert len({r.id for r in rules}) == len(rules)
    for r in rules:
        assert r.family in FAMILIES and r.kind in KINDS and r.scope in SCOPES
        assert r.description_zh and r.description_en
        for code in r.formats:
            instances = r.instances(code)
            assert instances, (r.id, code)
            for inst in instances:
                assert inst.lhs and inst.rhs


def test_severity_follows_kind() -> None:
    for r in load_rules():
        if r.kind in ("identity", "narrative"):
            assert r.severity == "error", r.id
        if r.kind in ("plausibility", "cross_year"):
            assert r.severity == "warning", r.id


def test_the_templates_own_identity_is_official_per_column() -> None:
    rule = get_rule("t3_balance")
    assert rule.official and rule.scope == "per_column"
    inst = next(i for i in rule.instances("2021") if i.instance == "total")
    assert [t.ref for t in inst.lhs] == ["t3.new.total", "t3.carried_over.total"]
    assert [t.ref for t in inst.rhs] == ["t3.results_total.total", "t3.carried_forward.total"]
    assert not any(r.official for r in load_rules() if r.id != "t3_balance")


@pytest.mark.parametrize(("template", "rows"), [("2021", 21), ("2019", 19)])
def test_results_total_sums_the_catalogs_outcome_rows(template: str, rows: int) -> None:
    inst = get_rule("t3_results_total").instances(template)[0]
    assert len(inst.rhs) == rows
    outcome = {r.code for r in get_format(template).table("t3").rows if r.outcome}
    assert {t.ref.split(".")[1] for t in inst.rhs} == outcome


def test_row_totals_and_blocks() -> None:
    row_total = get_rule("t3_row_total")
    assert len(row_total.instances("2021")) == 25 and len(row_total.instances("2019")) == 23
    blocks = get_rule("t4_block_total").instances("2021")
    assert [i.instance for i in blocks] == ["review", "suit_direct", "suit_after_review"]
    assert [t.ref for t in blocks[1].rhs] == [
        f"t4.suit_direct.{c}" for c in ("upheld", "corrected", "other", "pending")
    ]


def test_optional_column_instances_are_flagged() -> None:
    subtotal = get_rule("t3_row_legal_person_subtotal").instances("2021")
    assert all(i.optional for i in subtotal)
    balance = {i.instance: i.optional for i in get_rule("t3_balance").instances("2021")}
    assert balance["legal_person_subtotal"] and not balance["total"]


def test_narrative_rules_have_readings_and_no_fee_rule() -> None:
    received = get_rule("narrative_applications_received").instances("2021")[0]
    assert received.lhs == (Term("fact", "applications_received"),)
    assert [[t.ref for t in r.terms] for r in received.readings] == [
        ["t3.new.total"],
        ["t3.new.total", "t3.carried_over.total"],
    ]
    suits = get_rule("narrative_admin_suit_cases").instances("2021")[0]
    assert [t.ref for t in suits.rhs] == ["t4.suit_direct.total", "t4.suit_after_review.total"]
    facts = {t.ref for r in load_rules() for i in r.instances("2021") for t in i.terms}
    assert "fee_yuan" not in facts  # 信息处理费 is in no table


def test_cross_year_rules_compare_with_the_previous_year() -> None:
    carried = get_rule("cross_year_carried_over").instances("2019")[0]
    assert carried.rhs == (Term("cell", "t3.carried_forward.natural_person", year_offset=-1),)
    in_force = get_rule("cross_year_in_force")
    assert in_force.formats == ("2021",) and in_force.instances("2019") == []
    inst = in_force.instances("2021")[0]
    assert [str(t) for t in inst.rhs] == [
        "prev:t2.regulation.in_force",
        "t2.regulation.issued",
        "-t2.regulation.repealed",
    ]


def test_patterns_are_checked_against_the_catalog() -> None:
    fmt = get_format("2021")
    with pytest.raises(ValueError, match="not a cell"):
        _expand("t3.new.no_such_column", fmt, {}, {})
    with pytest.raises(ValueError, match="unknown measure"):
        _expand("measure:no_such_measure", fmt, {}, {})
    with pytest.raises(ValueError, match="nothing binds"):
        _expand("t3.{row}.total", fmt, {}, {})
