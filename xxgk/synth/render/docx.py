"""The report as a Word document, its WordprocessingML written directly (a few parts zipped, no
template needed): paragraphs in runs, the national tables with merged cells as Word writes them
(w:gridSpan across, w:vMerge restart and continuation down), the title in the core properties."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

from xxgk.synth.grid import Table, slots
from xxgk.synth.model import SynthReport
from xxgk.synth.render import outline

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_TWIPS_PER_POINT = 20
_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        '<Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
        'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        "</Relationships>"
    ),
}
_CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
    "<dc:title>{title}</dc:title><dc:creator>政务公开办</dc:creator></cp:coreProperties>"
)


def _paragraph(text: str, bold: bool = False) -> str:
    if not text:
        return "<w:p/>"
    props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:p><w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def _table(table: Table) -> str:
    widths = [round(w * _TWIPS_PER_POINT) for w in table.widths]
    out = [
        '<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>'
        + "".join(
            f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        + "</w:tblBorders></w:tblPr><w:tblGrid>"
        + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        + "</w:tblGrid>"
    ]
    for row in slots(table):
        out.append("<w:tr>")
        for cell, cont in row:
            props = f'<w:gridSpan w:val="{cell.colspan}"/>' if cell.colspan > 1 else ""
            if cont:
                props += "<w:vMerge/>"
            elif cell.rowspan > 1:
                props += '<w:vMerge w:val="restart"/>'
            text = "" if cont else cell.text
            out.append(f"<w:tc><w:tcPr>{props}</w:tcPr>{_paragraph(text)}</w:tc>")
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def document(report: SynthReport) -> bytes:
    body = []
    for block in outline(report):
        if block.table is not None:
            body.append(_table(block.table))
        else:
            body.append(_paragraph(block.text, bold=block.kind != "paragraph"))
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{_W}"><w:body>{"".join(body)}'
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, part in _PARTS.items():
            zf.writestr(name, part)
        zf.writestr("word/document.xml", xml)
        zf.writestr("docProps/core.xml", _CORE.format(title=escape(report.title)))
    return out.getvalue()
