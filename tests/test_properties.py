"""Properties (hypothesis) of number and label normalisation and of the table readers, and a fuzz
run of the text and HTML parsers: whatever the input, nothing escapes but ParseError.

Runs are deterministic (derandomized, no example database), so the counts the README gives
are the counts every run tries.
"""

from __future__ import annotations

import html
import io
import random
import signal
from collections.abc import Iterator
from contextlib import contextmanager

import docx
import pytest
from conftest import SAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from text_builder import known_values, render

from xxgk.ingest.model import ParseError
from xxgk.ingest.parse import parse_bytes
from xxgk.ingest.readers.docx import read_docx
from xxgk.ingest.readers.html import read_html
from xxgk.ingest.readers.text import read_lines, split_line
from xxgk.ingest.values import MARKS, is_value_text, read_value
from xxgk.template.catalog import formats, get_format
from xxgk.template.labels import label_key, matches

EXAMPLES = 300  # per property
READER_EXAMPLES = 100  # per reader property (a DOCX is built for each)
FUZZ_EXAMPLES = 300  # per generated-input fuzz test
MUTATIONS = 150  # per seed document in the mutation fuzz
SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

FULL_WIDTH = str.maketrans("0123456789,.-", "０１２３４５６７８９，．－")
SPACES = st.sampled_from([" ", "\u3000", "\t", "\xa0", ""])


# --- numbers --------------------------------------------------------------------------------


@SETTINGS
@given(n=st.integers(0, 10**12), pad=SPACES, unit=st.sampled_from(["", "件", "条", "个"]))
def test_a_count_reads_as_written(n: int, pad: str, unit: str) -> None:
    for written in (str(n), f"{n:,}", f"{n:,}".translate(FULL_WIDTH), str(n).translate(FULL_WIDTH)):
        v = read_value(f"{pad}{written}{unit}{pad}")
        assert (v.value, v.status, v.problem) == (n, "zero" if n == 0 else "number", None)


@SETTINGS
@given(n=st.integers(1, 10**9))
def test_a_negative_count_is_kept_and_flagged_a_signed_one_is_not(n: int) -> None:
    count, signed = read_value(f"-{n}"), read_value(f"-{n}", "signed")
    assert count.value == signed.value == -n
    assert count.problem and "negative" in count.problem and signed.problem is None


@SETTINGS
@given(cents=st.integers(0, 10**10))
def test_an_amount_reads_as_written(cents: int) -> None:
    written = f"{cents // 100}.{cents % 100:02d}"
    assert read_value(written, "amount").value == pytest.approx(cents / 100, abs=1e-9)
    assert (
        read_value(f"{cents // 100:,}.{cents % 100:02d}", "amount").value
        == read_value(written, "amount").value
    )


@SETTINGS
@given(text=st.text(max_size=40), kind=st.sampled_from(["count", "signed", "amount"]))
def test_any_text_reads_as_a_value_or_says_why_not(text: str, kind: str) -> None:
    v = read_value(text, kind)
    assert v.status in {"number", "zero", "blank", "mark", "invalid"}
    assert (v.value is None) == (v.status in {"blank", "mark", "invalid"})
    assert (v.status == "invalid") == (v.problem is not None and "negative" not in v.problem)
    assert v.status != "zero" or v.value == 0  # 0 is never a blank, a blank never 0
    if v.status != "invalid":
        assert is_value_text(text)  # what reads as a value is never taken for a label
    if kind != "amount" and v.value is not None:
        assert isinstance(v.value, int)


@SETTINGS
@given(mark=st.sampled_from(sorted(MARKS)), pad=SPACES)
def test_a_mark_is_never_a_number(mark: str, pad: str) -> None:
    assert read_value(f"{pad}{mark}{pad}").status == "mark"


# --- labels ---------------------------------------------------------------------------------

ROWS = [(row, table.code) for f in formats().values() for table in f.tables for row in table.rows]
PREFIXES = ["", "一、", "三（一）", "（二）", "(2)", "1.", "1、", "６．", "①", "四、"]


def _decorate(label: str, prefix: str, spaces: list[str], quotes: bool) -> str:
    """As reports write a label: numbered, spaced out, half-width brackets, quoted."""
    out = "".join(ch + (spaces[i % len(spaces)] if spaces else "") for i, ch in enumerate(label))
    if quotes and label[0] not in "（(一二三四五六七八九十0123456789":  # numbering stays first
        out = "“" + out.replace("（", "(").replace("）", ")") + "”"
    return prefix + out


@SETTINGS
@given(
    index=st.integers(0, len(ROWS) - 1),
    prefix=st.sampled_from(PREFIXES),
    spaces=st.lists(SPACES, max_size=3),
    quotes=st.booleans(),
)
def test_a_row_label_however_written_names_its_row(
    index: int, prefix: str, spaces: list[str], quotes: bool
) -> None:
    row, _ = ROWS[index]
    written = _decorate(row.label, prefix, spaces, quotes)
    key = label_key(written)
    assert key == label_key(row.label)
    assert matches(key, row.keys)


@SETTINGS
@given(text=st.text(max_size=60))
def test_label_key_is_idempotent_and_keeps_only_words(text: str) -> None:
    key = label_key(text)
    assert label_key(key) == key
    assert all((ch.isascii() and ch.isalnum()) or "\u3400" <= ch <= "\u9fff" for ch in key)


# --- table readers --------------------------------------------------------------------------

CELL = st.text(
    alphabet=st.sampled_from([*"予以公开其他总计行政复议0123456789,./-<>&'\"（）ab ", " "]),
    max_size=12,
).map(str.strip)
GRID = st.integers(1, 6).flatmap(
    lambda width: st.lists(st.lists(CELL, min_size=width, max_size=width), min_size=1, max_size=8)
)


def _spaced(text: str) -> str:
    return " ".join(text.split())


@settings(SETTINGS, max_examples=READER_EXAMPLES)
@given(grid=GRID)
def test_html_table_cells_come_back_in_order(grid: list[list[str]]) -> None:
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in grid
    )
    doc = read_html(f"<html><body><p>前言</p><table>{rows}</table></body></html>")
    cells = [t for t in doc.tokens if t.in_table]
    assert [t.text for t in cells] == [_spaced(c) for row in grid for c in row]
    assert [t.where for t in cells] == [
        f"table 1, row {r}, cell {c}"
        for r, row in enumerate(grid, 1)
        for c in range(1, len(row) + 1)
    ]


@settings(SETTINGS, max_examples=READER_EXAMPLES)
@given(grid=GRID)
def test_docx_table_cells_come_back_in_order(grid: list[list[str]]) -> None:
    document = docx.Document()
    document.add_paragraph("前言")
    table = document.add_table(rows=len(grid), cols=len(grid[0]))
    for r, row in enumerate(grid):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    out = io.BytesIO()
    document.save(out)
    cells = [t for t in read_docx(out.getvalue()).tokens if t.in_table]
    assert [t.text for t in cells] == [c for row in grid for c in row]
    assert len({t.row for t in cells}) == len(grid)


@settings(SETTINGS, max_examples=READER_EXAMPLES)
@given(grid=GRID.map(lambda g: [[c.replace("|", "").replace("-", "") for c in r] for r in g]))
def test_markdown_table_cells_come_back_in_order(grid: list[list[str]]) -> None:
    text = "\n".join("| " + " | ".join(row) + " |" for row in grid)
    doc = read_lines(text, "markdown")
    assert [t.text for t in doc.tokens] == [c for row in grid for c in row]


VALUE = st.one_of(
    st.integers(0, 10**7).map(str),
    st.integers(0, 10**7).map(lambda n: f"{n:,}"),
    st.sampled_from(sorted(MARKS - {"…"})),
)
LABEL = st.text(alphabet=st.sampled_from(list("予以公开其他总计行政复议（）")), min_size=1)


@SETTINGS
@given(label=LABEL, values=st.lists(VALUE, max_size=20), gap=st.sampled_from([" ", "  ", "\t"]))
def test_a_text_row_splits_into_its_label_and_values(
    label: str, values: list[str], gap: str
) -> None:
    assert split_line(gap.join([label, *values])) == (label, values)


# --- fuzz -----------------------------------------------------------------------------------


@contextmanager
def bounded(seconds: int) -> Iterator[None]:
    """A parse that runs this long is a hang: the alarm fails the test instead of waiting."""

    def stop(*_: object) -> None:
        raise TimeoutError(f"a parse took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def parses_or_refuses(data: bytes) -> None:
    with bounded(60):
        try:
            parse_bytes(data, "fuzz")
        except ParseError as e:
            assert e.reason and "\n" not in e.reason


TAGS = [
    "<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", "<th>", "<p>", "</p>", "<br>",
    "<div>", "</div>", "<script>", "</script>", "<style>", "<!--", "-->", "<td rowspan=2>",
    "<td colspan=3>", "&nbsp;", "&lt;", "&#0;", "&#xD800;", "<meta charset=gbk>", "<title>",
    "</title>", "<html>", "<body>", "<![CDATA[", "]]>", "<?xml?>", "<!DOCTYPE html>",
]  # fmt: skip
WORDS = [
    "予以公开", "部分公开", "总计", "其他", "一、本年新收政府信息公开申请数量", "行政复议",
    "结果维持", "规章", "行政许可", "发布机构：", "2023年政府信息公开工作年度报告", "五、",
    "某县人民政府", "|", "| --- |", "\t", "\n", " ", "0", "12", "1,234", "/", "—", "-3", "１２",
]  # fmt: skip


@settings(SETTINGS, max_examples=FUZZ_EXAMPLES)
@given(parts=st.lists(st.sampled_from(TAGS + WORDS), max_size=200))
def test_fuzz_html_like_input(parts: list[str]) -> None:
    parses_or_refuses(("<html><body>" + "".join(parts)).encode())


@settings(SETTINGS, max_examples=FUZZ_EXAMPLES)
@given(parts=st.lists(st.sampled_from(WORDS), max_size=300))
def test_fuzz_text_like_input(parts: list[str]) -> None:
    parses_or_refuses("".join(parts).encode())


@settings(SETTINGS, max_examples=FUZZ_EXAMPLES)
@given(data=st.binary(max_size=2000))
def test_fuzz_bytes(data: bytes) -> None:
    parses_or_refuses(data)


def _mutants(data: bytes, seed: int) -> Iterator[bytes]:
    """Byte flips, cuts, deletions, repeats and foreign bytes: a broken copy or transfer."""
    rnd = random.Random(seed)
    for _ in range(MUTATIONS):
        out = bytearray(data)
        for _ in range(rnd.randint(1, 8)):
            at = rnd.randrange(len(out))
            span = rnd.randint(1, 64)
            what = rnd.randrange(5)
            if what == 0:
                out[at] = rnd.randrange(256)
            elif what == 1:
                del out[at : at + span]
            elif what == 2:
                out[at:at] = out[at : at + span] * rnd.randint(2, 20)
            elif what == 3:
                out[at:at] = rnd.randbytes(span)
            else:
                del out[at:]
            if not out:
                out = bytearray(b"x")
        yield bytes(out)


SEEDS = {
    "docx-text": (SAMPLES / "000_c3b0ef98b8a3f889.txt").read_bytes(),
    "html": (SAMPLES / "shuyang-fgj-2023.html").read_bytes(),
    "plain-text": render(
        get_format("2021"), dict(known_values(get_format("2021"), 3)), "plain"
    ).encode(),
    "markdown": (SAMPLES / "shuyang-county-gov-2025.txt").read_bytes(),
    "crawler-text": (SAMPLES / "pingtan-2022.txt").read_bytes(),
}


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_fuzz_mutated_reports(name: str) -> None:
    for i, data in enumerate(_mutants(SEEDS[name], seed=sorted(SEEDS).index(name))):
        try:
            parses_or_refuses(data)
        except Exception as e:
            raise AssertionError(f"{name} mutant {i}: {type(e).__name__}: {e}") from e
