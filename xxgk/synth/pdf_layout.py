"""Draw report-like PDFs from known values (the synthetic corpus and the PDF reader's tests).

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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from xxgk.synth.grid import Cell, Table

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

    def build(
        self,
        password: str | None = None,
        *,
        restricted: bool = False,
        font_chars: Iterable[str] = (),
    ) -> bytes:
        """The PDF; `password` encrypts it for opening, `restricted` only forbids copying
        (an owner password, as many published reports have: readable by anyone). `font_chars`
        adds characters to the embedded font: a superset shared by many PDFs makes one font."""
        chars = self._chars().union(font_chars)
        font = embedded_font(chars) if self.font == "embedded" else CID_FONT
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
