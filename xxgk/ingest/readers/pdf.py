"""PDF reader: a text-layer PDF to a `Document`; scanned, encrypted and broken PDFs refused.

PDFium (via pypdfium2) gives every character with its box and every vector path, about ten times
faster than pdfminer (pdfplumber): ~65 ms for the 6-page huaian report against ~0.7-1.1 s.
Tables are rebuilt from their ruling lines: the cells are the smallest rectangles closed on all
four sides by rulings (the method pdfplumber uses), so a merged cell is one cell, found once, and a
label wrapped over lines inside its cell stays one token. A table row is the cells sharing a top
edge, so the vertical label 三、本年度办理结果 (one character per line, spanning many rows) lands
in its first row only and never splits a row. Characters outside any table become text lines:
page numbers and running headers are dropped, wrapped lines are joined into paragraphs, and a
line with wide gaps that ends in numbers (a table drawn without rulings) becomes a row of cells.
PDFium drops a text object holding one character when its font is neither embedded nor installed
(STSong-Light, as some writers use it): such pages take their characters from pdfminer instead.

`where`: "page P, table T, row R, cell C" (T counts ruled tables on the page, R the table's rows
on that page, C the cells of the row; all 1-based) and "page P, line L" (L counts text lines
outside tables on the page, before page numbers and headers are dropped).
"""

from __future__ import annotations

import ctypes
import itertools
import re
import statistics
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from xxgk.ingest.model import Document, ParseError, Token
from xxgk.ingest.readers.text import split_line
from xxgk.ingest.values import is_value_text

MAX_PAGES = 300  # far beyond any annual report; bounds the work on a hostile file
# per page, far beyond a real one (a dense page has a few thousand characters): the Python work
# on a page grows with them. Objects count each time a form XObject draws them, so forms drawn
# inside forms cannot multiply the work.
MAX_PAGE_CHARS = 50_000
MAX_PAGE_OBJECTS = 200_000
_MIN_TEXT_CHARS = 20  # a page with fewer characters has no usable text layer
_SNAP = 3.0  # points: rulings this close are one line, and a ruling ends this near a crossing
_THIN = 2.5  # a filled rectangle thinner than this is a ruling (how some writers draw borders)
_MARGIN = 0.1  # the top and bottom tenth of a page hold page numbers and running headers
_SEGMENT_GAP = 1.0  # a gap wider than this many character heights separates cells of a line
_WORD_GAP = 0.3  # a gap wider than this many character heights is a space
_CELL_SPACE = 0.5  # inside a ruled cell only a wider gap is kept as a space

_SPACES = frozenset(" \t\r\n\x00\xa0\u3000\ufffe\uffff")
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－―‒─~·•]+\d{1,4}[-—–－―‒─~·•]+|第\d{1,4}页(?:[,，/／]?共\d{1,4}页)?"
    r"|\d{1,4}[/／]\d{1,4}|(?:page)?\d{1,4}(?:of\d{1,4})?)$",
    re.IGNORECASE,
)
_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d{1,2}[.、．](?!\d))"
)
_DIGIT = re.compile(r"\d")
_UNMAPPED = re.compile("[\ue000-\uf8ff\ufffd]")  # private use: glyphs with no Unicode meaning


@dataclass(frozen=True, slots=True)
class _Char:
    text: str
    x0: float
    top: float  # page coordinates from the top-left corner, as the page is displayed
    x1: float
    bottom: float
    spaced: bool  # PDFium put a (real or generated) space right before it in reading order

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(slots=True)
class _Rule:
    """A horizontal (pos = y) or vertical (pos = x) ruling from lo to hi."""

    pos: float
    lo: float
    hi: float


@dataclass(slots=True)
class _Cell:
    x0: float
    top: float
    x1: float
    bottom: float
    chars: list[_Char] = field(default_factory=list)


@dataclass
class _Line:
    chars: list[_Char]  # in x order
    number: int = 0  # 1-based among the page's text lines outside tables
    # computed once from the characters
    top: float = field(init=False)
    bottom: float = field(init=False)
    x0: float = field(init=False)
    x1: float = field(init=False)
    height: float = field(init=False)
    segments: list[str] = field(init=False)  # the text split at wide gaps
    text: str = field(init=False)

    def __post_init__(self) -> None:
        chars = self.chars
        self.top = min(c.top for c in chars)
        self.bottom = max(c.bottom for c in chars)
        self.x0, self.x1 = chars[0].x0, chars[-1].x1
        self.height = _median([c.height for c in chars])
        # a gap this wide separates the cells of a table drawn without rulings
        out: list[list[_Char]] = [[chars[0]]]
        for a, b in itertools.pairwise(chars):
            if b.x0 - a.x1 > _SEGMENT_GAP * self.height:
                out.append([b])
            else:
                out[-1].append(b)
        self.segments = [_join(seg, _WORD_GAP) for seg in out]
        self.text = " ".join(self.segments)

    def cells(self) -> list[str] | None:
        """The cells of a table row drawn without rulings, or None for running text.

        A row is a label and values set apart by wide gaps, or a line ending in two or more
        values; each value is its own cell, so numbers a space apart are never merged.
        """
        segments = self.segments
        out: list[str] = []
        for segment in segments:
            label, values = split_line(segment)
            out.extend([label, *values] if label else values)
        trailing = len(split_line(self.text)[1])
        if (len(segments) >= 2 and any(is_value_text(s) for s in out[1:])) or trailing >= 2:
            return out
        return None


@dataclass(slots=True)
class _TableRow:
    table: int  # 1-based on its page
    number: int  # 1-based among the table's rows on this page
    cells: list[_Cell]

    @property
    def top(self) -> float:
        return min(c.top for c in self.cells)


@dataclass(slots=True)
class _Page:
    number: int
    height: float
    items: list[_TableRow | _Line]  # in reading order (top to bottom)


def read_pdf(data: bytes) -> Document:
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        raise ParseError(_open_error(e)) from None
    miner = _Miner(data)
    try:
        n = len(pdf)
        if n == 0:
            raise ParseError("a PDF with no pages")
        if n > MAX_PAGES:
            raise ParseError(f"too many pages for an annual report ({n} > {MAX_PAGES})")
        pages: list[_Page] = []
        chars: list[_Char] = []
        most = 0  # characters on the page with the most
        for i in range(n):
            page, page_chars = _read_page(pdf, i, miner)
            pages.append(page)
            chars += page_chars
            most = max(most, len(page_chars))
    except pdfium.PdfiumError as e:
        raise ParseError(f"unreadable PDF: {_one_line(str(e))}") from None
    finally:
        pdf.close()
        miner.close()
    if most < _MIN_TEXT_CHARS:
        raise ParseError("no text layer: a scanned PDF needs OCR, which xxgk does not do")
    if sum(1 for c in chars if _UNMAPPED.match(c.text)) > len(chars) // 2:
        raise ParseError(
            "no usable text layer: its fonts map no characters to Unicode, so only OCR could "
            "read it, which xxgk does not do"
        )
    return _document(pages)


def _open_error(e: pdfium.PdfiumError) -> str:
    if e.err_code == pdfium_c.FPDF_ERR_PASSWORD:
        return "encrypted PDF: it needs a password to open, so its text cannot be read"
    if e.err_code == pdfium_c.FPDF_ERR_SECURITY:
        return "encrypted PDF: its security handler is not supported, so its text cannot be read"
    return f"corrupt PDF: {_one_line(str(e))}"


def _one_line(text: str) -> str:
    return " ".join(text.split()) or "unknown error"


# ---- one page: characters, rulings, cells ----------------------------------------------------


def _read_page(pdf: pdfium.PdfDocument, index: int, miner: _Miner) -> tuple[_Page, list[_Char]]:
    """The page's items in reading order, and its characters."""
    page = pdf[index]
    try:
        width, height = page.get_size()
        rotation = page.get_rotation()
        to_view = _view_transform(rotation, width, height)
        textpage = page.get_textpage()
        try:
            if (count := textpage.count_chars()) > MAX_PAGE_CHARS:
                raise ParseError(
                    f"page {index + 1} holds {count:,} characters "
                    f"(limit {MAX_PAGE_CHARS:,}): not a report page"
                )
            chars = miner.chars(index) if _lost_text(page) else None
            if chars is None:
                chars = _chars(textpage, to_view)
        finally:
            textpage.close()
        horizontal, vertical = _rules(page, to_view)
        view_height = width if rotation in (90, 270) else height
    finally:
        page.close()
    tables = _tables(_cells(horizontal, vertical))
    loose = _assign(chars, tables)
    items: list[_TableRow | _Line] = []
    for t, cells in enumerate(tables, start=1):
        items.extend(_table_rows(t, cells))
    items.extend(_lines(loose))
    items.sort(key=lambda item: item.top)
    for k, line in enumerate((i for i in items if isinstance(i, _Line)), start=1):
        line.number = k
    return _Page(index + 1, view_height, items), chars


def _view_transform(rotation: int, width: float, height: float):
    """PDF user space (origin bottom-left) to the displayed page (origin top-left)."""
    if rotation == 90:
        return lambda x, y: (y, x)
    if rotation == 180:
        return lambda x, y: (width - x, y)
    if rotation == 270:
        return lambda x, y: (height - y, width - x)
    return lambda x, y: (x, height - y)


def _chars(textpage: pdfium.PdfTextPage, to_view) -> list[_Char]:
    out: list[_Char] = []
    handle = textpage.raw
    box = pdfium_c.FS_RECTF()
    spaced = False
    for i in range(pdfium_c.FPDFText_CountChars(handle)):
        code = pdfium_c.FPDFText_GetUnicode(handle, i)
        text = chr(code) if 0 < code < 0x110000 and not 0xD800 <= code < 0xE000 else ""
        if not text or text in _SPACES or not text.isprintable():
            spaced = True
            continue
        if not pdfium_c.FPDFText_GetLooseCharBox(handle, i, box):
            continue
        ax, ay = to_view(box.left, box.top)
        bx, by = to_view(box.right, box.bottom)
        x0, x1 = sorted((ax, bx))
        top, bottom = sorted((ay, by))
        if bottom - top <= 0.1:  # no usable box: a generated or degenerate glyph
            continue
        out.append(_Char(text, x0, top, x1, bottom, spaced))
        spaced = False
    return out


def _rules(page: pdfium.PdfPage, to_view) -> tuple[list[_Rule], list[_Rule]]:
    """The visible horizontal and vertical ruling segments of a page, merged."""
    horizontal: list[_Rule] = []
    vertical: list[_Rule] = []
    for obj, matrix in _objects(page, pdfium_c.FPDF_PAGEOBJ_PATH):
        for (ax, ay), (bx, by) in _path_lines(obj, matrix, to_view):
            if abs(ay - by) <= 0.5 and abs(ax - bx) > 0.5:
                horizontal.append(_Rule((ay + by) / 2, min(ax, bx), max(ax, bx)))
            elif abs(ax - bx) <= 0.5 and abs(ay - by) > 0.5:
                vertical.append(_Rule((ax + bx) / 2, min(ay, by), max(ay, by)))
    return _merge(horizontal), _merge(vertical)


_Matrix = tuple[float, float, float, float, float, float]


def _objects(page: pdfium.PdfPage, kind: int) -> Iterator[tuple[ctypes.c_void_p, _Matrix]]:
    """Every page object of one kind with its matrix to user space, inside form XObjects too."""
    raw = pdfium_c.FS_MATRIX()
    seen = 0

    def walk(count, get, parent, outer: _Matrix | None, depth: int) -> Iterator:
        nonlocal seen
        seen += count(parent)
        if seen > MAX_PAGE_OBJECTS:
            raise ParseError(f"a page draws more than {MAX_PAGE_OBJECTS:,} objects: not a report")
        for i in range(count(parent)):
            obj = get(parent, i)
            found = pdfium_c.FPDFPageObj_GetType(obj)
            if found not in (kind, pdfium_c.FPDF_PAGEOBJ_FORM):
                continue
            if not pdfium_c.FPDFPageObj_GetMatrix(obj, raw):
                continue
            m: _Matrix = (raw.a, raw.b, raw.c, raw.d, raw.e, raw.f)
            if outer is not None:
                m = _multiply(m, outer)
            if found == kind:
                yield obj, m
            elif depth < 8:
                yield from walk(
                    pdfium_c.FPDFFormObj_CountObjects,
                    pdfium_c.FPDFFormObj_GetObject,
                    obj,
                    m,
                    depth + 1,
                )

    yield from walk(pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, page.raw, None, 0)


def _lost_text(page: pdfium.PdfPage) -> bool:
    """Would PDFium's text page lose text here? It drops a text object whose glyphs have no
    outline (a font neither embedded nor installed, such as the common STSong-Light) when the
    object holds a single character: a one-character cell, each line of a vertical label."""
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for obj, _ in _objects(page, pdfium_c.FPDF_PAGEOBJ_TEXT):
        if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            continue
        if right.value - left.value < 0.01:
            font = pdfium_c.FPDFTextObj_GetFont(obj)
            if font and pdfium_c.FPDFFont_GetIsEmbedded(font) == 0:
                return True
    return False


class _Miner:
    """pdfminer's characters (through pdfplumber) for the pages PDFium would lose text on:
    ten times slower, so opened only when such a page turns up."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pdf = None

    def chars(self, index: int) -> list[_Char] | None:
        """The page's characters, or None when pdfminer cannot read what PDFium could."""
        import io

        import pdfplumber

        try:
            if self.pdf is None:
                self.pdf = pdfplumber.open(io.BytesIO(self.data))
            found = self.pdf.pages[index].chars  # in content-stream order, rotation applied
        except Exception:  # pdfminer has no common error type; PDFium's reading stands
            return None
        out: list[_Char] = []
        spaced = False
        for ch in found:
            text = ch["text"]
            if not text or text.isspace() or not text.isprintable():
                spaced = True
                continue
            out.append(_Char(text, ch["x0"], ch["top"], ch["x1"], ch["bottom"], spaced))
            spaced = False
        return out

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()


def _multiply(m: _Matrix, n: _Matrix) -> _Matrix:
    """m then n (PDF row-vector convention)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t,
            e * q + f * s + u)  # fmt: skip


def _visible(obj, getter) -> bool:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not getter(obj, r, g, b, a):
        return True
    return a.value > 0 and min(r.value, g.value, b.value) < 240  # white on white is no ruling


def _path_lines(obj, m: _Matrix, to_view) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """The straight segments a path object draws, in view coordinates."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke):
        return []
    stroked = bool(stroke.value) and _visible(obj, pdfium_c.FPDFPageObj_GetStrokeColor)
    filled = bool(fill.value) and _visible(obj, pdfium_c.FPDFPageObj_GetFillColor)
    if not stroked and not filled:
        return []
    a, b, c, d, e, f = m
    x, y = ctypes.c_float(), ctypes.c_float()
    points: list[tuple[int, tuple[float, float], bool]] = []
    for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        if not seg or not pdfium_c.FPDFPathSegment_GetPoint(seg, x, y):
            continue
        px, py = x.value * a + y.value * c + e, x.value * b + y.value * d + f
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        points.append((kind, to_view(px, py), bool(pdfium_c.FPDFPathSegment_GetClose(seg))))
    if not points:
        return []
    if not stroked:  # a filled shape is a ruling only when it is a thin bar
        xs = [p[1][0] for p in points]
        ys = [p[1][1] for p in points]
        w, h = max(xs) - min(xs), max(ys) - min(ys)
        if h <= _THIN < w:
            mid = (max(ys) + min(ys)) / 2
            return [((min(xs), mid), (max(xs), mid))]
        if w <= _THIN < h:
            mid = (max(xs) + min(xs)) / 2
            return [((mid, min(ys)), (mid, max(ys)))]
        return []
    out = []
    start = current = points[0][1]
    for kind, point, close in points:
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = point
        elif kind == pdfium_c.FPDF_SEGMENT_LINETO:
            out.append((current, point))
        current = point
        if close:
            out.append((current, start))
            current = start
    return out


def _merge(rules: list[_Rule]) -> list[_Rule]:
    """Snap rulings at (almost) the same position together and join the pieces that touch."""
    out: list[_Rule] = []
    rules.sort(key=lambda r: r.pos)
    groups: list[list[_Rule]] = []
    for r in rules:
        if groups and r.pos - groups[-1][0].pos <= _SNAP:
            groups[-1].append(r)
        else:
            groups.append([r])
    for group in groups:
        pos = statistics.fmean(r.pos for r in group)
        group.sort(key=lambda r: r.lo)
        merged = _Rule(pos, group[0].lo, group[0].hi)
        for r in group[1:]:
            if r.lo <= merged.hi + _SNAP:
                merged.hi = max(merged.hi, r.hi)
            else:
                out.append(merged)
                merged = _Rule(pos, r.lo, r.hi)
        out.append(merged)
    return out


def _cells(horizontal: list[_Rule], vertical: list[_Rule]) -> list[_Cell]:
    """The smallest rectangles closed on all four sides by rulings."""
    # crossing (x, y) -> (ids of horizontal rulings through it, ids of vertical ones)
    crossings: dict[tuple[float, float], tuple[set[int], set[int]]] = {}
    for hi, h in enumerate(horizontal):
        for vi, v in enumerate(vertical):
            if h.lo - _SNAP <= v.pos <= h.hi + _SNAP and v.lo - _SNAP <= h.pos <= v.hi + _SNAP:
                hs, vs = crossings.setdefault((v.pos, h.pos), (set(), set()))
                hs.add(hi)
                vs.add(vi)
    down: dict[float, list[float]] = defaultdict(list)
    right: dict[float, list[float]] = defaultdict(list)
    for x, y in crossings:
        down[x].append(y)
        right[y].append(x)
    for ys in down.values():
        ys.sort()
    for xs in right.values():
        xs.sort()
    cells: list[_Cell] = []
    for (x, y), (hs, vs) in crossings.items():
        cell = _cell_at(x, y, hs, vs, crossings, down[x], right[y])
        if cell is not None:
            cells.append(cell)
    return cells


def _cell_at(x, y, hs, vs, crossings, ys_down, xs_right) -> _Cell | None:
    for yb in ys_down[bisect_right(ys_down, y) :]:
        below = crossings[(x, yb)]
        if not vs & below[1]:
            break  # the vertical ruling ends before this crossing, and so before any lower one
        for xr in xs_right[bisect_right(xs_right, x) :]:
            beside = crossings[(xr, y)]
            if not hs & beside[0]:
                break
            corner = crossings.get((xr, yb))
            if corner is not None and corner[1] & beside[1] and corner[0] & below[0]:
                return _Cell(x, y, xr, yb)
    return None


def _tables(cells: list[_Cell]) -> list[list[_Cell]]:
    """Cells grouped into tables (cells sharing a corner), top to bottom; lone boxes dropped."""
    parent = list(range(len(cells)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[float, float], int] = {}
    for i, c in enumerate(cells):
        for corner in ((c.x0, c.top), (c.x1, c.top), (c.x0, c.bottom), (c.x1, c.bottom)):
            j = owner.setdefault(corner, i)
            parent[find(i)] = find(j)
    groups: dict[int, list[_Cell]] = defaultdict(list)
    for i, c in enumerate(cells):
        groups[find(i)].append(c)
    # a single framed box (a text frame, a page border) is not a table
    tables = [g for g in groups.values() if len(g) >= 2]
    tables.sort(key=lambda g: (min(c.top for c in g), min(c.x0 for c in g)))
    return tables


def _assign(chars: list[_Char], tables: list[list[_Cell]]) -> list[_Char]:
    """Put each character into the cell holding its centre; return the ones in no cell."""
    band = 10.0  # cells indexed by the horizontal bands of this height they cross
    index: dict[int, list[_Cell]] = defaultdict(list)
    for cell in (c for t in tables for c in t):
        for k in range(int(cell.top // band), int(cell.bottom // band) + 1):
            index[k].append(cell)
    loose: list[_Char] = []
    for ch in chars:
        x, y = ch.cx, ch.cy
        home = next(
            (
                c
                for c in index.get(int(y // band), ())
                if c.x0 <= x <= c.x1 and c.top <= y <= c.bottom
            ),
            None,
        )
        if home is None:
            loose.append(ch)
        else:
            home.chars.append(ch)
    return loose


def _table_rows(table: int, cells: list[_Cell]) -> list[_TableRow]:
    """Rows are the cells sharing a top ruling; a cell spanning rows belongs to its first."""
    rows: list[list[_Cell]] = []
    for cell in sorted(cells, key=lambda c: (c.top, c.x0)):
        if rows and cell.top - rows[-1][0].top <= _SNAP:
            rows[-1].append(cell)
        else:
            rows.append([cell])
    return [_TableRow(table, k, sorted(row, key=lambda c: c.x0)) for k, row in enumerate(rows, 1)]


def _lines(chars: list[_Char]) -> list[_Line]:
    """Characters grouped into text lines: each joins the line its centre falls within."""
    lines: list[list[_Char]] = []
    for ch in sorted(chars, key=lambda c: c.cy):
        if lines:
            last = lines[-1]
            top = min(c.top for c in last[-4:])
            bottom = max(c.bottom for c in last[-4:])
            mid = (top + bottom) / 2
            if top <= ch.cy <= bottom and ch.top <= mid <= ch.bottom:
                last.append(ch)
                continue
        lines.append([ch])
    return [_Line(sorted(line, key=lambda c: c.x0)) for line in lines]


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def _wide(ch: str) -> bool:
    return ord(ch) >= 0x2E80  # CJK characters and full-width punctuation


def _join(chars: list[_Char], space: float) -> str:
    """One line's characters as text; a wide gap, or one PDFium spaced, is a space, except
    between two Chinese characters (their gaps are justification, never a word break)."""
    if not chars:
        return ""
    h = _median([c.height for c in chars])
    parts = [chars[0].text]
    for a, b in itertools.pairwise(chars):
        gap = b.x0 - a.x1
        if (gap > space * h or (b.spaced and gap > 0.1 * h)) and not (
            _wide(a.text) and _wide(b.text)
        ):
            parts.append(" ")
        parts.append(b.text)
    return "".join(parts)


def _cell_text(cell: _Cell) -> str:
    """A cell's lines top to bottom, joined with no separator (a wrapped label is one label)."""
    return "".join(_join(line.chars, _CELL_SPACE) for line in _lines(cell.chars)).strip()


# ---- the whole document: drop page furniture, join paragraphs, number rows ----------------------


def _furniture(pages: list[_Page]) -> set[int]:
    """ids of lines that are page numbers or running headers/footers, not report text."""
    drop: set[int] = set()
    repeats: dict[str, list[tuple[int, _Line]]] = defaultdict(list)  # text -> (page, line)
    for page in pages:
        for item in page.items:
            if not isinstance(item, _Line):
                continue
            in_margin = item.bottom < page.height * _MARGIN or item.top > page.height * (
                1 - _MARGIN
            )
            compact = "".join(item.text.split())
            if _PAGE_NUMBER.match(compact) and (in_margin or not compact.isdigit()):
                drop.add(id(item))
            elif in_margin:
                repeats[_DIGIT.sub("#", compact)].append((page.number, item))
    need = max(2, (len(pages) + 1) // 2)  # on at least half of the pages
    for same in repeats.values():
        if len({number for number, _ in same}) >= need:
            drop.update(id(line) for _, line in same)
    return drop


@dataclass
class _Layout:
    """Where the text column's edges are, to tell a wrapped line from a paragraph's last."""

    left: float
    right: float
    body: float  # the usual character height of running text


def _layout(lines: list[_Line]) -> _Layout:
    full = [ln for ln in lines if len(ln.chars) >= 10] or lines
    if not full:
        return _Layout(0, 0, 0)
    rights = sorted(ln.x1 for ln in full)
    lefts = Counter(round(ln.x0) for ln in full)
    return _Layout(
        left=min(x for x, n in lefts.items() if n == max(lefts.values())),
        right=rights[min(len(rights) - 1, int(len(rights) * 0.9))],
        body=statistics.median(ln.height for ln in full),
    )


def _continues(prev: _Line, line: _Line, layout: _Layout, same_page: bool) -> bool:
    """Is `line` the wrapped continuation of the paragraph that `prev` ends?"""
    h = prev.height
    if prev.x1 < layout.right - 1.5 * h:  # the previous line stopped short: paragraph ended
        return False
    if line.x0 > layout.left + 0.8 * h or _HEADING.match(line.text):
        return False
    return not same_page or line.top - prev.bottom <= 1.2 * h


def _glue(a: str, b: str) -> str:
    """Join wrapped lines: no separator in Chinese, a space between Latin words or numbers."""
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return a + " " + b
    return a + b


def _title(lines: list[_Line], layout: _Layout) -> str:
    """The large-type lines opening the first page (淮安市人民政府 / 2024 年…年度报告), joined."""
    out: list[str] = []
    for line in lines[:8]:
        if line.height >= 1.15 * layout.body:
            out.append(line.text)
        elif out:
            break
    return "".join(out)


def _document(pages: list[_Page]) -> Document:
    drop = _furniture(pages)
    text_lines = [i for p in pages for i in p.items if isinstance(i, _Line) and id(i) not in drop]
    layout = _layout(text_lines)
    first_page = [i for i in pages[0].items if isinstance(i, _Line) and id(i) not in drop]
    tokens: list[Token] = []
    row = 0
    open_line: _Line | None = None  # last line of the paragraph still open
    open_page = 0
    for page in pages:
        for item in page.items:
            if isinstance(item, _TableRow):
                open_line = None
                row += 1
                where = f"page {page.number}, table {item.table}, row {item.number}"
                tokens.extend(
                    Token(_cell_text(cell), row, f"{where}, cell {k}")
                    for k, cell in enumerate(item.cells, start=1)
                )
                continue
            if id(item) in drop:
                continue
            where = f"page {page.number}, line {item.number}"
            cells = item.cells()
            if cells is not None:
                open_line = None  # a row of a table drawn without rulings
                row += 1
                tokens.extend(
                    Token(s, row, f"{where}, cell {k}") for k, s in enumerate(cells, start=1)
                )
                continue
            text = item.text
            if open_line is not None and _continues(
                open_line, item, layout, open_page == page.number
            ):
                last = tokens[-1]
                tokens[-1] = Token(_glue(last.text, text), last.row, last.where, in_table=False)
            else:
                row += 1
                tokens.append(Token(text, row, where, in_table=False))
            open_line, open_page = item, page.number
    return Document(form="pdf", tokens=tokens, title=_title(first_page, layout))
