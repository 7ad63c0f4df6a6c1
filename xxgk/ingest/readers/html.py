"""HTML reader: a saved web page (usually a whole CMS page around the report) to a `Document`.

Tokens: every cell of a *data table* (a table with no table inside it) is one token, empty cells
included; all other visible text is running text, one token per block element or <br>-separated
line. A *layout table* (one holding another table) is read as running text around its inner
tables, so no cell text is emitted twice. Rowspan continuations have no markup and so no token.

`where`: "table T, row R, cell C" (T counts data tables in page order, R the table's <tr>
elements, C the cell elements of that row; all 1-based) and "paragraph N" (N counts the
running-text tokens).

Speed: the tree walk is an XSLT stylesheet (libxslt, in C) that renders the page to one string
with marker characters at line, table, row and cell boundaries; Python only splits that string.
A Python walk over the elements cost more than the parse itself on a typical CMS page. Text
nodes are copied as they are (an XPath call per node cost a third of the walk): zero-width
characters leave the rendered string in one pass, and a page holding a marker character itself
(practically never) has them taken out of its tree first.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer
from lxml import etree

from xxgk.ingest.model import Document, ParseError, Token

# Bounds on a hostile page, far beyond any real one (a CMS page has a few thousand tags): the
# tree and the tokens grow with the tags, so their count bounds the memory a page can take, and
# libxml2's own depth limit (2048 with huge_tree) cuts a deeper page short, which is refused
# rather than read in part.
MAX_TAGS = 400_000

# white space as a browser renders it
_EDGES = " \t\n\r\f\v\xa0\u3000"
_SPACE_RUN = re.compile(r"[ \t\n\r\f\v\xa0]+")
_NEEDS_COLLAPSE = re.compile(r"[\t\n\r\f\v\xa0]|  ")


def _space(m: re.Match[str]) -> str:
    # CSS Text 3: a source line break between two wide (CJK) characters renders as nothing, so a
    # label wrapped in the page source ("商业\n企业") stays one word; other runs are one space
    # (a run holding &nbsp; is a space the author meant).
    s, i, j = m.string, m.start(), m.end()
    run = m.group()
    if "\n" in run and "\xa0" not in run and s[i - 1] >= "\u2e80" and s[j] >= "\u2e80":
        return ""
    return " "


def _clean(text: str) -> str:
    """Rendered text of one line: white space collapsed as a browser does, edges trimmed."""
    text = text.strip(_EDGES)
    if text and _NEEDS_COLLAPSE.search(text):
        text = _SPACE_RUN.sub(_space, text)
    return text


# --- decoding ----------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DECLARED = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)|<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)""",
    re.IGNORECASE,
)
_PRESCAN = 16384  # bytes searched for a declaration; CMS pages put long CSS before <meta>
_GB_FAMILY = frozenset(("gb2312", "gbk", "gb18030", "x-gbk", "cp936", "windows-936", "csgb2312"))
# declarations a Chinese page cannot mean: single-byte Western sets (editors' defaults) and
# UTF-16/32 without a BOM (an ASCII <meta> could not have been read); detection decides instead
_IGNORED = frozenset(("ascii", "latin_1", "cp1252", "iso8859_15", "utf_16", "utf_32"))


def _codec(label: str) -> str | None:
    """Python codec for an encoding label; GB2312 and GBK read as GB18030, their superset."""
    label = label.strip().lower()
    if label in _GB_FAMILY:
        return "gb18030"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name in _GB_FAMILY:
        return "gb18030"
    if name.replace("-", "_") in _IGNORED:
        return None
    return name


def _declared(data: bytes) -> str | None:
    for m in _DECLARED.finditer(data, 0, _PRESCAN):
        if codec := _codec((m.group(1) or m.group(2)).decode("ascii")):
            return codec
    return None


def decode_html(data: bytes) -> str:
    """Decode a saved page: BOM, UTF-8, the page's declaration, GB18030, then detection.

    A page that is valid UTF-8 is read as UTF-8 whatever it declares: CMS exports often re-encode
    without fixing <meta>, and multi-byte GB text is practically never valid UTF-8. A Chinese
    government page that is not UTF-8 is GB (GB2312/GBK/GB18030) unless it says otherwise;
    charset-normalizer is the last resort because Word-exported pages (font names such as
    微软雅黑 repeated in every style attribute) read as "uncommon CJK" to it and get rejected.
    """
    return _decode(data)[0]


def _decode(data: bytes) -> tuple[str, bool]:
    """`decode_html`, and whether `data` is already that text's UTF-8 (no BOM, nothing replaced)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace"), False
    try:
        return data.decode("utf-8"), True
    except UnicodeDecodeError as e:
        if e.reason == "unexpected end of data":  # a UTF-8 page cut off mid-character
            return data.decode("utf-8", errors="replace"), False
    declared = _declared(data)
    for codec in dict.fromkeys((declared, "gb18030")):
        if codec and codec != "utf-8":
            try:
                return data.decode(codec), False
            except UnicodeDecodeError:
                pass
    best = charset_normalizer.from_bytes(data).best()
    guessed = _codec(best.encoding) if best else None
    return data.decode(guessed or declared or "gb18030", errors="replace"), False


# --- reading -----------------------------------------------------------------------------------

# elements whose content is never report text (XSLT patterns)
_DROP = "head|title|script|style|noscript|template|svg|select|textarea|iframe|noframes"
# elements that end a line of text: HTML's block-level elements and the table parts
_BLOCK = (
    "address|article|aside|blockquote|body|caption|center|dd|details|dialog|dir|div|dl|dt|"
    "fieldset|figcaption|figure|footer|form|h1|h2|h3|h4|h5|h6|header|hgroup|hr|html|li|main|"
    "menu|nav|ol|p|pre|section|summary|table|tbody|td|tfoot|th|thead|tr|ul"
)
# Unicode noncharacters: never in interchange text, so safe as markers (and removed from the page)
_LINE, _TABLE, _ROW, _CELL, _END = "\ufdd0", "\ufdd1", "\ufdd2", "\ufdd3", "\ufdd4"
_MARKERS = _LINE + _TABLE + _ROW + _CELL + _END
_INVISIBLE = "\u200b\u200c\u200d\ufeff\u00ad"  # zero-width characters, BOM, soft hyphen
_NO_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE))
_NO_MARKERS = dict.fromkeys(map(ord, _MARKERS))
# a marker written as a character reference (&#xFDD0; &#64976;), which the parser resolves
_MARKER_REF = re.compile(r"&#(?:[xX]0*[fF][dD][dD][0-4]|0*6497[6-9]|0*64980)")

# rows of a data table; libxml2 leaves cells written without <tr> directly in the table (or
# section), where browsers would make them a row: that parent then stands for the row
_ROWS = "tr|thead/tr|tbody/tr|tfoot/tr|self::*[td|th]|thead[td|th]|tbody[td|th]|tfoot[td|th]"
_RENDER = etree.XSLT(
    etree.XML(f"""\
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="text" encoding="UTF-8"/>
  <xsl:template match="{_DROP}"/>
  <xsl:template match="br">{_LINE}</xsl:template>
  <xsl:template match="{_BLOCK}">{_LINE}<xsl:apply-templates/>{_LINE}</xsl:template>
  <xsl:template match="table[not(.//table)]">
    <xsl:text>{_TABLE}</xsl:text>
    <xsl:apply-templates select="caption"/>
    <xsl:for-each select="{_ROWS}">
      <xsl:text>{_ROW}</xsl:text>
      <xsl:for-each select="td|th">{_CELL}<xsl:apply-templates/></xsl:for-each>
    </xsl:for-each>
    <xsl:text>{_END}</xsl:text>
  </xsl:template>
</xsl:stylesheet>""")
)
_TABLES = re.compile(f"{_TABLE}([^{_END}]*){_END}")


class _Tokens:
    """Turns the rendered string into tokens, numbering rows, paragraphs and tables."""

    def __init__(self) -> None:
        self.tokens: list[Token] = []
        self.row = self.paragraphs = self.tables = 0

    def text(self, rendered: str) -> None:
        for line in rendered.split(_LINE):
            if line and not line.isspace() and (text := _clean(line)):
                self.row += 1
                self.paragraphs += 1
                self.tokens.append(Token(text, self.row, f"paragraph {self.paragraphs}", False))

    def table(self, rendered: str) -> None:
        self.tables += 1
        caption, *rows = rendered.split(_ROW)
        self.text(caption)
        for r, tr in enumerate(rows, 1):
            cells = tr.split(_CELL)[1:]  # [0] is the white space before the first cell
            if not cells:
                continue
            self.row += 1
            where = f"table {self.tables}, row {r}, cell "
            self.tokens.extend(
                Token(_cell_text(cell), self.row, f"{where}{c}") for c, cell in enumerate(cells, 1)
            )


def _cell_text(cell: str) -> str:
    """A cell's lines (its <p>s and <br>s) cleaned, blank ones dropped; most cells have one."""
    cell = cell.strip(_EDGES + _LINE)  # the blank lines and white space around the text
    if _LINE not in cell:
        return _clean(cell)
    return "\n".join(text for line in cell.split(_LINE) if (text := _clean(line)))


def _title(root: etree._Element) -> str:
    title = root.find("head/title")
    if title is None:
        title = root.find(".//title")
    if title is None:
        return ""
    return _clean("".join(title.itertext()).translate(_NO_INVISIBLE))


# --- CMS metadata ------------------------------------------------------------------------------

_META_KEYS = {
    "标题": "标题",
    "名称": "标题",
    "信息名称": "标题",
    "发布机构": "发布机构",
    "发布单位": "发布机构",
    "公开日期": "公开日期",
    "发布日期": "公开日期",
    "索引号": "索引号",
    "单位": "单位",
}
_META_FIRST = frozenset(label[0] for label in _META_KEYS)
_META_LINE = re.compile(
    rf"(?:^|(?<=\s))({'|'.join(_META_KEYS)})\s*[:：]\s*(.+?)(?=\s+[^\s:：]{{2,8}}\s*[:：]|$)"
)
_UNIT = re.compile(r"[（(]?(?:万?元|件|个|条|人次?)[)）]?")  # "单位：万元" in a table note


def _meta(tokens: list[Token]) -> dict[str, str]:
    """CMS label/value pairs: adjacent cells of one row, or "标题：…" lines. First one wins."""
    meta: dict[str, str] = {}

    def put(label: str, value: str) -> None:
        key = _META_KEYS[label]
        if value and key not in meta and not (key == "单位" and _UNIT.fullmatch(value)):
            meta[key] = value

    for i, tok in enumerate(tokens):
        if tok.in_table:
            if tok.text[:1] not in _META_FIRST:  # cleaned text: it starts as a label would
                continue
            label = tok.text.rstrip(":： ").replace(" ", "")
            if label not in _META_KEYS or i + 1 == len(tokens):
                continue
            value = tokens[i + 1]
            if value.row == tok.row and value.text.rstrip(":： ") not in _META_KEYS:
                put(label, value.text)
        elif len(tok.text) <= 300 and (":" in tok.text or "：" in tok.text):
            for m in _META_LINE.finditer(tok.text):
                put(m.group(1), m.group(2).strip())
    return meta


def read_html(text: str) -> Document:
    """Read a decoded page (see `decode_html`) into tokens, title and CMS metadata."""
    _check_tags(text)
    # explicit UTF-8 bytes so that libxml2 never re-decodes by the page's own <meta charset>
    return _read(text, text.encode("utf-8", errors="replace"))


def read_html_bytes(data: bytes) -> Document:
    """`read_html(decode_html(data))`, without re-encoding a page that is UTF-8 already."""
    text, is_utf8 = _decode(data)
    _check_tags(text)
    return _read(text, data if is_utf8 else text.encode("utf-8", errors="replace"))


def _check_tags(text: str) -> None:
    tags = text.count("<")
    if tags > MAX_TAGS:
        raise ParseError(f"too much markup for a report page ({tags:,} tags > {MAX_TAGS:,})")


def _read(text: str, data: bytes) -> Document:
    """The page `text`, given as its UTF-8 `data`, read into a `Document`."""
    parser = etree.HTMLParser(
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
        no_network=True,
        huge_tree=True,
        collect_ids=False,  # nothing reads ids: no hash table of them
    )
    root = etree.fromstring(data, parser) if data.strip() else None
    if cut := next((e for e in parser.error_log if e.type_name == "ERR_RESOURCE_LIMIT"), None):
        raise ParseError(f"the page cannot be read whole ({cut.message.split(',')[0]})")
    if root is None:
        return Document(form="html", tokens=[])
    title = _title(root)
    # rare: the page itself holds a marker character (all are EF B7 9x in UTF-8)
    if (b"\xef\xb7" in data and any(m in text for m in _MARKERS)) or (
        b"&#" in data and _MARKER_REF.search(text)
    ):
        _strip_markers(root)
    rendered = str(_RENDER(root))
    if any(c in rendered for c in _INVISIBLE):  # one pass over the page, not one per text node
        rendered = rendered.translate(_NO_INVISIBLE)
    out = _Tokens()
    for i, part in enumerate(_TABLES.split(rendered)):
        if i % 2:
            out.table(part)
        else:
            out.text(part)
    return Document(form="html", tokens=out.tokens, title=title, meta=_meta(out.tokens))


def _strip_markers(root: etree._Element) -> None:
    for el in root.iter():
        if el.text:
            el.text = el.text.translate(_NO_MARKERS)
        if el.tail:
            el.tail = el.tail.translate(_NO_MARKERS)
