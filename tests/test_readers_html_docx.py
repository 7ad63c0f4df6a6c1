"""The HTML and DOCX readers: token streams from a real page and from the filled template.

Expectations for the real page were written by reading shuyang-fgj-2023.html, not by running
the reader.
"""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.parser import parse_xml
from docx_builder import TEMPLATE, build_report

from xxgk.ingest.model import Document, ParseError, Token
from xxgk.ingest.readers import docx as docx_reader
from xxgk.ingest.readers.docx import read_docx
from xxgk.ingest.readers.html import decode_html, read_html
from xxgk.template.catalog import get_format

REPORTS = Path("/work/shared/reports")
FGJ = REPORTS / "shuyang-fgj-2023.html"
BLANK5 = ["", "", "", "", ""]  # the five legal-person columns left empty in the real page


def rows_of(doc: Document, table: int) -> list[list[str]]:
    """Token texts of each row of the table numbered `table`, checking the row grouping."""
    prefix = f"table {table}, "
    rows: dict[int, list[Token]] = {}
    for tok in doc.tokens:
        if tok.where.startswith(prefix):
            rows.setdefault(tok.row, []).append(tok)
    for toks in rows.values():
        assert all(t.in_table for t in toks)
        assert len({t.where.split(", cell")[0] for t in toks}) == 1  # one <tr> / w:tr per row
    return [[t.text for t in toks] for toks in rows.values()]


# --- the real page --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fgj() -> Document:
    return read_html(decode_html(FGJ.read_bytes()))


def test_real_page_table3_rows_in_order(fgj: Document) -> None:
    rows = rows_of(fgj, 3)  # 1: CMS metadata table, 2: Table 2, 3: Table 3, 4: Table 4
    assert rows == [
        ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
        ["自然人", "法人或其他组织", "总计"],
        ["商业\n企业", "科研\n机构", "社会公益组织", "法律服务机构", "其他"],
        ["一、本年新收政府信息公开申请数量", "26", *BLANK5, "26"],
        ["二、上年结转政府信息公开申请数量", "0", *BLANK5, "0"],
        ["三、本年度办理结果", "（一）予以公开", "26", *BLANK5, "26"],
        ["（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "0", *BLANK5, "0"],
        ["（三）不予公开", "1.属于国家秘密", "0", *BLANK5, "0"],
        ["2.其他法律行政法规禁止公开", "0", *BLANK5, "0"],
        ["3.危及“三安全一稳定”", "0", *BLANK5, "0"],
        ["4.保护第三方合法权益", "0", *BLANK5, "0"],
        ["5.属于三类内部事务信息", "0", *BLANK5, "0"],
        ["6.属于四类过程性信息", "0", *BLANK5, "0"],
        ["7.属于行政执法案卷", "0", *BLANK5, "0"],
        ["8.属于行政查询事项", "0", *BLANK5, "0"],
        ["（四）无法提供", "1.本机关不掌握相关政府信息", "0", *BLANK5, "0"],
        ["2.没有现成信息需要另行制作", "0", *BLANK5, "0"],
        ["3.补正后申请内容仍不明确", "0", *BLANK5, "0"],
        ["（五）不予处理", "1.信访举报投诉类申请", "0", *BLANK5, "0"],
        ["2.重复申请", "0", *BLANK5, "0"],
        ["3.要求提供公开出版物", "0", *BLANK5, "0"],
        ["4.无正当理由大量反复申请", "0", *BLANK5, "0"],
        ["5.要求行政机关确认或重新出具已获取信息", "0", *BLANK5, "0"],
        [
            "（六）其他处理",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "0",
            *BLANK5,
            "0",
        ],
        [
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            "0",
            *BLANK5,
            "0",
        ],
        ["3.其他", "0", *BLANK5, "0"],
        ["（七）总计", "26", *BLANK5, "26"],
        ["四、结转下年度继续办理", "0", *BLANK5, "0"],
    ]


def test_real_page_blank_cells_and_locators(fgj: Document) -> None:
    new_row = [t for t in fgj.tokens if t.where.startswith("table 3, row 4,")]
    assert [t.where for t in new_row] == [f"table 3, row 4, cell {c}" for c in range(1, 9)]
    assert [t.text for t in new_row[2:7]] == BLANK5  # blank, not "0"
    assert len({t.row for t in new_row}) == 1


def test_real_page_tables_2_and_4(fgj: Document) -> None:
    assert rows_of(fgj, 2) == [
        ["第二十条第（一）项"],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "0", "0", "0"],
        ["规范性文件", "8", "0", "18"],
        ["第二十条第（五）项"],
        ["信息内容", "本年处理决定数量"],
        ["行政许可", "0"],
        ["第二十条第（六）项"],
        ["信息内容", "本年处理决定数量"],
        ["行政处罚", "0"],
        ["行政强制", "0"],
        ["第二十条第（八）项"],
        ["信息内容", "本年收费金额（单位：万元）"],
        ["行政事业性收费", "0"],
    ]
    heads = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert rows_of(fgj, 4) == [
        ["行政复议", "行政诉讼"],
        [*heads, "未经复议直接起诉", "复议后起诉"],  # the first five are rowspan=2
        heads * 2,
        ["0", "0", "0", "1", "1"] + ["0"] * 10,
    ]
    assert not any(t.where.startswith("table 5,") for t in fgj.tokens)


def test_real_page_text_title_and_meta(fgj: Document) -> None:
    assert fgj.form == "html"
    assert fgj.title == "沭阳县发展和改革局2023年政府信息公开年度报告-沭阳县发改局"
    assert fgj.meta == {
        "标题": "沭阳县发展和改革局2023年政府信息公开年度报告-沭阳县发改局",
        "单位": "沭阳县发改局",
        "索引号": "014314799/2024-00002",
        "发布机构": "沭阳县发展和改革局",
        "公开日期": "2024-01-17",
    }
    texts = [t.text for t in fgj.paragraphs()]
    # a sentence split over many span/font runs is one token
    assert (
        "2023年度我局共收到依申请信息公开26件，及时回复申请人，并将申请人所申请的信息通过"
        "电子邮箱发送给申请人" in texts
    )
    assert texts[-1] == "2024年1月17日"
    # the heading comes right before Table 3's first cell
    i = next(i for i, t in enumerate(fgj.tokens) if t.where == "table 3, row 1, cell 1")
    assert fgj.tokens[i - 1].text == "三、收到和处理政府信息公开申请情况"
    assert not fgj.tokens[i - 1].in_table
    # script, style and head are not text
    assert not any(w in t.text for t in fgj.tokens for w in ("websiteId", "xggj", "font-family"))


def test_real_page_row_numbers(fgj: Document) -> None:
    rows = [t.row for t in fgj.tokens]
    assert rows == sorted(rows)
    groups: dict[int, set[str]] = {}
    for t in fgj.tokens:
        groups.setdefault(t.row, set()).add(t.where.split(", cell")[0])
    assert all(len(g) == 1 for g in groups.values())  # a row number is one row or paragraph
    paragraphs = [t.where for t in fgj.tokens if not t.in_table]
    assert paragraphs == [f"paragraph {n}" for n in range(1, len(paragraphs) + 1)]


# --- small pages ----------------------------------------------------------------------------

SMALL = (
    "<html><head>{meta}<title>测试页</title></head><body>"
    "<p>三、收到和处理政府信息公开申请情况</p>"
    "<table><tr><td>一、本年新收政府信息公开申请数量</td><td>12</td><td></td><td>&nbsp;</td></tr>"
    "<tr><td>朱镕基𠮷</td><td>１２</td><td>/</td><td>—</td></tr></table></body></html>"
)
SMALL_ROWS = [["一、本年新收政府信息公开申请数量", "12", "", ""], ["朱镕基𠮷", "１２", "/", "—"]]


@pytest.mark.parametrize(
    ("meta", "encoding"),
    [
        ('<meta charset="gbk">', "gb18030"),
        ('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "gb18030"),
        ("", "gb18030"),  # no declaration: a Chinese page that is not UTF-8
        ("", "utf-8-sig"),
        ("", "utf-16"),  # BOM, little-endian
        ('<meta charset="utf-8">', "utf-16-be"),  # BOM added below; beats the declaration
        ('<meta charset="gb2312">', "utf-8"),  # re-encoded by a CMS, declaration left stale
    ],
)
def test_decode_variants(meta: str, encoding: str) -> None:
    page = SMALL.format(meta=meta)
    data = page.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    assert decode_html(data) == page
    doc = read_html(decode_html(data))
    assert rows_of(doc, 1) == SMALL_ROWS
    assert doc.title == "测试页"
    assert doc.paragraphs()[0].text == "三、收到和处理政府信息公开申请情况"


def test_decode_word_export_served_as_gb18030() -> None:
    # the real page re-encoded, its <meta charset="utf-8"> left stale: charset-normalizer alone
    # rejects GB18030 here (the font names in every style attribute read as "uncommon CJK")
    page = FGJ.read_text("utf-8")
    assert decode_html(page.encode("gb18030")) == page


def test_rowspan_and_colspan_give_one_token() -> None:
    doc = read_html(
        "<table>"
        '<tr><td colspan="3" rowspan="2">申请人情况</td><td colspan="2">法人</td></tr>'
        "<tr><td>商业企业</td><td>科研机构</td></tr>"
        '<tr><td rowspan="2">三、本年度办理结果</td><td colspan="2">（一）予以公开</td>'
        "<td>5</td><td></td></tr>"
        '<tr><td colspan="2">（二）部分公开</td><td>0</td><td>　</td></tr>'
        "</table>"
    )
    assert rows_of(doc, 1) == [
        ["申请人情况", "法人"],
        ["商业企业", "科研机构"],
        ["三、本年度办理结果", "（一）予以公开", "5", ""],
        ["（二）部分公开", "0", ""],
    ]
    assert [t.where for t in doc.tokens[-3:]] == [f"table 1, row 4, cell {c}" for c in (1, 2, 3)]


def test_cells_without_tr_form_a_row() -> None:
    # libxml2 leaves such cells directly in the table; a browser shows them as one row
    doc = read_html("<table><td>规章</td><td>3</td></table>")
    assert [(t.text, t.where) for t in doc.tokens] == [
        ("规章", "table 1, row 1, cell 1"),
        ("3", "table 1, row 1, cell 2"),
    ]


def test_cell_text_joins_runs_and_keeps_paragraph_lines() -> None:
    doc = read_html(
        "<table><tr>"
        "<td><p><span>商业</span></p>\n  <p><span>企</span><font>业</font></p></td>"
        "<td>结果<br>纠正</td>"
        "<td>\n  <span>本年</span>\n  <span>新收</span>\n</td>"
        "<td>　１２　</td>"
        "<td>Total&nbsp; 3</td>"
        "</tr></table>"
    )
    # a line break between CJK characters in the page source renders as nothing
    assert rows_of(doc, 1) == [["商业\n企业", "结果\n纠正", "本年新收", "１２", "Total 3"]]


def test_nested_layout_table_is_not_duplicated() -> None:
    doc = read_html(
        "<table><tr><td>导航</td><td>正文前<table>"
        "<tr><td>规章</td><td>1</td></tr><tr><td>行政许可</td><td>2</td></tr>"
        "</table>正文后</td></tr></table>"
        "<table><tr><td>另一表</td></tr></table>"
    )
    assert [(t.text, t.in_table) for t in doc.tokens] == [
        ("导航", False),
        ("正文前", False),
        ("规章", True),
        ("1", True),
        ("行政许可", True),
        ("2", True),
        ("正文后", False),
        ("另一表", True),
    ]
    assert rows_of(doc, 1) == [["规章", "1"], ["行政许可", "2"]]
    assert rows_of(doc, 2) == [["另一表"]]


def test_meta_from_lines_and_label_cells() -> None:
    doc = read_html(
        "<p>（单位：万元）</p><p>单位：万元</p>"
        "<div>发布机构：某某县人民政府　　公开日期：2024-01-20</div>"
        "<table><tr><td>索引号：</td><td>000/2024-1</td><td>名称</td><td>某某县年报</td></tr>"
        "<tr><td>发布机构</td><td>别的机构</td></tr></table>"
    )
    assert doc.meta == {
        "发布机构": "某某县人民政府",
        "公开日期": "2024-01-20",
        "索引号": "000/2024-1",
        "标题": "某某县年报",
    }


def test_empty_and_textless_pages() -> None:
    assert read_html("").tokens == []
    assert read_html("<html><head><script>var a = '<p>x</p>';</script></head></html>").tokens == []


# --- DOCX -----------------------------------------------------------------------------------

FORMAT = get_format("2021")
T3 = FORMAT.table("t3")
T3_COLUMNS = [c.code for c in T3.row_columns(T3.rows[0])]
T4 = FORMAT.table("t4")
# the first cell of the template rows that open a group: 三、本年度办理结果 and 三（三）–（六）
GROUP_LABELS = {
    "granted": "三、本年度办理结果",
    "denied_state_secret": "（三）不予公开",
    "unable_not_held": "（四）无法提供",
    "rejected_petition": "（五）不予处理",
    "other_no_correction": "（六）其他处理",
}


def filled_values() -> dict[str, str]:
    """A distinct value for every required cell, with blanks, marks and odd digits mixed in."""
    values = {c.code: str(100 + i) for i, c in enumerate(FORMAT.required_cells)}
    values.update(
        {
            "t2.regulation.repealed": "",
            "t2.admin_fee.amount_wan_yuan": "3.5",
            "t3.new.commercial": "",
            "t3.new.research": "/",
            "t3.granted.total": "１２",
            "t3.carried_forward.other_org": "1,234",
            "t4.review.total": "—",
        }
    )
    return values


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, dict[str, str]]:
    values = filled_values()
    path = build_report(
        tmp_path_factory.mktemp("docx") / "filled.docx",
        values,
        title="某某县人民政府2023年政府信息公开工作年度报告",
        narrative=["2023年，本机关共收到政府信息公开申请12件。", "未发生行政复议。"],
        core_title="某某县2023年年报",
    )
    return path.read_bytes(), values


def test_filled_template_gives_exactly_the_values(filled: tuple[bytes, dict[str, str]]) -> None:
    data, values = filled
    doc = read_docx(data)
    assert doc.form == "docx"

    def v(*codes: str) -> list[str]:
        return [values[c] for c in codes]

    t2 = rows_of(doc, 1)
    assert t2[2] == [
        "规章",
        *v("t2.regulation.issued", "t2.regulation.repealed", "t2.regulation.in_force"),
    ]
    assert t2[3] == [
        "行政规范性文件",
        *v("t2.normative_doc.issued", "t2.normative_doc.repealed", "t2.normative_doc.in_force"),
    ]
    assert [t2[i] for i in (6, 9, 10, 13)] == [
        ["行政许可", values["t2.license.decisions"]],
        ["行政处罚", values["t2.penalty.decisions"]],
        ["行政强制", values["t2.coercion.decisions"]],
        ["行政事业性收费", "3.5"],
    ]

    t3 = rows_of(doc, 2)
    assert len(t3) == 3 + 25
    for row, tokens in zip(T3.rows, t3[3:], strict=True):
        expected = v(*(f"t3.{row.code}.{c}" for c in T3_COLUMNS))
        assert tokens[-7:] == expected, row.code
        assert len(tokens) == (9 if row.code in GROUP_LABELS else 8), row.code
        if row.code in GROUP_LABELS:
            assert tokens[0] == GROUP_LABELS[row.code]
    rest = v("t3.new.social_welfare", "t3.new.legal_service", "t3.new.other_org", "t3.new.total")
    assert t3[3] == [
        "一、本年新收政府信息公开申请数量",
        values["t3.new.natural_person"],
        "",
        "/",
        *rest,
    ]

    t4 = rows_of(doc, 3)
    assert t4[3] == [values[f"t4.{r.code}.{c.code}"] for r in T4.rows for c in T4.row_columns(r)]
    assert t4[3][4] == "—"

    # every value put in comes out once, in template order
    table_values = [t.text for t in doc.tokens if t.in_table]
    assert all(table_values.count(x) == 1 for x in values.values() if x not in ("", "/"))


def test_docx_merged_cells(filled: tuple[bytes, dict[str, str]]) -> None:
    doc = read_docx(filled[0])
    t3 = rows_of(doc, 2)
    assert t3[:3] == [
        ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
        ["自然人", "法人或其他组织", "总计"],  # vMerge continuations give no token
        ["商业\n企业", "科研\n机构", "社会公益组织", "法律服务机构", "其他"],
    ]
    # C counts the row's w:tc elements, continuations included
    where = {t.text: t.where for t in doc.tokens}
    assert where["自然人"] == "table 2, row 2, cell 2"
    assert where["商业\n企业"] == "table 2, row 3, cell 3"
    heads = ["结果\n维持", "结果\n纠正", "其他\n结果", "尚未\n审结", "总计"]
    t4 = rows_of(doc, 3)
    assert (
        t4[:3]
        == [
            ["行政复议", "行政诉讼"],  # gridSpan 5 and 10: one token each
            ["结果维持", *heads[1:], "未经复议直接起诉", "复议后起诉"],
            heads * 2,
        ]
    )


def test_docx_title_and_narrative(filled: tuple[bytes, dict[str, str]]) -> None:
    doc = read_docx(filled[0])
    assert doc.title == "某某县2023年年报"
    assert [t.text for t in doc.paragraphs()[:6]] == [
        "某某县人民政府2023年政府信息公开工作年度报告",
        "政府信息公开工作年度报告格式模板",
        "一、总体情况",
        "2023年，本机关共收到政府信息公开申请12件。",
        "未发生行政复议。",
        "（文字描述）",
    ]
    assert doc.tokens[0] == Token(
        "某某县人民政府2023年政府信息公开工作年度报告", 1, "paragraph 1", False
    )
    rows = [t.row for t in doc.tokens]
    assert rows == sorted(rows)


def test_blank_template_cells_are_empty() -> None:
    doc = read_docx(TEMPLATE.read_bytes())
    assert doc.title == ""
    t3 = rows_of(doc, 2)
    assert all(row[-7:] == [""] * 7 for row in t3[3:])
    assert rows_of(doc, 1)[2] == ["规章", "", "", ""]  # the template's U+3000 fillers stripped
    assert rows_of(doc, 3)[3] == [""] * 15


def _docx_with_body(tmp_path: Path, body_xml: str) -> bytes:
    """A python-docx document whose body holds `body_xml` (WordprocessingML fragments)."""
    document = docx.Document()
    body = document.element.body
    ns = (
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    )
    for el in parse_xml(f"<w:body {ns}>{body_xml}</w:body>"):
        body.insert(len(body) - 1, el)  # before w:sectPr
    path = tmp_path / "built.docx"
    document.save(str(path))
    return path.read_bytes()


def test_docx_reads_visible_text_only(tmp_path: Path) -> None:
    data = _docx_with_body(
        tmp_path,
        "<w:p><w:r><w:t>本年</w:t></w:r>"
        "<w:del><w:r><w:delText>旧</w:delText></w:r></w:del>"
        "<w:ins><w:r><w:t>新收</w:t></w:r></w:ins>"
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>12</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
        "<w:p><w:r><mc:AlternateContent><mc:Choice><w:t>框</w:t></mc:Choice>"
        "<mc:Fallback><w:t>框</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>"
        "<w:sdt><w:sdtContent><w:p><w:r><w:t>控件内</w:t></w:r></w:p></w:sdtContent></w:sdt>",
    )
    assert [t.text for t in read_docx(data).tokens] == ["本年新收12", "框", "控件内"]


def test_docx_merge_marks_and_wrapped_cells(tmp_path: Path) -> None:
    data = _docx_with_body(
        tmp_path,
        "<w:tbl><w:tr>"
        "<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>"  # continuation: no token
        '<w:tc><w:tcPr><w:hMerge w:val="continue"/></w:tcPr><w:p/></w:tc>'  # legacy: no token
        # a tracked change's old properties do not make the cell a continuation
        "<w:tc><w:tcPr><w:tcPrChange><w:tcPr><w:vMerge/></w:tcPr></w:tcPrChange></w:tcPr>"
        "<w:p><w:r><w:t>留</w:t></w:r></w:p></w:tc>"
        "<w:sdt><w:sdtContent><w:tc><w:p><w:r><w:t>控件</w:t></w:r></w:p></w:tc>"
        "</w:sdtContent></w:sdt>"
        "</w:tr></w:tbl>",
    )
    assert [(t.text, t.where) for t in read_docx(data).tokens] == [
        ("留", "table 1, row 1, cell 3"),
        ("控件", "table 1, row 1, cell 4"),
    ]


def test_docx_nested_layout_table(tmp_path: Path) -> None:
    document = docx.Document()
    outer = document.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "导航"
    content = outer.cell(0, 1)
    content.text = "正文前"
    inner = content.add_table(rows=2, cols=2)
    for r, row in enumerate([["规章", "1"], ["行政许可", ""]]):
        for c, text in enumerate(row):
            inner.cell(r, c).text = text
    content.add_paragraph("正文后")
    path = tmp_path / "nested.docx"
    document.save(str(path))
    doc = read_docx(path.read_bytes())
    assert [(t.text, t.in_table) for t in doc.tokens] == [
        ("导航", False),
        ("正文前", False),
        ("规章", True),
        ("1", True),
        ("行政许可", True),
        ("", True),
        ("正文后", False),
    ]
    assert rows_of(doc, 1) == [["规章", "1"], ["行政许可", ""]]


# --- refusing bad files quickly ---------------------------------------------------------------


def _refused(data: bytes, reason: str) -> None:
    start = time.perf_counter()
    with pytest.raises(ParseError) as err:
        read_docx(data)
    assert time.perf_counter() - start < 1.0
    assert reason in err.value.reason
    assert "\n" not in err.value.reason


def test_truncated_docx(filled: tuple[bytes, dict[str, str]]) -> None:
    data = filled[0]
    _refused(data[: len(data) // 2], "corrupt or truncated")


def test_corrupt_member(filled: tuple[bytes, dict[str, str]]) -> None:
    data = bytearray(filled[0])
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 100
    data[start : start + 200] = bytes(200)  # zero part of the compressed stream
    _refused(bytes(data), "cannot be read")


def test_not_a_zip() -> None:
    _refused(b"%PDF-1.7 not a zip at all", "corrupt or truncated")
    _refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "legacy .doc")


def test_missing_document_xml() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(TEMPLATE) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            if item.filename != "word/document.xml":
                dst.writestr(item, src.read(item))
    _refused(out.getvalue(), "word/document.xml")


def test_zip_bomb_document_xml() -> None:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf,
        zf.open("word/document.xml", "w") as member,
    ):
        for _ in range(51):
            member.write(bytes(1 << 20))
    assert len(out.getvalue()) < 1 << 20  # 51 MB of zeros in a small file
    _refused(out.getvalue(), "word/document.xml")


def test_total_unpacked_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docx_reader, "MAX_UNPACKED", 10_000)  # the template unpacks to ~300 KB
    _refused(TEMPLATE.read_bytes(), "unpacks to")
