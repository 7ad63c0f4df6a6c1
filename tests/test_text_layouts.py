"""Plain text as converters write it: every layout parses back to the values it was made from."""

from __future__ import annotations

import pytest
from text_builder import LAYOUTS, known_values, render

from xxgk.ingest.parse import parse_bytes
from xxgk.template.catalog import formats


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("fmt_code", ["2021", "2019"])
def test_layout_round_trip(layout: str, fmt_code: str) -> None:
    fmt = formats()[fmt_code]
    values = known_values(fmt, seed=len(layout) * 31 + int(fmt_code), subtotal=layout == "subtotal")
    text = render(fmt, values, layout)
    result = parse_bytes(text.encode("utf-8"), f"{layout}.txt")
    assert result.report.template == fmt_code
    got = {c.code: c.value for c in result.cells}
    wrong = {k: (got.get(k), v) for k, v in values.items() if got.get(k) != v}
    assert not wrong, wrong
    assert set(got) == set(values)
    assert [p for p in result.problems if p.kind != "unknown_row_label"] == []


def test_unknown_row_label_is_reported() -> None:
    fmt = formats()["2021"]
    text = render(fmt, known_values(fmt, 1), "plain").replace(
        "四、结转下年度继续办理", "四、结转下年度继续办理 0 0 0 0 0 0 0\n五、另行统计的申请"
    )
    result = parse_bytes(text.encode(), "x.txt")
    assert any(
        p.kind == "unknown_row_label" and "另行统计" in p.message for p in result.problems
    ), result.problems


def test_a_row_with_a_missing_value_is_not_guessed() -> None:
    fmt = formats()["2021"]
    values = known_values(fmt, 2)
    text = render(fmt, values, "plain")
    line = next(x for x in text.splitlines() if x.startswith("二、上年结转"))
    text = text.replace(line, line.rsplit(" ", 1)[0])  # 6 values instead of 7
    result = parse_bytes(text.encode(), "x.txt")
    cells = {c.code: c for c in result.cells}
    for column in ("natural_person", "total"):
        assert cells[f"t3.carried_over.{column}"].status == "missing"
    assert any(
        p.kind == "column_count_mismatch" and "上年结转" in p.message for p in result.problems
    )
