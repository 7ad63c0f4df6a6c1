"""The report as a text-layer PDF, laid out by `pdf_layout` as Word exports one: ruled tables
running over pages with their header rows repeated, merged cells split at a break, page numbers.
One embedded font holds every character the corpus uses, so it is built once per process."""

from __future__ import annotations

from xxgk.synth.model import SynthReport
from xxgk.synth.render import outline

# every character a synthetic report can hold beyond its own words: digits in both widths,
# marks, separators (a report's own text is added per report; a shared superset keeps one font)
_CHARS = "0123456789０１２３４５６７８９,./—无-"


def document(report: SynthReport) -> bytes:
    from xxgk.synth.pdf_layout import Report

    pdf = Report(running_header=report.title)
    chars = set(_CHARS)
    for block in outline(report):
        if block.kind == "title":
            pdf.heading(report.body.name, 20)
            pdf.heading(f"{report.year}年政府信息公开工作年度报告", 20)
        elif block.kind == "heading":
            pdf.heading(block.text)
        elif block.table is not None:
            pdf.table(block.table)
        else:
            pdf.paragraph(block.text)
        chars.update(block.text)
    return pdf.build(font_chars=chars)
