"""Parse one report file: sniff its form, read it into tokens, locate the template's cells,
pick out the narrative's figures, and collect every problem with its location."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from xxgk.ingest.crawler import locate_glued, looks_glued
from xxgk.ingest.facts import find_facts
from xxgk.ingest.locate import locate
from xxgk.ingest.metadata import find_metadata
from xxgk.ingest.model import Document, ParseError, ParseResult, Problem, ReportMeta
from xxgk.ingest.readers import text as text_reader
from xxgk.ingest.sniff import MAX_BYTES, check_size, check_text, decode_text, sniff
from xxgk.template.catalog import TemplateFormat, format_for_year, formats
from xxgk.template.labels import label_key

PARSER_VERSION = "1"


def read_document(data: bytes) -> Document:
    """Any supported form into the common token stream."""
    form = sniff(data)
    if form == "docx":
        from xxgk.ingest.readers.docx import read_docx

        return read_docx(data)
    if form == "pdf":
        from xxgk.ingest.readers.pdf import read_pdf

        return read_pdf(data)
    if form == "html":
        from xxgk.ingest.readers.html import read_html_bytes

        return read_html_bytes(data)
    text = decode_text(data)
    check_text(text)
    if text_reader.looks_like_docx_text(text):
        return text_reader.read_docx_text(text)
    if text_reader.looks_like_markdown(text):
        return text_reader.read_lines(text, "markdown")
    if looks_glued(text):  # a crawler's page text: its tables' cells run together
        return text_reader.read_lines(text, "crawler_text")
    return text_reader.read_lines(text, "text")


def _choose_format(doc: Document, year: int | None) -> tuple[TemplateFormat, list[Problem]]:
    """The format the year says, unless the tables' own column words say the other one."""
    texts = {t.text for t in doc.tokens if len(t.text) < 40}  # "0" and the like repeat
    keys = {label_key(text) for text in texts}
    hits = {
        code: sum(1 for m in f.markers if label_key(m) in keys) for code, f in formats().items()
    }
    by_words = max(hits, key=lambda c: hits[c]) if any(hits.values()) else None
    by_year = format_for_year(year) if year else None
    if by_year is None and by_words is None:
        fallback = next(iter(formats().values()))
        return fallback, [
            Problem("unknown_template", f"no year or column words; read as {fallback.code}")
        ]
    if by_words is None:
        assert by_year is not None
        return by_year, []
    chosen = formats()[by_words]
    if by_year is not None and by_year.code != chosen.code:
        return chosen, [
            Problem(
                "template_mismatch",
                f"a {year} report in the {chosen.code} format's tables; read as {chosen.code}",
            )
        ]
    return chosen, []


def parse_bytes(data: bytes, source_path: str) -> ParseResult:
    doc = read_document(data)
    meta = find_metadata(doc)
    if meta.year is not None and meta.year < 2019:
        raise ParseError(
            f"pre-2019 format: a {meta.year} report predates the national template "
            "(国办公开办函〔2019〕60号), so it has no cells to check"
        )
    fmt, problems = _choose_format(doc, meta.year)
    if doc.form == "crawler_text":
        cells, located = locate_glued(decode_text(data), fmt)
    else:
        cells, located = locate(doc, fmt)
    if all(c.status == "missing" for c in cells):
        raise ParseError("not a recognised annual report: none of the template's tables was found")
    problems += located
    if meta.body is None:
        problems.append(Problem("missing_metadata", "issuing body not found in the title"))
    if meta.year is None:
        problems.append(Problem("missing_metadata", "report year not found"))
    report = ReportMeta(
        body=meta.body,
        year=meta.year,
        template=fmt.code,
        source_path=source_path,
        form=doc.form,
        sha256=hashlib.sha256(data).hexdigest(),
        title=meta.title,
    )
    return ParseResult(report, cells, find_facts(doc), problems)


def parse_file(path: Path) -> ParseResult:
    """Parse a report file; ParseError (with a one-line reason) for anything that is not one.
    Only a regular file is opened (a FIFO would block), and a file too large is refused unread."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise ParseError("not a regular file")
        with path.open("rb") as fh:
            check_size(os.fstat(fh.fileno()).st_size)
            data = fh.read(MAX_BYTES + 1)  # a file still growing is cut, then refused
    except OSError as e:
        raise ParseError(f"cannot read: {e.strerror or e}") from None
    return parse_bytes(data, str(path))
