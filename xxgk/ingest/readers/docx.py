"""DOCX reader: a Word document's body to a `Document`.

The body is walked in order, paragraphs and tables interleaved. Every cell of a *data table* (a
table with no table inside it) is one token, empty cells included; each non-empty paragraph
outside data tables is one running-text token. A *layout table* (one holding another table) is
read as running text around its inner tables, so no text is emitted twice. Cells are the real
`w:tc` elements (python-docx's `row.cells` repeats merged cells): a horizontally merged cell
(gridSpan) is one element and so one token; a vertical-merge continuation (`<w:vMerge/>` without
val="restart") and a legacy `<w:hMerge/>` continuation give no token.

`where`: "table T, row R, cell C" (T counts data tables in body order, R the table's `w:tr`
elements, C the `w:tc` elements of that row, continuations included; all 1-based) and
"paragraph N" (N counts the running-text tokens).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.part import XmlPart
from docx.opc.parts.coreprops import CorePropertiesPart
from docx.oxml.parser import parse_xml
from docx.package import Package
from lxml import etree

from xxgk.ingest.model import Document, ParseError, Token

_MB = 1024 * 1024
MAX_XML_PART = 50 * _MB  # word/document.xml (or any XML part) unpacked
MAX_UNPACKED = 200 * _MB  # the whole package unpacked
# tags in all XML parts: python-docx builds a tree of every part, whose memory grows with them (a
# long report has some 50,000; a million small elements take some 150 MB)
MAX_TAGS = 1_000_000

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _T, _TBL, _TR, _TC, _VAL = (f"{_W}{x}" for x in ("p", "t", "tbl", "tr", "tc", "val"))
# block-level wrappers whose content belongs to the enclosing body, cell or row
_WRAPPERS = frozenset((f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"))
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc and encrypted Office files

_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_FALLBACK = f"{{{_MC}}}Fallback"
_RUN_TEXT = {
    f"{_W}tab": "\t",
    f"{_W}ptab": "\t",
    f"{_W}br": "\n",
    f"{_W}cr": "\n",
    f"{_W}noBreakHyphen": "-",
}
_MERGES = (f"{_W}vMerge", f"{_W}hMerge")
# Visible text is w:t plus the run elements above: deleted text is w:delText and field codes
# w:instrText, so neither is read. A data table is read in one pass over these elements (a
# Python walk over python-docx's element proxies costs several times more): rows, cells, their
# merge marks, paragraph starts and text, in document order.
_TEXT_TAGS = (_T, *_RUN_TEXT)
_TABLE_TAGS = (_TR, _TC, *_MERGES, _P, *_TEXT_TAGS)
_EDGES = " \t\n\r\xa0\u3000"


def _query(tags: tuple[str, ...]) -> etree.XPath:
    names = " | ".join(f".//w:{t.rsplit('}', 1)[1]}" for t in tags)
    return etree.XPath(
        f"({names})[not(ancestor::mc:Fallback)]", namespaces={"w": _W[1:-1], "mc": _MC}
    )


_TEXT_QUERY, _TABLE_QUERY = _query(_TEXT_TAGS), _query(_TABLE_TAGS)


def _content(el: etree._Element, tags: tuple[str, ...], query: etree.XPath) -> Iterable:
    """Descendants with `tags` in document order. mc:Fallback repeats its mc:Choice (a text box
    for older readers), so where one exists the slower query that skips it is used."""
    if next(el.iter(_FALLBACK), None) is None:
        return el.iter(*tags)
    return query(el)


def _text(el: etree._Element) -> str:
    return (el.text or "") if el.tag == _T else _RUN_TEXT[el.tag]


def _paragraph_text(p: etree._Element) -> str:
    return "".join(map(_text, _content(p, _TEXT_TAGS, _TEXT_QUERY))).strip(_EDGES)


@dataclass
class _Cell:
    number: int  # position among the row's w:tc elements
    paragraphs: list[list[str]] = field(default_factory=lambda: [[]])  # text runs per paragraph
    continues_merge: bool = False

    @property
    def text(self) -> str:
        lines = ("".join(p).strip(_EDGES) for p in self.paragraphs)
        return "\n".join(x for x in lines if x)


def _table_rows(tbl: etree._Element) -> list[tuple[int, list[_Cell]]]:
    """(row number, cells) of a data table, from one query over the table."""
    rows: list[tuple[int, list[_Cell]]] = []
    cells: list[_Cell] = []
    for el in _content(tbl, _TABLE_TAGS, _TABLE_QUERY):
        tag = el.tag
        if tag == _TR:
            cells = []
            rows.append((len(rows) + 1, cells))
        elif tag == _TC:
            cells.append(_Cell(len(cells) + 1))
        elif tag in _MERGES:
            # no val, or val="continue", continues the cell above (vMerge) or left (hMerge);
            # only the cell's own w:tcPr counts, not a tracked change's old properties
            if el.getparent().getparent().tag == _TC:
                cells[-1].continues_merge = el.get(_VAL, "continue") == "continue"
        elif tag == _P:
            cells[-1].paragraphs.append([])
        else:
            cells[-1].paragraphs[-1].append(_text(el))
    return rows


def _children(el: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Children with `tag`, looking through content controls and custom-XML wrappers."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


class _Tokens:
    """Walks the body in order, numbering rows, paragraphs and tables."""

    def __init__(self) -> None:
        self.tokens: list[Token] = []
        self.row = self.paragraphs = self.tables = 0

    def blocks(self, parent: etree._Element) -> None:
        for child in parent:
            if child.tag == _P:
                if text := _paragraph_text(child):
                    self.row += 1
                    self.paragraphs += 1
                    where = f"paragraph {self.paragraphs}"
                    self.tokens.append(Token(text, self.row, where, False))
            elif child.tag == _TBL:
                self.table(child)
            elif child.tag in _WRAPPERS:
                self.blocks(child)

    def table(self, tbl: etree._Element) -> None:
        if tbl.find(f".//{_TBL}") is not None:  # layout table
            for tr in _children(tbl, _TR):
                for tc in _children(tr, _TC):
                    self.blocks(tc)
            return
        self.tables += 1
        for r, cells in _table_rows(tbl):
            kept = [cell for cell in cells if not cell.continues_merge]
            if not kept:
                continue
            self.row += 1
            for cell in kept:
                where = f"table {self.tables}, row {r}, cell {cell.number}"
                self.tokens.append(Token(cell.text, self.row, where))


# what reading a damaged package raises, from zipfile, zlib or python-docx
_UNREADABLE = (
    PackageNotFoundError,
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    ValueError,
    RuntimeError,  # an encrypted zip member
    NotImplementedError,  # an unsupported compression method
)


def _tags(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> int:
    """Tags in the XML parts, counted as they unpack (each part at most MAX_XML_PART)."""
    count = 0
    for info in infos:
        if info.filename.endswith((".xml", ".rels")):
            with zf.open(info) as member:
                while chunk := member.read(_MB):
                    count += chunk.count(b"<")
    return count


def _check_archive(data: bytes) -> None:
    """Refuse what is not a zip, or what would unpack to more than the limits (a zip bomb)."""
    if data.startswith(_OLE_MAGIC):
        raise ParseError("not a DOCX: an OLE file (legacy .doc, or a password-protected document)")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as e:
        raise ParseError(
            f"not a readable DOCX: the zip archive is corrupt or truncated ({e})"
        ) from e
    with zf:
        infos = zf.infolist()
        for info in infos:
            if info.filename.endswith(".xml") and info.file_size > MAX_XML_PART:
                raise ParseError(
                    f"refusing {info.filename!r}: it unpacks to {info.file_size // _MB} MB "
                    f"(limit {MAX_XML_PART // _MB} MB; a zip bomb or not a report)"
                )
        total = sum(i.file_size for i in infos)
        if total > MAX_UNPACKED:
            raise ParseError(
                f"refusing the DOCX: it unpacks to {total // _MB} MB "
                f"(limit {MAX_UNPACKED // _MB} MB; a zip bomb or not a report)"
            )
        try:
            tags = _tags(zf, infos)
        except _UNREADABLE as e:
            raise ParseError(f"DOCX package cannot be read: {e}") from e
    if tags > MAX_TAGS:
        raise ParseError(
            f"refusing the DOCX: its XML holds {tags:,} tags "
            f"(limit {MAX_TAGS:,}; a zip bomb or not a report)"
        )


def _open(data: bytes) -> tuple[etree._Element, str]:
    """The main document's w:body and the core-properties title."""
    try:
        package = Package.open(io.BytesIO(data))
        part = package.main_document_part
        # .docm/.dotx/.dotm share the schema but python-docx loads only .docx as a DocumentPart
        root = part.element if isinstance(part, XmlPart) else parse_xml(part.blob)
    except etree.XMLSyntaxError as e:
        raise ParseError(f"DOCX part is not well-formed XML: {e}") from e
    except KeyError as e:  # a missing part, e.g. "There is no item named 'word/document.xml'"
        raise ParseError(f"not a complete Word document: {e.args[0] if e.args else e}") from e
    except _UNREADABLE as e:
        raise ParseError(f"DOCX package cannot be read: {e}") from e
    body = root.find(f"{_W}body")
    if body is None:
        raise ParseError(f"not a Word document: {part.partname} has no w:body")
    try:
        core = package.part_related_by(RT.CORE_PROPERTIES)
    except KeyError:  # python-docx would invent the title "Word Document"
        return body, ""
    if not isinstance(core, CorePropertiesPart):
        return body, ""
    return body, (core.core_properties.title or "").strip()


def read_docx(data: bytes) -> Document:
    """Read a .docx file's bytes into tokens and the core-properties title."""
    _check_archive(data)
    body, title = _open(data)
    tokens = _Tokens()
    tokens.blocks(body)
    return Document(form="docx", tokens=tokens.tokens, title=title)
