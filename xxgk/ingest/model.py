"""The shapes every reader produces and the parse result every consumer reads.

Each reader turns its form (DOCX-extracted text, Markdown, HTML, DOCX, PDF) into a `Document`: a
flat, reading-order list of `Token`s, each a table cell or a paragraph of running text, with the row
it belongs to and where it was found. Table location, value rules, facts and problems are then
written once, against this shape.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


class ParseError(Exception):
    """A file that cannot be read as a report. `reason` is one line for the user."""

    def __init__(self, reason: str, where: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.where = where


def shown(path: object) -> str:
    """A file name as one line of a message: as it is when printable, else quoted with escapes
    (a name may hold a newline or a terminal control sequence)."""
    text = str(path)
    return text if text.isprintable() else repr(text)


@dataclass(frozen=True)
class Token:
    text: str
    row: int  # tokens of one table row (or one line of text) share a row number
    where: str  # "line 12", "table 3, row 4, cell 2", "page 2, line 7"
    in_table: bool = True  # False for running text (narrative, headings)

    # A frozen dataclass sets each field through object.__setattr__, several times the cost of
    # writing the instance dict; a report makes hundreds of tokens and cells, and that was a
    # tenth of a text report's parse. tests/test_model.py keeps these in step with the fields.
    # (A dict update with keywords is as fast but unshares the dict's keys: more memory.)
    def __init__(self, text: str, row: int, where: str, in_table: bool = True) -> None:
        d = self.__dict__
        d["text"], d["row"], d["where"], d["in_table"] = text, row, where, in_table


@dataclass
class Document:
    form: str  # docx_text | markdown | text | html | docx | pdf | crawler_text
    tokens: list[Token]
    title: str = ""  # the page or file title when the form has one
    meta: dict[str, str] = field(default_factory=dict)  # e.g. 发布机构 from an HTML page

    def paragraphs(self) -> list[Token]:
        return [t for t in self.tokens if not t.in_table and t.text.strip()]


@dataclass(frozen=True)
class Problem:
    kind: str  # missing_table | missing_row | unknown_row_label | column_count_mismatch | ...
    message: str
    where: str | None = None
    cell: str | None = None


@dataclass(frozen=True)
class ParsedCell:
    code: str
    value: int | float | None
    raw: str | None  # the text as written; None when the cell was not found
    where: str | None
    status: str  # number | zero | blank | mark | invalid | missing
    method: str = "read"  # read directly; other methods name how a value was inferred
    # ids of the rules (xxgk/template/rules.yaml) whose constraints decided an inferred value:
    # such a cell is never evidence that those same rules hold (checks: not assessable)
    inferred_from: tuple[str, ...] = ()

    def __init__(  # written out for speed, as Token's
        self,
        code: str,
        value: int | float | None,
        raw: str | None,
        where: str | None,
        status: str,
        method: str = "read",
        inferred_from: tuple[str, ...] = (),
    ) -> None:
        d = self.__dict__
        d["code"], d["value"], d["raw"], d["where"] = code, value, raw, where
        d["status"], d["method"], d["inferred_from"] = status, method, inferred_from


@dataclass(frozen=True)
class Fact:
    name: str  # applications_received, admin_review_cases, admin_suit_cases, fee_yuan, ...
    value: float
    unit: str
    sentence: str
    where: str


@dataclass
class ReportMeta:
    body: str | None
    year: int | None
    template: str | None
    source_path: str
    form: str
    sha256: str
    title: str | None = None


@dataclass
class ParseResult:
    report: ReportMeta
    cells: list[ParsedCell]
    facts: list[Fact]
    problems: list[Problem]

    def to_json(self) -> dict[str, Any]:
        return {
            "report": asdict(self.report),
            "cells": [asdict(c) for c in self.cells],
            "facts": [asdict(f) for f in self.facts],
            "problems": [asdict(p) for p in self.problems],
        }

    def value(self, code: str) -> int | float | None:
        return next((c.value for c in self.cells if c.code == code), None)
