"""Draw report-like PDFs from known values, for the PDF reader's tests.

A tiny flow layout on reportlab's canvas: headings, wrapped paragraphs and ruled tables whose
cells may span rows and columns, laid out the way Word exports a report: cell text top-aligned
and wrapped inside its cell, a table running over a page break with its header rows repeated, a
merged cell split at the break (its text continuing in the part on the next page), a running
header and a page-number line on every page. `ruled=False` draws the same tables with no rulings.

Fonts: like Word, the text is set in an embedded font, here one made on the fly with fontTools
(a box glyph for every character the report uses: no CJK font file is needed). `font="cid"` uses
reportlab's built-in STSong-Light instead, which is not embedded, as some PDF writers do.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

CID_FONT = "STSong-Light"  # one of reportlab's built-in CJK fonts, never embedded
pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))


def _glyph(width: int, ink: bool = True):
    pen = TTGlyphPen(None)
    if ink:
        pen.moveTo((60, -60))
        pen.lineTo((60, 760))
        pen.lineTo((width - 60, 760))
        pen.lineTo((width - 60, -60))
        pen.closePath()
    return pen.glyph()


def embedded_font(chars: set[str]) -> str:
    """Register (once) a TrueType font with a glyph for each character; return its name."""
    chars = {c for c in chars if c.isprintable() and not c.isspace()}
    name = "XxgkTest" + hashlib.sha1("".join(sorted(chars)).encode()).hexdigest()[:10]
    if name in pdfmetrics.getRegisteredFontNames():
        return name
    glyph_names = {c: f"u{ord(c):05X}" for c in sorted(chars)}
    order = [".notdef", "space", *glyph_names.values()]
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(order)
    fb.setupCharacterMap(
        {32: "space", 0x3000: "space", **{ord(c): g for c, g in glyph_names.items()}}
    )
    glyphs = {".notdef": _glyph(500), "space": _glyph(500, ink=False)}
    metrics = {".notdef": (500, 0), "space": (500, 0)}
    for c, g in glyph_names.items():
        width = 500 if c.isascii() else 1000  # half-width Latin and digits, full-width CJK
        glyphs[g] = _glyph(width)
        metrics[g] = (width, 0)
    fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics(metrics)
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": name, "styleName": "Regular"})
    fb.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120)
    fb.setupPost()
    data = io.BytesIO()
    fb.save(data)
    data.seek(0)
    pdfmetrics.registerFont(TTFont(name, data))
    return name


PAGE = (595.0, 842.0)  # A4 in points
MARGIN = 72.0
PAD = 3.0  # cell padding


def wrap(text: str, width: float, font: str, size: float) -> list[str]:
    """Break text into lines no wider than `width` (characters, not words: Chinese)."""
    lines: list[str] = []
    line = ""
    for ch in text:
        if line and pdfmetrics.stringWidth(line + ch, font, size) > width:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line] if line or not lines else lines


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


@dataclass
class _Placed:
    cell: Cell
    row: int
    col: int
    lines: list[str]


@dataclass
class Report:
    """Content in order; `build()` lays it out over pages and returns the PDF bytes."""

    running_header: str | None = None
    page_numbers: Callable[[int], str] = lambda n: f"- {n} -"
    ruled: bool = True
    body_size: float = 12.0
    rotate: int = 0  # /Rotate of every page; content is drawn to look upright
    font: str = "embedded"  # or "cid": STSong-Light, not embedded
    _blocks: list[tuple[str, object]] = field(default_factory=list)

    def heading(self, text: str, size: float = 16.0) -> Report:
        self._blocks.append(("heading", (text, size)))
        return self

    def paragraph(self, text: str) -> Report:
        self._blocks.append(("paragraph", text))
        return self

    def table(self, table: Table) -> Report:
        self._blocks.append(("table", table))
        return self

    def page_break(self) -> Report:
        self._blocks.append(("break", None))
        return self

    def _chars(self) -> set[str]:
        chars = set(
            "0123456789-—–第页共/·"
        )  # whatever page numbers use.union(self.running_header or "")
        for kind, block in self._blocks:
            if kind in ("heading", "paragraph"):
                chars.update(block[0] if kind == "heading" else block)  # type: ignore[index]
            elif kind == "table":
                chars.update(c for row in block.rows for cell in row for c in cell.text)  # type: ignore[attr-defined]
        return chars

    def build(self, password: str | None = None, *, restricted: bool = False) -> bytes:
        """The PDF; `password` encrypts it for opening, `restricted` only forbids copying
        (an owner password, as many published reports have: readable by anyone)."""
        font = embedded_font(self._chars()) if self.font == "embedded" else CID_FONT
        out = io.BytesIO()
        encrypt = None
        if password or restricted:
            encrypt = StandardEncryption(password or "", ownerPassword="owner", canCopy=0)
        _Writer(self, font, out, encrypt).run()
        return out.getvalue()


class _Writer:
    def __init__(self, report: Report, font: str, out: io.BytesIO, encrypt) -> None:
        self.r = report
        self.font = font
        w, h = PAGE if report.rotate in (0, 180) else PAGE[::-1]
        self.width, self.height = w, h
        self.c = canvas.Canvas(out, pagesize=PAGE, encrypt=encrypt, pageCompression=0)
        self.page = 0
        self.y = 0.0

    # -- pages -----------------------------------------------------------------------------

    def run(self) -> None:
        self.new_page()
        for kind, block in self.r._blocks:
            if kind == "heading":
                text, size = block  # type: ignore[misc]
                self.text_lines([text], size, MARGIN + 2 * size, gap=0.8 * size)
            elif kind == "paragraph":
                s = self.r.body_size
                lines = wrap("\u3000\u3000" + str(block), self.width - 2 * MARGIN, self.font, s)
                self.text_lines(lines, s, MARGIN, gap=0.3 * s)
            elif kind == "table":
                self.draw_table(block)  # type: ignore[arg-type]
            else:
                self.end_page()
                self.new_page()
        self.end_page()
        self.c.save()

    def new_page(self) -> None:
        self.page += 1
        c = self.c
        if self.r.rotate:
            c.setPageRotation(self.r.rotate)
            c.saveState()
            # draw in the displayed (rotated) page's coordinates
            if self.r.rotate == 90:
                c.transform(0, 1, -1, 0, PAGE[0], 0)
            elif self.r.rotate == 180:
                c.transform(-1, 0, 0, -1, PAGE[0], PAGE[1])
            elif self.r.rotate == 270:
                c.transform(0, -1, 1, 0, 0, PAGE[1])
        if self.r.running_header:
            c.setFont(self.font, 9)
            c.drawCentredString(self.width / 2, self.height - 40, self.r.running_header)
        self.y = self.height - MARGIN

    def end_page(self) -> None:
        c = self.c
        c.setFont(self.font, 10.5)
        c.drawCentredString(self.width / 2, 36, self.r.page_numbers(self.page))
        if self.r.rotate:
            c.restoreState()
        c.showPage()

    def text_lines(self, lines: list[str], size: float, x: float, gap: float) -> None:
        for line in lines:
            if self.y - size < MARGIN:
                self.end_page()
                self.new_page()
            self.c.setFont(self.font, size)
            self.y -= size
            self.c.drawString(x, self.y, line)
            self.y -= gap
        self.y -= gap

    # -- tables ----------------------------------------------------------------------------

    def draw_table(self, t: Table) -> None:
        placed = _place(t, self.font)
        lead = t.size * 1.25
        heights = [0.0] * len(t.rows)
        for p in placed:
            if p.cell.rowspan == 1:
                heights[p.row] = max(heights[p.row], len(p.lines) * lead + 2 * PAD)
        heights = [max(h, lead + 2 * PAD) for h in heights]
        xs = [MARGIN]
        for w in t.widths:
            xs.append(xs[-1] + w)
        by_row: dict[int, list[_Placed]] = {}
        for p in placed:
            by_row.setdefault(p.row, []).append(p)
        # each page shows a run of rows; a spanning cell is cut at the page's last row
        row = 0
        first_on_page = True
        left_over: dict[int, list[str]] = {}  # id(cell) -> its lines not yet drawn
        while row < len(t.rows):
            tops: dict[int, float] = {}
            y = self.y
            rows_here: list[int] = []
            if not first_on_page and t.header_rows:
                for hr in range(t.header_rows):
                    tops[hr] = y
                    rows_here.append(hr)
                    y -= heights[hr]
            start = row
            while row < len(t.rows) and (y - heights[row] >= MARGIN or row == start):
                tops[row] = y
                rows_here.append(row)
                y -= heights[row]
                row += 1
            bottoms = {r: tops[r] - heights[r] for r in rows_here}
            for r in rows_here:
                for p in by_row.get(r, []):
                    self._draw_cell(p, t, xs, tops, bottoms, rows_here, lead, left_over)
            # cells spanning into this page from a row drawn on the previous one
            for p in placed:
                if p.row < start and p.row >= t.header_rows and p.row + p.cell.rowspan > start:
                    self._draw_cell(p, t, xs, tops, bottoms, rows_here, lead, left_over, start)
            self.y = y
            first_on_page = False
            if row < len(t.rows):
                self.end_page()
                self.new_page()
        self.y -= 12

    def _draw_cell(self, p, t, xs, tops, bottoms, rows_here, lead, left_over, from_row=None):
        first = p.row if from_row is None else from_row
        last_row = p.row + p.cell.rowspan - 1
        shown = [r for r in rows_here if first <= r <= last_row]
        if not shown:
            return
        x0, x1 = xs[p.col], xs[p.col + p.cell.colspan]
        top, bottom = tops[shown[0]], bottoms[shown[-1]]
        c = self.c
        if self.r.ruled:
            c.setLineWidth(0.5)
            c.rect(x0, bottom, x1 - x0, top - bottom, stroke=1, fill=0)
        lines = left_over.pop(id(p.cell), p.lines) if from_row is not None else p.lines
        fits = max(1, int((top - bottom - 2 * PAD) // lead))
        if p.cell.rowspan > 1 and last_row not in shown:
            left_over[id(p.cell)] = lines[fits:]
            lines = lines[:fits]
        c.setFont(self.font, t.size)
        for k, line in enumerate(lines):
            c.drawString(x0 + PAD, top - PAD - t.size - k * lead, line)


def _place(t: Table, font: str) -> list[_Placed]:
    """Cells on the grid (skipping slots covered by spans above), with their wrapped lines."""
    taken: set[tuple[int, int]] = set()
    out: list[_Placed] = []
    for r, row in enumerate(t.rows):
        col = 0
        for cell in row:
            while (r, col) in taken:
                col += 1
            width = sum(t.widths[col : col + cell.colspan]) - 2 * PAD
            lines = list(cell.text) if cell.vertical else wrap(cell.text, width, font, t.size)
            out.append(_Placed(cell, r, col, lines))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, col + dc))
            col += cell.colspan
    return out


def scanned_pdf(pages: int = 2) -> bytes:
    """Image-only pages, as a scanner makes them: no text layer at all."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader

    image = Image.new("L", (400, 560), 255)
    draw = ImageDraw.Draw(image)
    for k in range(12):  # table-like strokes and text-like blobs
        draw.line((20, 40 + 40 * k, 380, 40 + 40 * k), fill=0, width=2)
        draw.rectangle((30, 50 + 40 * k, 30 + 25 * (k % 5 + 1), 62 + 40 * k), fill=60)
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=PAGE)
    for _ in range(pages):
        c.drawImage(ImageReader(image), 40, 60, width=515, height=720)
        c.showPage()
    c.save()
    return out.getvalue()


def blank_pages(count: int) -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=PAGE)
    for _ in range(count):
        c.showPage()
    c.save()
    return out.getvalue()


# ---- the national template's tables, filled with given cell texts ---------------------------

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


def national_report(
    t2: dict[str, list[str]],
    t3: dict[str, list[str]],
    t4: list[str],
    *,
    body: str = "测试市人民政府",
    year: int = 2024,
    filler: int = 3,
    **options,
) -> Report:
    """A whole report in the 2021 format: title, narrative, Tables 2-4, sections 五 and 六.
    `filler` paragraphs before Table 2 move where the page breaks fall."""
    r = Report(**options)
    r.heading(body, 20).heading(f"{year}年政府信息公开工作年度报告", 20)
    r.paragraph(f"本报告由{body}办公室根据《中华人民共和国政府信息公开条例》编制。")
    r.heading("一、总体情况")
    r.paragraph(
        f"{year}年，全市共受理政府信息公开申请 {t3['new'][6]} 件，政府信息公开行政复议 "
        f"{t4[4]} 件，政府信息公开行政诉讼 {int(t4[9]) + int(t4[14])} 件。"
    )
    for k in range(filler):
        r.paragraph(f"（{'一二三四五六七八九'[k % 9]}）工作情况。" + "持续深化政务公开，" * 12)
    r.heading("二、主动公开政府信息情况").table(table2(t2))
    r.heading("三、收到和处理政府信息公开申请情况").table(table3(t3))
    r.heading("四、政府信息公开行政复议、行政诉讼情况").table(table4(t4))
    r.page_break()
    r.heading("五、存在的主要问题及改进情况")
    r.paragraph("政策解读质量仍需提升。" * 4)
    r.heading("六、其他需要报告的事项")
    r.paragraph(f"{year}年未收取信息处理费。")
    return r
