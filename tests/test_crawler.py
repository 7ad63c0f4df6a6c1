"""Crawler text dumps (tables flattened with no separator between cells): the splitter on
constructed runs, and whole documents built in the pingtan-2022 form."""

from __future__ import annotations

import random

import pytest
from conftest import SAMPLES
from text_builder import known_values, render

from xxgk.ingest.crawler import (
    BALANCE,
    BLOCK_TOTAL,
    RESULTS_TOTAL,
    ROW_TOTAL,
    Equals,
    Sum,
    decide_row,
    looks_glued,
    split_run,
)
from xxgk.ingest.model import ParseResult
from xxgk.ingest.parse import parse_bytes
from xxgk.template.catalog import TemplateFormat, formats

T3 = ("count",) * 7
ROW = [Sum(ROW_TOTAL, 6, (0, 1, 2, 3, 4, 5))]
T4 = ("count",) * 15
BLOCKS = [Sum(BLOCK_TOTAL, 5 * b + 4, tuple(5 * b + i for i in range(4))) for b in range(3)]
FMT = formats()["2021"]


# --- the splitter on single runs ------------------------------------------------------------


def test_one_digit_per_cell_and_separated_cells() -> None:
    assert split_run(["0000000"], T3) == [("0",) * 7]
    assert split_run(["12", "3"], ("count",) * 3) == [("1", "2", "3")]  # never across a space
    d = decide_row(["011"], ("count",) * 3)  # one digit per cell: no rule needed
    assert d.splits == [("0", "1", "1")] and d.rules == [frozenset()] * 3
    assert decide_row(["71", "3"], ("count",) * 2).method == "read"


def test_no_leading_zeros_and_marks_are_cells() -> None:
    assert split_run(["0100"], ("count",) * 2) == [("0", "100")]
    assert split_run(["1/1"], ("count",) * 3) == [("1", "/", "1")]
    assert split_run(["9116.36"], ("amount",)) == [("9116.36",)]
    assert split_run(["12"], ("count",) * 3) == []  # fewer characters than cells


def test_unique_split_by_the_row_total() -> None:
    assert split_run(["713000074"], T3, ROW) == [("71", "3", "0", "0", "0", "0", "74")]
    d = decide_row(["713000074"], T3, ROW)
    assert d.splits == [("71", "3", "0", "0", "0", "0", "74")]
    # the zeros in the middle are decided by the digits alone: no rule was needed for them
    assert d.rules[3] == d.rules[4] == frozenset()
    assert d.rules[0] == d.rules[6] == frozenset({ROW_TOTAL})


def test_ambiguous_split_keeps_both_candidates() -> None:
    d = decide_row(["101000011"], T3, ROW)
    assert sorted(d.splits or []) == [
        ("1", "0", "10", "0", "0", "0", "11"),
        ("10", "1", "0", "0", "0", "0", "11"),
    ]
    assert d.rules[:3] == [None, None, None]  # the cells the candidates disagree on
    assert d.rules[6] == frozenset({ROW_TOTAL})  # 11 in both


def test_an_inconsistent_row_yields_what_its_digits_decide() -> None:
    # 99 / 0 / … / 1 or 9 / 90 / … / 1: neither adds up, so the total cannot choose
    d = decide_row(["99000001"], T3, ROW)
    assert split_run(["99000001"], T3, ROW) == []
    assert d.rules[:2] == [None, None]
    assert d.rules[2:] == [frozenset()] * 5
    assert d.problems and ROW_TOTAL in d.problems[0]


def test_a_row_that_breaks_its_total_with_one_digit_per_cell_is_read_as_written() -> None:
    d = decide_row(["1000002"], T3, ROW)
    assert d.splits == [("1", "0", "0", "0", "0", "0", "2")]
    assert d.rules == [frozenset()] * 7 and not d.problems  # the checks will see 1 ≠ 2


def test_table4_block_totals() -> None:
    d = decide_row(["000000000000000"], T4, BLOCKS)
    assert d.splits == [("0",) * 15] and d.rules == [frozenset()] * 15
    # review 12 / 0 / 0 / 0 / 12, then two empty blocks: only the block total splits "1200012"
    d = decide_row(["120001200000" + "00000"], T4, BLOCKS)
    assert d.splits == [("12", "0", "0", "0", "12", *("0",) * 10)]
    assert d.rules[0] == frozenset({BLOCK_TOTAL})


def test_a_narrative_figure_decides_and_an_unrelated_one_is_ignored() -> None:
    kinds = ("count",) * 3
    both = [Equals("narrative_quote", 0, 88), Equals("narrative_quote", 2, 698)]
    d = decide_row(["8855698"], kinds, both)
    assert d.splits == [("88", "55", "698")]
    assert d.rules == [frozenset({"narrative_quote"})] * 3
    d = decide_row(["8855698"], kinds, [Equals("narrative_quote", 0, 7), *both])
    assert d.splits == [("88", "55", "698")]  # no split has 7 issued: that figure is not used


def test_long_runs_are_bounded() -> None:
    assert split_run(["1" * 40], T3, limit=1000) is None
    d = decide_row(["1" * 40], T3)
    assert d.splits is None and d.rules == [None] * 7


# --- whole documents ------------------------------------------------------------------------


def _number(v: float) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def glued(
    fmt: TemplateFormat,
    values: dict[str, int | float],
    spaced: set[str] = frozenset(),
    subtotal: bool = False,
) -> str:
    """A crawler dump of a report: the tables' cells glued, rows glued to the next label; rows
    named in `spaced` keep spaces between their cells. `subtotal`: Table 3 has a 小计 column."""
    t2, t3, t4 = fmt.table("t2"), fmt.table("t3"), fmt.table("t4")

    def cells(table: str, row: str, columns: list[str]) -> str:
        sep = " " if row in spaced else ""
        return sep.join(_number(values[f"{table}.{row}.{c}"]) for c in columns)

    text = "二、主动公开政府信息情况第二十条第（一）项 信息内容 "
    for row in t2.rows:
        text += row.label + cells("t2", row.code, list(row.column_codes))
    text += " 三、收到和处理政府信息公开申请情况 申请人情况 自然人 法人或其他组织 总计 商业 企业 "
    text += "科研 机构 社会公益组织 法律服务机构 其他 " + ("小计 " if subtotal else "")
    columns = [c.code for c in t3.columns if subtotal or not c.optional]
    group = ""
    for row in t3.rows:
        label = row.label
        if row.group.startswith("（"):
            if row.group != group:
                text += row.group + " "
            n = [r.code for r in t3.rows if r.group == row.group].index(row.code) + 1
            label = f"{n}.{label}"
        group = row.group
        text += f"{label} {cells('t3', row.code, columns)}"
    header = "结果维持结果纠正其他结果尚未审结总计"
    text += f" 四、政府信息公开行政复议、行政诉讼情况行政复议 行政诉讼 {header} "
    text += f"未经复议直接起诉 复议后起诉 {header * 2} "
    sep = " " if "t4" in spaced else ""
    text += sep.join(_number(values[f"t4.{r.code}.{c.code}"]) for r in t4.rows for c in t4.columns)
    year = fmt.first_year + 1
    return (
        f"标题: 某某县人民政府{year}年度政府信息公开工作年度报告\n==== 正文 ====\n"
        f"一、总体情况 本年度依法做好政府信息公开工作。 {text} "
        "五、存在的主要问题及改进情况 无。 六、其他需要报告的事项 无。\n"
    )


def consistent_values(
    fmt: TemplateFormat, seed: int, subtotal: bool = False
) -> dict[str, int | float]:
    """A report whose every identity holds: row totals (and 小计), column identities, block
    totals."""
    rnd = random.Random(seed)
    t3, t4 = fmt.table("t3"), fmt.table("t4")
    applicant = [c.code for c in t3.columns if not c.optional and c.code != "total"]

    def small() -> int:
        return rnd.choice([0, 0, 0, 0, 1, 2, 3, 10, 12, 37, 105])

    out = {k: v for k, v in known_values(fmt, seed).items() if k.startswith("t2.")}
    col: dict[str, dict[str, int]] = {}
    for row in t3.rows:
        if row.outcome or row.code in ("carried_over", "carried_forward"):
            col[row.code] = {
                c: small() if c == "natural_person" or rnd.random() < 0.3 else 0 for c in applicant
            }
    outcomes = [r.code for r in t3.rows if r.outcome]
    col["results_total"] = {c: sum(col[r][c] for r in outcomes) for c in applicant}
    col["carried_over"] = {  # never more than the year's work, so new stays non-negative
        c: min(v, col["results_total"][c] + col["carried_forward"][c])
        for c, v in col["carried_over"].items()
    }
    col["new"] = {
        c: col["results_total"][c] + col["carried_forward"][c] - col["carried_over"][c]
        for c in applicant
    }
    for row, cells in col.items():
        for c, v in cells.items():
            out[f"t3.{row}.{c}"] = v
        out[f"t3.{row}.total"] = sum(cells.values())
        if subtotal:
            out[f"t3.{row}.legal_person_subtotal"] = sum(cells.values()) - cells["natural_person"]
    for r in t4.rows:
        parts = [rnd.choice([0, 0, 1, 2, 11]) for _ in range(4)]
        for c, v in zip(("upheld", "corrected", "other", "pending"), parts, strict=True):
            out[f"t4.{r.code}.{c}"] = v
        out[f"t4.{r.code}.total"] = sum(parts)
    return out


def _parse(text: str) -> ParseResult:
    return parse_bytes(text.encode("utf-8"), "dump.txt")


def _identities_hold(fmt: TemplateFormat, v: dict[str, int | float]) -> None:
    t3 = fmt.table("t3")
    applicant = [c.code for c in t3.columns if not c.optional and c.code != "total"]
    outcomes = [r.code for r in t3.rows if r.outcome]
    for c in [*applicant, "total"]:
        assert v[f"t3.new.{c}"] + v[f"t3.carried_over.{c}"] == (
            v[f"t3.results_total.{c}"] + v[f"t3.carried_forward.{c}"]
        )
        assert v[f"t3.results_total.{c}"] == sum(v[f"t3.{r}.{c}"] for r in outcomes)


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize(
    ("fmt_code", "subtotal"), [("2021", False), ("2021", True), ("2019", False)]
)
def test_a_consistent_dump_never_yields_a_wrong_value(
    seed: int, fmt_code: str, subtotal: bool
) -> None:
    """The true split satisfies every constraint, so every value set must be the true one; what
    cannot be decided is null, ambiguous, and named in a problem."""
    fmt = formats()[fmt_code]
    values = consistent_values(fmt, seed, subtotal)
    _identities_hold(fmt, values)
    result = _parse(glued(fmt, values, subtotal=subtotal))
    assert result.report.form == "crawler_text"
    assert {c.code for c in result.cells} == set(values)
    flagged = " ".join(p.message for p in result.problems if p.kind == "ambiguous_split")
    for c in result.cells:
        if c.value is None:
            assert c.status == "ambiguous" and c.raw in flagged, c
        else:
            assert c.value == values[c.code], c
    # Table 3 comes back whole but for a rare row no constraint can decide
    t3 = [c for c in result.cells if c.code.startswith("t3.")]
    assert sum(1 for c in t3 if c.value is None) <= 16, result.problems


def test_every_cell_says_how_it_was_obtained() -> None:
    values = consistent_values(FMT, 3)
    result = _parse(glued(FMT, values, spaced={"carried_forward"}))
    cells = {c.code: c for c in result.cells}
    assert cells["t3.carried_forward.total"].method == "read"
    for c in result.cells:
        assert c.method in ("read", "split_digits", "split")
        if c.value is not None:  # a split cell names the rules that decided it
            assert (c.method == "split") == bool(c.inferred_from), c
        assert c.where and c.where.startswith("line 3, chars ")


def _with_t3(rows: dict[str, str]) -> str:
    """The 2021 dump with the given Table 3 rows (code -> text after the label), others zero."""
    values = {c.code: 0 for c in FMT.required_cells}
    text = glued(FMT, values)
    for code, run in rows.items():
        row = next(r for r in FMT.table("t3").rows if r.code == code)
        text = text.replace(f"{row.label} 0000000", f"{row.label} {run}", 1)
    return text


def test_column_identities_decide_a_row_its_total_leaves_open() -> None:
    # 予以公开 101000011 is 10/1/0/…/11 or 1/0/10/…/11; the results total row says 10 and 1
    text = _with_t3(
        {
            "new": "10 1 0 0 0 0 11",
            "granted": "101000011",
            "results_total": "10 1 0 0 0 0 11",
        }
    )
    cells = {c.code: c for c in _parse(text).cells}
    got = [cells[f"t3.granted.{c}"].value for c in ("natural_person", "commercial", "research")]
    assert got == [10, 1, 0]
    assert cells["t3.granted.natural_person"].inferred_from == (ROW_TOTAL, RESULTS_TOTAL)
    assert cells["t3.granted.total"].inferred_from == (ROW_TOTAL,)  # 11 either way
    assert BALANCE not in cells["t3.granted.research"].inferred_from


def test_rows_that_stay_ambiguous_are_flagged_with_their_candidates() -> None:
    # two rows with the same two readings; the totals 11 / 1 / 10 fit either pairing
    text = _with_t3(
        {
            "new": "11 1 10 0 0 0 22",
            "granted": "101000011",
            "unable_not_held": "101000011",
            "results_total": "11 1 10 0 0 0 22",
        }
    )
    result = _parse(text)
    cells = {c.code: c for c in result.cells}
    for row in ("granted", "unable_not_held"):
        assert cells[f"t3.{row}.natural_person"].value is None
        assert cells[f"t3.{row}.natural_person"].status == "ambiguous"
        assert cells[f"t3.{row}.total"].value == 11
    messages = [p.message for p in result.problems if p.kind == "ambiguous_split"]
    assert len(messages) == 2
    assert all(
        "10 / 1 / 0 / 0 / 0 / 0 / 11" in m and "1 / 0 / 10 / 0 / 0 / 0 / 11" in m for m in messages
    )


def test_an_identity_the_report_breaks_is_not_used_and_not_hidden() -> None:
    # results total says 12 in its total column while the outcome rows add to 11: no split can
    # mend that, so it is reported and the natural-person column alone decides 予以公开
    text = _with_t3(
        {
            "new": "10 1 0 0 0 0 12",
            "granted": "101000011",
            "results_total": "10 1 0 0 0 0 12",
        }
    )
    result = _parse(text)
    cells = {c.code: c for c in result.cells}
    assert cells["t3.granted.natural_person"].value == 10
    assert any(
        p.kind == "no_consistent_split" and RESULTS_TOTAL in p.message and "total" in p.message
        for p in result.problems
    )
    # the cell that shows the break was not chosen by that identity: a check can still see it
    assert RESULTS_TOTAL not in cells["t3.granted.total"].inferred_from
    assert cells["t3.results_total.total"].method == "read"


def test_no_combination_leaves_rows_as_their_totals_split_them() -> None:
    # 予以公开 can be 10/1/0 or 1/0/10, but the results total wants 5/0/0: both columns fail
    text = _with_t3(
        {"new": "5 0 0 0 0 0 5", "granted": "101000011", "results_total": "5 0 0 0 0 0 5"}
    )
    result = _parse(text)
    cells = {c.code: c for c in result.cells}
    assert cells["t3.granted.natural_person"].value is None
    assert cells["t3.granted.total"].value == 11
    assert any(p.kind == "no_consistent_split" for p in result.problems)


def test_numbering_swallowed_by_the_run_is_given_back() -> None:
    text = _with_t3({"denied_third_party": "1000001"})
    assert "5.属于三类内部事务信息" in text  # the run reads 10000015 before the label
    cells = {c.code: c for c in _parse(text).cells}
    assert cells["t3.denied_third_party.total"].value == 1
    assert cells["t3.denied_third_party.total"].method == "split_digits"


def test_table2_narrative_figures() -> None:
    values = {c.code: 0 for c in FMT.required_cells} | {
        "t2.normative_doc.issued": 88,
        "t2.normative_doc.repealed": 55,
        "t2.normative_doc.in_force": 698,
    }
    text = glued(FMT, values)
    result = _parse(text)
    cells = {c.code: c for c in result.cells}
    assert cells["t2.normative_doc.issued"].status == "ambiguous"
    assert any(
        p.kind == "ambiguous_split" and "88 / 55 / 698" in p.message for p in result.problems
    )
    said = text.replace(
        "本年度依法", "现行有效行政规范性文件698件，本年度制发的规范性文件88件。本年度依法"
    )
    cells = {c.code: c for c in _parse(said).cells}
    got = [cells[f"t2.normative_doc.{c}"].value for c in ("issued", "repealed", "in_force")]
    assert got == [88, 55, 698]
    assert cells["t2.normative_doc.issued"].inferred_from == ("narrative_quote",)


def test_pingtan_cells_point_at_their_run() -> None:
    path = SAMPLES / "pingtan-2022.txt"
    result = parse_bytes(path.read_bytes(), str(path))
    cell = next(c for c in result.cells if c.code == "t3.new.natural_person")
    line, chars = cell.where.split(", chars ")
    start, end = map(int, chars.split("-"))
    text = path.read_text("utf-8").splitlines()[int(line.split()[1]) - 1]
    assert text[start - 1 : end] == "713000074"
    assert cell.inferred_from == (ROW_TOTAL,)
    assert not result.problems


@pytest.mark.parametrize("layout", ["plain", "columns", "subtotal"])
def test_ordinary_text_is_not_taken_for_a_dump(layout: str) -> None:
    fmt = formats()["2021"]
    assert not looks_glued(render(fmt, known_values(fmt, 5, layout == "subtotal"), layout))
    assert looks_glued((SAMPLES / "pingtan-2022.txt").read_text("utf-8"))


def test_more_values_than_cells_is_a_count_mismatch_not_a_split() -> None:
    result = _parse(_with_t3({"carried_over": "1 0 0 0 0 0 0 1"}))
    cells = {c.code: c for c in result.cells}
    assert cells["t3.carried_over.total"].status == "missing"
    assert any(
        p.kind == "column_count_mismatch" and "1 0 0 0 0 0 0 1" in p.message
        for p in result.problems
    )
