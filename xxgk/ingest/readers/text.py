"""Readers for text forms: DOCX-extracted text, Markdown, and plain text converted from PDF.

DOCX-extracted text (the seed report's form) has one table cell per tab-prefixed line, a cell's
wrapped text on the following untabbed lines, rows separated by blank lines and merged cells as
empty tab lines. Markdown has `| a | b |` rows. Plain text has a row's label and its values on one
line, separated by spaces. All three become the same token stream.
"""

from __future__ import annotations

import re
from itertools import islice

from xxgk.ingest.model import Document, Token
from xxgk.ingest.values import is_value_text

_SECTION = re.compile(r"^\s*[一二三四五六七八九十]+、")
# a |---|:--:| row; matched whole against the stripped line, so no two runs of white space are
# adjacent (that would backtrack quadratically on a long run of spaces)
_MD_SEPARATOR = re.compile(r"\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s*")
_SPACES = re.compile(r"(\s+)")
_CELL_GAP = re.compile(r"\s{2,}|\u3000+")  # how a layout-preserving converter separates cells


def looks_like_docx_text(text: str) -> bool:
    lines = text.splitlines()
    tabbed = sum(1 for line in lines if line.startswith("\t"))
    return tabbed >= 40 and tabbed >= len(lines) // 4


def _is_md_separator(line: str) -> bool:
    line = line.strip()
    # the plain tests spare the regex on the other lines, nearly all of them
    return (
        line[:1] in ("|", ":", "-") and "--" in line and _MD_SEPARATOR.fullmatch(line) is not None
    )


def looks_like_markdown(text: str) -> bool:
    separators = filter(_is_md_separator, text.splitlines()) if "--" in text else iter(())
    return len(list(islice(separators, 2))) == 2


def read_docx_text(text: str) -> Document:
    tokens: list[Token] = []
    row = 0
    in_row = False  # inside a run of cell lines not yet closed by a blank line
    cell_open = False  # the previous line was a cell, so an untabbed line continues it
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("\t"):
            if not in_row:
                row += 1
                in_row = True
            tokens.append(Token(line.strip(), row, f"line {number}"))
            cell_open = True
        elif not line.strip():
            if in_row:
                row += 1
            in_row = cell_open = False
        elif cell_open and not _SECTION.match(line):
            last = tokens[-1]
            tokens[-1] = Token(last.text + line.strip(), last.row, last.where)
        else:
            row += 1
            tokens.append(Token(line.strip(), row, f"line {number}", in_table=False))
            in_row = cell_open = False
    return Document(form="docx_text", tokens=tokens)


def split_line(line: str) -> tuple[str, list[str]]:
    """A plain-text table line: its label and the values that trail it ("规章 0 0 0")."""
    parts = _SPACES.split(line.strip())  # keep the spaces, so the label keeps its columns
    values: list[str] = []  # collected from the end, then put back in order
    while len(parts) >= 3 and is_value_text(parts[-1]):
        values.append(parts.pop())
        parts.pop()
    if len(parts) == 1 and is_value_text(parts[0]):
        values.append(parts.pop())
    values.reverse()
    return "".join(parts), values


def read_lines(text: str, form: str) -> Document:
    """Markdown or plain text: pipe rows become cells, other lines a label and trailing values."""
    tokens: list[Token] = []
    for row, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or _is_md_separator(stripped):
            continue
        where = f"line {row}"
        if stripped.startswith("|"):
            cells = [c.strip() for c in stripped.strip("|").split("|")]
            tokens.extend(Token(c, row, f"{where}, cell {i}") for i, c in enumerate(cells, start=1))
            continue
        if "#" in stripped:
            stripped = _MD_HEADING.sub("", stripped)
        label, values = split_line(stripped)
        if not values:
            tokens.append(Token(stripped, row, where, in_table=False))
            continue
        # a layout-preserving converter puts a group label and a row label in columns
        # ("三、本年度   （一）予以公开   3 0 ..."): two or more spaces separate cells
        for i, part in enumerate(p for p in _CELL_GAP.split(label) if p):
            tokens.append(Token(part, row, f"{where}, cell {i + 1}"))
        tokens.extend(Token(v, row, f"{where}, value {i}") for i, v in enumerate(values, 1))
    return Document(form=form, tokens=tokens)
