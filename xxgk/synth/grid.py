"""The national template's tables (2021 format) as grids of cells that span rows and columns,
laid out as Word's template lays them out. One grid feeds every drawn form: the PDF flow layout
(`pdf_layout`), HTML (rowspan/colspan) and DOCX (gridSpan/vMerge).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass
class Cell:
    text: str = ""
    colspan: int = 1
    rowspan: int = 1
    vertical: bool = False  # one character per line (the 三、本年度办理结果 label)


@dataclass
class Table:
    widths: Sequence[float]
    rows: list[list[Cell]]
    header_rows: int = 0  # the rows repeated at the top of each new page
    size: float = 9.0


T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_COLUMNS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
# (row code, group label and its row span or None, row label) in template order
T3_ROWS: list[tuple[str, tuple[str, int] | None, str]] = [
    ("granted", None, "（一）予以公开"),
    ("partially_granted", None, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("denied_state_secret", ("（三）不予公开", 8), "1.属于国家秘密"),
    ("denied_law_prohibited", None, "2.其他法律行政法规禁止公开"),
    ("denied_security_stability", None, "3.危及“三安全一稳定”"),
    ("denied_third_party", None, "4.保护第三方合法权益"),
    ("denied_internal_affairs", None, "5.属于三类内部事务信息"),
    ("denied_process_info", None, "6.属于四类过程性信息"),
    ("denied_enforcement_file", None, "7.属于行政执法案卷"),
    ("denied_admin_query", None, "8.属于行政查询事项"),
    ("unable_not_held", ("（四）无法提供", 3), "1.本机关不掌握相关政府信息"),
    ("unable_needs_creation", None, "2.没有现成信息需要另行制作"),
    ("unable_unclear", None, "3.补正后申请内容仍不明确"),
    ("rejected_petition", ("（五）不予处理", 5), "1.信访举报投诉类申请"),
    ("rejected_duplicate", None, "2.重复申请"),
    ("rejected_publication", None, "3.要求提供公开出版物"),
    ("rejected_excessive", None, "4.无正当理由大量反复申请"),
    ("rejected_confirmation", None, "5.要求行政机关确认或重新出具已获取信息"),
    (
        "other_no_correction",
        ("（六）其他处理", 3),
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    (
        "other_no_fee",
        None,
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    ("other_misc", None, "3.其他"),
]


T3_CELL_COLUMNS = (
    "natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org",
    "total",
)  # fmt: skip
T4_BLOCKS = ("review", "suit_direct", "suit_after_review")
T4_COLUMNS = ("upheld", "corrected", "other", "pending", "total")


def table2(v: dict[str, list[str]]) -> Table:
    def section(item: str) -> list[Cell]:
        return [Cell(f"第二十条 第（{item}）项", colspan=4)]

    def single(label: str, code: str, column: str) -> list[list[Cell]]:
        return [
            [Cell("信息内容"), Cell(column, colspan=3)],
            [Cell(label), Cell(v[code][0], colspan=3)],
        ]

    return Table(
        [150, 100, 100, 101],
        [
            section("一"),
            [Cell("信息内容"), Cell("本年制发件数"), Cell("本年废止件数"), Cell("现行有效件数")],
            [Cell("规章"), *map(Cell, v["regulation"])],
            [Cell("行政规范性文件"), *map(Cell, v["normative_doc"])],
            section("五"),
            *single("行政许可", "license", "本年处理决定数量"),
            section("六"),
            [Cell("信息内容"), Cell("本年处理决定数量", colspan=3)],
            [Cell("行政处罚"), Cell(v["penalty"][0], colspan=3)],
            [Cell("行政强制"), Cell(v["coercion"][0], colspan=3)],
            section("八"),
            *single("行政事业性收费", "admin_fee", "本年收费金额（单位：万元）"),
        ],
    )


def table3(v: dict[str, list[str]]) -> Table:
    rows: list[list[Cell]] = [
        [Cell(T3_NOTE, colspan=3, rowspan=3), Cell("申请人情况", colspan=7)],
        [Cell("自然人", rowspan=2), Cell("法人或其他组织", colspan=5), Cell("总计", rowspan=2)],
        [Cell(c) for c in T3_COLUMNS],
        [Cell("一、本年新收政府信息公开申请数量", colspan=3), *map(Cell, v["new"])],
        [Cell("二、上年结转政府信息公开申请数量", colspan=3), *map(Cell, v["carried_over"])],
    ]
    for k, (code, group, label) in enumerate(T3_ROWS):
        lead = [Cell("三、本年度办理结果", rowspan=22, vertical=True)] if k == 0 else []
        if group is not None:
            lead.append(Cell(group[0], rowspan=group[1]))
        span = 2 if code in ("granted", "partially_granted") else 1
        rows.append([*lead, Cell(label, colspan=span), *map(Cell, v[code])])
    rows.append([Cell("（七）总计", colspan=2), *map(Cell, v["results_total"])])
    rows.append([Cell("四、结转下年度继续办理", colspan=3), *map(Cell, v["carried_forward"])])
    return Table([28, 56, 112, *[36] * 7], rows, header_rows=3)


def table4(values: list[str]) -> Table:
    results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    return Table(
        [30] * 15,
        [
            [Cell("行政复议", colspan=5), Cell("行政诉讼", colspan=10)],
            [
                *(Cell(r, rowspan=2) for r in results),
                Cell("未经复议直接起诉", colspan=5),
                Cell("复议后起诉", colspan=5),
            ],
            [Cell(r) for r in results * 2],
            [Cell(x) for x in values],
        ],
    )


def slots(table: Table) -> list[list[tuple[Cell, bool]]]:
    """Each row's cells in column order, each with whether it only continues a cell spanning
    down from a row above (Word's vMerge continuation; an empty cell in a text extraction)."""
    covering: dict[int, tuple[int, Cell]] = {}  # column -> (last row it spans, the cell)
    out: list[list[tuple[Cell, bool]]] = []
    for r, row in enumerate(table.rows):
        placed: list[tuple[Cell, bool]] = []
        col = 0
        cells = iter(row)
        while col < len(table.widths):
            last, above = covering.get(col, (-1, None))
            if above is not None and last >= r:
                placed.append((above, True))
                col += above.colspan
                continue
            cell = next(cells, None)
            if cell is None:
                break
            placed.append((cell, False))
            if cell.rowspan > 1:
                covering[col] = (r + cell.rowspan - 1, cell)
            col += cell.colspan
        out.append(placed)
    return out


def national_tables(cells: dict[str, str]) -> tuple[Table, Table, Table]:
    """Tables 2, 3 and 4 of the 2021 format holding `cells` (cell code -> text as written)."""
    t2 = {
        "regulation": [cells[f"t2.regulation.{c}"] for c in ("issued", "repealed", "in_force")],
        "normative_doc": [
            cells[f"t2.normative_doc.{c}"] for c in ("issued", "repealed", "in_force")
        ],
        "license": [cells["t2.license.decisions"]],
        "penalty": [cells["t2.penalty.decisions"]],
        "coercion": [cells["t2.coercion.decisions"]],
        "admin_fee": [cells["t2.admin_fee.amount_wan_yuan"]],
    }
    rows = ("new", "carried_over", *(code for code, _, _ in T3_ROWS), "results_total")
    t3 = {
        row: [cells[f"t3.{row}.{c}"] for c in T3_CELL_COLUMNS] for row in (*rows, "carried_forward")
    }
    t4 = [cells[f"t4.{b}.{c}"] for b in T4_BLOCKS for c in T4_COLUMNS]
    return table2(t2), table3(t3), table4(t4)
