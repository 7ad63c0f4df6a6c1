"""The PDF reader: a real text-layer report cell for cell, PDFs drawn from known values (page
breaks inside Table 3, wrapped and vertical labels, page numbers, repeated headers), and the
PDFs it must refuse (scanned, encrypted, corrupt, too long) with a clear one-line reason."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pdf_builder as pb
import pytest
from conftest import load_golden, run_cli

from xxgk.ingest.model import Document, ParseError, ParseResult
from xxgk.ingest.parse import parse_bytes, parse_file
from xxgk.ingest.readers.pdf import MAX_PAGES, read_pdf

HUAIAN = "reports/huaian-city-2024.pdf"
GOLDEN = "huaian-city-2024.json"

# ---- the values the test PDFs are drawn with ------------------------------------------------

T2 = {
    "regulation": ["1", "0", "20"],
    "normative_doc": ["8", "26", "66"],
    "license": ["447228"],
    "penalty": ["3985758"],
    "coercion": ["88283"],
    "admin_fee": ["96171.6"],
}
T3_CODES = [
    "new",
    "carried_over",
    *(code for code, _, _ in pb.T3_ROWS),
    "results_total",
    "carried_forward",
]
T3 = {code: [str((i * 37 + j * 11) % 250) for j in range(6)] for i, code in enumerate(T3_CODES)}
for _cells in T3.values():
    _cells.append(str(sum(map(int, _cells))))
T3["new"] = ["3001", "53", "0", "0", "61", "4", "3119"]
T3["rejected_excessive"][2] = ""  # a blank cell: not a zero
T3["other_no_fee"][4] = "—"  # a mark: not a zero either
T4 = ["72", "64", "178", "37", "351", "13", "4", "8", "1", "26", "12", "1", "1", "6", "20"]
T3_COLUMNS = ["natural_person", "commercial", "research", "social_welfare", "legal_service",
              "other_org", "total"]  # fmt: skip
T4_COLUMNS = ["upheld", "corrected", "other", "pending", "total"]
T2_COLUMNS = {
    "regulation": ["issued", "repealed", "in_force"],
    "normative_doc": ["issued", "repealed", "in_force"],
    "license": ["decisions"],
    "penalty": ["decisions"],
    "coercion": ["decisions"],
    "admin_fee": ["amount_wan_yuan"],
}
PAGE_NUMBERS = ["- 1 -", "— 2 —", "3", "第 4 页", "－5－"]
RUNNING_HEADER = "测试市政府办公室 政务公开专栏"


def _number(text: str) -> int | float | None:
    if not text or not text[0].isdigit():
        return None
    return float(text) if "." in text else int(text)


def expected_cells() -> dict[str, int | float | None]:
    out: dict[str, int | float | None] = {}
    for row, columns in T2_COLUMNS.items():
        for column, text in zip(columns, T2[row], strict=True):
            out[f"t2.{row}.{column}"] = _number(text)
    for row in T3_CODES:
        for column, text in zip(T3_COLUMNS, T3[row], strict=True):
            out[f"t3.{row}.{column}"] = _number(text)
    for k, block in enumerate(["review", "suit_direct", "suit_after_review"]):
        for column, text in zip(T4_COLUMNS, T4[5 * k : 5 * k + 5], strict=True):
            out[f"t4.{block}.{column}"] = _number(text)
    return out


def report_pdf(password: str | None = None, restricted: bool = False, **options) -> bytes:
    # filler=0 puts the page break inside Table 3, inside the vertical label's span and inside
    # （三）不予公开 (test_table_3_runs_over_a_page_break checks that it stays there)
    return pb.national_report(
        T2,
        T3,
        T4,
        filler=0,
        running_header=RUNNING_HEADER,
        page_numbers=lambda n: PAGE_NUMBERS[n - 1],
        **options,
    ).build(password, restricted=restricted)


@pytest.fixture(scope="module")
def rendered() -> bytes:
    return report_pdf()


@pytest.fixture(scope="module")
def rendered_doc(rendered: bytes) -> Document:
    return read_pdf(rendered)


def _wrong(result: ParseResult) -> dict[str, tuple]:
    got = {c.code: c.value for c in result.cells}
    return {k: (got.get(k), v) for k, v in expected_cells().items() if got.get(k) != v}


# ---- the real report --------------------------------------------------------------------


def test_huaian_every_cell_matches_the_golden_file(shared: Path) -> None:
    golden = load_golden(GOLDEN)
    result = parse_file(shared / HUAIAN)
    got = {c.code: c.value for c in result.cells}
    wrong = {k: (got.get(k), v) for k, v in golden["cells"].items() if got.get(k) != v}
    assert not wrong, f"{len(wrong)} cells differ (got, expected): {wrong}"
    assert set(got) == set(golden["cells"])
    assert (result.report.body, result.report.year) == (
        golden["report"]["body"],
        golden["report"]["year"],
    )
    assert result.report.form == "pdf"
    assert result.problems == []


def test_huaian_tokens(shared: Path) -> None:
    doc = read_pdf((shared / HUAIAN).read_bytes())
    texts = [t.text for t in doc.tokens]
    # the vertical label, one character per line in its merged cell, is one token, once
    assert texts.count("三、本年度办理结果") == 1
    assert not any(re.fullmatch(r"-\s*\d+\s*-", t) for t in texts)  # page numbers dropped
    # a wrapped label is one token, in the row of its seven values
    label = "1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    token = next(t for t in doc.tokens if t.text == label)
    assert [t.text for t in doc.tokens if t.row == token.row][-7:] == [
        "67", "3", "0", "0", "1", "0", "71",
    ]  # fmt: skip
    # the narrative's paragraphs are joined over lines and over the page break
    assert any("政府信息公开行政复议 351件" in t.text for t in doc.paragraphs())
    assert any("将栏目不更新、政策解读" in t.text for t in doc.paragraphs())


# ---- PDFs drawn from known values -----------------------------------------------------------


def test_rendered_report_every_cell(rendered: bytes) -> None:
    result = parse_bytes(rendered, "rendered.pdf")
    assert not _wrong(result)
    assert result.problems == []
    assert (result.report.body, result.report.year) == ("测试市人民政府", 2024)
    cells = {c.code: c for c in result.cells}
    assert cells["t3.rejected_excessive.research"].status == "blank"
    assert cells["t3.other_no_fee.legal_service"].status == "mark"
    assert cells["t3.new.commercial"].status == "number"
    assert cells["t3.new.research"].status == "zero"


def test_table_3_runs_over_a_page_break(rendered: bytes) -> None:
    cells = {c.code: c for c in parse_bytes(rendered, "rendered.pdf").cells}
    page = {code: cells[code].where.split(",")[0] for code in cells}
    assert page["t3.new.total"] == page["t3.denied_state_secret.total"] == "page 1"
    assert page["t3.denied_law_prohibited.total"] == page["t3.carried_forward.total"] == "page 2"


def test_rendered_tokens(rendered_doc: Document) -> None:
    texts = [t.text for t in rendered_doc.tokens]
    # the vertical label: one token per page part of the merged cell, not one per character
    assert "三、本年度" in texts and "办理结果" in texts
    assert not any(t in texts for t in "三本年度办理结果")
    # wrapped labels are one token each, with the row's values after them
    for label, code in [
        ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partially_granted"),
        (pb.T3_ROWS[-2][2], "other_no_fee"),
    ]:
        token = next(t for t in rendered_doc.tokens if t.text == label)
        assert [t.text for t in rendered_doc.tokens if t.row == token.row][-7:] == T3[code]
    # the header rows, repeated on the new page, are there twice; harmless text rows
    assert texts.count("申请人情况") == 2
    # no page number and no running header among the text outside tables
    lines = {"".join(t.text.split()) for t in rendered_doc.tokens if "line" in t.where}
    assert not lines & {"".join(f.split()) for f in [*PAGE_NUMBERS, RUNNING_HEADER]}
    # Table 4's 15 values stand in one row; numbers are never split nor merged
    row = next(t.row for t in rendered_doc.tokens if t.text == "351")
    assert [t.text for t in rendered_doc.tokens if t.row == row] == T4
    assert "20" in texts and "3119" in texts and "3985758" in texts


def test_rendered_where(rendered_doc: Document) -> None:
    token = next(t for t in rendered_doc.tokens if t.text == "3985758")
    assert re.fullmatch(r"page 1, table 1, row \d+, cell 2", token.where)
    heading = next(t for t in rendered_doc.tokens if t.text.startswith("五、"))
    assert not heading.in_table and re.fullmatch(r"page 3, line \d+", heading.where)
    # rows in reading order; a paragraph has a row of its own, a table row's cells share one
    rows = [t.row for t in rendered_doc.tokens]
    assert rows == sorted(rows)
    for t in rendered_doc.tokens:
        assert t.in_table or rows.count(t.row) == 1


@pytest.mark.parametrize("rotate", [90, 270])
def test_rotated_pages(rotate: int) -> None:
    result = parse_bytes(report_pdf(rotate=rotate), "rotated.pdf")
    assert not _wrong(result) and result.problems == []


def test_font_not_embedded() -> None:
    """STSong-Light, as some PDF writers use it: not embedded, one character per text object
    in the vertical label; PDFium alone would lose those characters."""
    result = parse_bytes(report_pdf(font="cid"), "cid.pdf")
    assert not _wrong(result) and result.problems == []


def test_table_drawn_without_rulings() -> None:
    """Every cell that can be seen is read; the blank cell cannot be seen without rulings, so
    its row is reported (6 values for 7 columns), never filled in wrongly."""
    result = parse_bytes(report_pdf(ruled=False), "borderless.pdf")
    wrong = _wrong(result)
    assert set(wrong) == {f"t3.rejected_excessive.{c}" for c in T3_COLUMNS if c != "research"}
    assert all(got is None for got, _ in wrong.values())
    assert [p.kind for p in result.problems] == ["column_count_mismatch"]


# ---- PDFs that cannot be read ---------------------------------------------------------------


def test_scanned_pdf_is_refused() -> None:
    with pytest.raises(ParseError, match=r"^no text layer: a scanned PDF needs OCR"):
        read_pdf(pb.scanned_pdf())


def test_encrypted_pdf_is_refused() -> None:
    with pytest.raises(ParseError, match=r"^encrypted PDF: it needs a password"):
        read_pdf(report_pdf(password="secret"))


def test_copy_restricted_pdf_is_read() -> None:
    """Encrypted with an owner password only (copying forbidden): anyone may open and read it."""
    result = parse_bytes(report_pdf(restricted=True), "restricted.pdf")
    assert not _wrong(result) and result.problems == []


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7\n\x00\x01 not a pdf at all", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog"],
    ids=["garbage", "truncated"],
)
def test_corrupt_pdf_is_refused(data: bytes) -> None:
    with pytest.raises(ParseError, match=r"^corrupt PDF: ") as e:
        read_pdf(data)
    assert "\n" not in e.value.reason


def test_too_many_pages_are_refused() -> None:
    with pytest.raises(ParseError, match=f"too many pages .*{MAX_PAGES + 1} > {MAX_PAGES}"):
        read_pdf(pb.blank_pages(MAX_PAGES + 1))


def test_cli_refuses_scanned_and_encrypted_pdfs_and_goes_on(tmp_path: Path, shared: Path) -> None:
    scanned = tmp_path / "scanned.pdf"
    scanned.write_bytes(pb.scanned_pdf())
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(report_pdf(password="secret"))
    proc = run_cli("parse", scanned, locked, shared / HUAIAN, "--json")
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        f"xxgk: {scanned}: no text layer: a scanned PDF needs OCR, which xxgk does not do",
        f"xxgk: {locked}: encrypted PDF: it needs a password to open, so its text cannot be read",
    ]
    (data,) = json.loads(proc.stdout)  # the real report was still parsed, cell for cell
    assert {c["code"]: c["value"] for c in data["cells"]} == load_golden(GOLDEN)["cells"]
    cell = next(c for c in data["cells"] if c["code"] == "t3.new.total")
    assert (cell["raw"], cell["where"]) == ("3119", "page 4, table 2, row 4, cell 8")
