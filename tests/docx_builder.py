"""Fill the blank national template with known values, to make DOCX test documents.

The template's three tables are Table 2 (主动公开), Table 3 (申请) and Table 4 (复议、诉讼) of the
2021 format. Values are given per cell code (`t3.new.total`); cells not given stay as in the
template (blank). Each template row is checked against the catalog label it is filled as, so a
changed template fails loudly instead of filling the wrong row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from xxgk.template.catalog import get_format
from xxgk.template.labels import label_key

TEMPLATE = Path("/work/shared/template/national-template-2021.docx")

# Where the value rows sit in the template (0-based w:tr index per table)
_T2_ROWS = {
    "regulation": 2,
    "normative_doc": 3,
    "license": 6,
    "penalty": 9,
    "coercion": 10,
    "admin_fee": 13,
}
_T3_FIRST_ROW = 3  # 25 rows in catalog order, 7 value cells at the end of each
_T4_ROW = 3  # one row of 15 values: the three blocks in catalog order, 5 columns each


def _value_cells(table: Table, index: int) -> list[_Cell]:
    """The row's real w:tc elements (python-docx's row.cells repeats merged cells)."""
    return [_Cell(tc, table) for tc in table._tbl.tr_lst[index].tc_lst]


def _check_label(cell: _Cell, label: str) -> None:
    if label_key(cell.text) != label_key(label):
        raise ValueError(f"template row {cell.text!r} is not {label!r}")


def cell_positions(doc: DocxDocument) -> dict[str, _Cell]:
    """Every 2021 cell code (without the optional 小计 column) to its template cell."""
    fmt = get_format("2021")
    t2, t3, t4 = (fmt.table(code) for code in ("t2", "t3", "t4"))
    out: dict[str, _Cell] = {}
    table = doc.tables[0]
    for row in t2.rows:
        label, *values = _value_cells(table, _T2_ROWS[row.code])
        _check_label(label, row.label)
        for column, cell in zip(t2.row_columns(row), values, strict=True):
            out[f"t2.{row.code}.{column.code}"] = cell
    table = doc.tables[1]
    columns = t3.row_columns(t3.rows[0])
    for i, row in enumerate(t3.rows):
        cells = _value_cells(table, _T3_FIRST_ROW + i)
        _check_label(cells[-len(columns) - 1], row.label)
        for column, cell in zip(columns, cells[-len(columns) :], strict=True):
            out[f"t3.{row.code}.{column.code}"] = cell
    cells = iter(_value_cells(doc.tables[2], _T4_ROW))
    for row in t4.rows:
        for column in t4.row_columns(row):
            out[f"t4.{row.code}.{column.code}"] = next(cells)
    return out


def build_report(
    path: Path,
    values: Mapping[str, str | int | float] | None = None,
    *,
    title: str | None = None,
    narrative: Sequence[str] = (),
    core_title: str | None = None,
) -> Path:
    """Write the template to `path` with `values` filled in (str(value) is written as is).

    `title` becomes a new first paragraph ("某某县人民政府2023年政府信息公开工作年度报告");
    `narrative` sentences become paragraphs under 一、总体情况; `core_title` sets the document
    properties' title.
    """
    doc = docx.Document(str(TEMPLATE))
    positions = cell_positions(doc)
    for code, value in (values or {}).items():
        positions[code].text = str(value)  # replaces the cell's paragraphs with one run
    paragraphs: list[Paragraph] = doc.paragraphs
    if narrative:
        heading = next(i for i, p in enumerate(paragraphs) if p.text == "一、总体情况")
        for sentence in narrative:
            paragraphs[heading + 1].insert_paragraph_before(sentence)
    if title is not None:
        paragraphs[0].insert_paragraph_before(title)
    if core_title is not None:
        doc.core_properties.title = core_title
    doc.save(str(path))
    return path
