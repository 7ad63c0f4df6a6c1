"""The catalog holds exactly the cell codes of the shared template contract."""

from __future__ import annotations

import re

from xxgk.template.catalog import format_for_year, formats, get_format


def test_cell_counts() -> None:
    f21, f19 = get_format("2021"), get_format("2019")
    count = lambda f, t: sum(1 for c in f.required_cells if c.table == t)  # noqa: E731
    assert (count(f21, "t2"), count(f21, "t3"), count(f21, "t4")) == (10, 175, 15)
    assert (count(f19, "t2"), count(f19, "t3"), count(f19, "t4")) == (22, 161, 15)
    assert sum(1 for r in f21.table("t3").rows if r.outcome) == 21
    assert sum(1 for r in f19.table("t3").rows if r.outcome) == 19


def test_codes_are_those_of_the_shared_contract(shared) -> None:
    text = (shared / "template" / "README.md").read_text("utf-8")
    documented = set(re.findall(r"`(t[234]\.[a-z_]+(?:\.[a-z_]+)?)`", text))
    ours = {c.code for f in formats().values() for c in f.cells}
    rows = {c.code.rsplit(".", 1)[0] for f in formats().values() for c in f.cells}
    for code in documented:
        assert code in ours or code in rows, code
    for row in ("new", "carried_over", "results_total", "carried_forward", "other_misc"):
        assert f"t3.{row}.total" in ours


def test_format_for_year() -> None:
    assert format_for_year(2025).code == "2021"
    assert format_for_year(2021).code == "2021"
    assert format_for_year(2020).code == "2019"
    assert format_for_year(2018) is None
