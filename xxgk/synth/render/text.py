"""Text forms: DOCX-extracted text (the seed report's form: one tab-prefixed line per cell, rows
separated by blank lines, merged cells as empty tab lines), Markdown (pipe tables, merged cells
empty), and plain text as a layout-preserving PDF converter writes it (a row's labels apart by
wide gaps, its values after them)."""

from __future__ import annotations

from xxgk.synth.grid import Table, slots
from xxgk.synth.model import SynthReport
from xxgk.synth.render import outline


def docx_text(report: SynthReport) -> bytes:
    lines: list[str] = []
    for block in outline(report):
        if block.table is None:
            lines.append(block.text)
            continue
        for row in slots(block.table):
            lines += ["\t" + ("" if cont else cell.text) for cell, cont in row]
            lines.append("")
        lines.append("")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _pipe_rows(table: Table) -> list[str]:
    rows = [[("" if cont else c.text) for c, cont in row] for row in slots(table)]
    out = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    return out + ["| " + " | ".join(r) + " |" for r in rows[1:]]


def markdown(report: SynthReport) -> bytes:
    lines: list[str] = []
    for block in outline(report):
        if block.kind == "title":
            lines += [f"# {block.text}", ""]
        elif block.kind == "heading":
            lines += [f"## {block.text}", ""]
        elif block.table is not None:
            lines += [*_pipe_rows(block.table), ""]
        else:
            lines += [block.text, ""]
    return "\n".join(lines).encode("utf-8")


def plain(report: SynthReport) -> bytes:
    """A blank cell cannot be written in this form (the faults write a mark instead)."""
    written = set(report.texts().values())
    lines: list[str] = []
    for block in outline(report):
        if block.table is None:
            lines.append(block.text)
            continue
        for row in slots(block.table):
            texts = [c.text for c, cont in row if not cont]
            labels = "    ".join(t for t in texts if t not in written)
            values = " ".join(t for t in texts if t in written)
            lines.append(f"{labels} {values}".strip())
    return ("\n".join(lines) + "\n").encode("utf-8")
