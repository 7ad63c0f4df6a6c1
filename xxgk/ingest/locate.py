"""Find the template's tables in a token stream and read every cell, driven by the catalog.

Rows are found in template order: for each row, the first token after the previous row whose
label names it and which has values after it in its row (or, when a converter wrapped the label,
at the start of the next row). Matching in order keeps short labels (其他, 总计) from matching a
column header. Table 4 is read as its value rows in order: 3 blocks × 5 columns.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from functools import cache
from itertools import islice

from xxgk.ingest.model import Document, ParsedCell, Problem, Token
from xxgk.ingest.values import is_value_text, read_value
from xxgk.template.catalog import Column, Row, Table, TemplateFormat, get_format
from xxgk.template.labels import label_key, matches

_MAX_LABEL = 120  # longer tokens are running text, never a row label


@dataclass
class _Stream:
    tokens: list[Token]
    keys: list[str]
    joined: list[str]  # a wrapped label: the previous line's text + this row's first token
    value: list[bool]  # is_value_text of each token, read many times per token
    labelled: list[int]  # indices with a key or a joined key: the only ones `find` can return
    row_start: dict[int, int]  # row number -> index of its first token
    row_end: dict[int, int]  # row number -> index after its last token

    @classmethod
    def of(cls, doc: Document) -> _Stream:
        tokens = doc.tokens
        value = [is_value_text(t.text) for t in tokens]
        keys = [
            label_key(t.text) if not v and len(t.text) <= _MAX_LABEL else ""
            for t, v in zip(tokens, value, strict=True)
        ]
        joined = [""] * len(tokens)
        start: dict[int, int] = {}
        end: dict[int, int] = {}
        prev_row = None
        for i, t in enumerate(tokens):
            row = t.row
            if row != prev_row:
                start.setdefault(row, i)
                if i and keys[i - 1] and keys[i]:  # a label key is never value text
                    joined[i] = keys[i - 1] + keys[i]
                prev_row = row
            end[row] = i + 1
        labelled = [i for i, (k, j) in enumerate(zip(keys, joined, strict=True)) if k or j]
        return cls(tokens, keys, joined, value, labelled, start, end)

    def find(self, keys: frozenset[str], lo: int, hi: int) -> int | None:
        k, joined = self.keys, self.joined
        for i in islice(self.labelled, bisect_left(self.labelled, lo), None):
            if i >= hi:
                return None
            if (k[i] and matches(k[i], keys)) or (joined[i] and matches(joined[i], keys)):
                return i
        return None

    def values_after(self, i: int) -> list[Token]:
        """The value tokens that follow token i in its row, up to the next label."""
        out: list[Token] = []
        for j in range(i + 1, self.row_end[self.tokens[i].row]):
            if not self.value[j]:
                break
            out.append(self.tokens[j])
        return out

    def values_in_next_row(self, i: int, labels: frozenset[str]) -> list[Token]:
        """Values of the row after token i's row, past any wrapped label text (not a label)."""
        j = self.row_end[self.tokens[i].row]
        if j >= len(self.tokens):
            return []
        end = self.row_end[self.tokens[j].row]
        while j < end and not self.value[j]:
            if matches(self.keys[j], labels):
                return []
            j += 1
        out = []
        while j < end and self.value[j]:
            out.append(self.tokens[j])
            j += 1
        return out

    def trailing_values(self, row: int) -> list[Token]:
        """A row's values after its last label token."""
        out: list[Token] = []  # collected from the end, then put back in order
        for j in range(self.row_end[row] - 1, self.row_start[row] - 1, -1):
            if not self.value[j]:
                break
            out.append(self.tokens[j])
        out.reverse()
        return out


@dataclass(frozen=True)
class _Codes:
    every: tuple[str, ...]  # the format's cell codes in template order
    standard: tuple[str, ...]  # without the optional 小计 column
    subtotals: frozenset[str]


@cache
def _codes(format_code: str) -> _Codes:
    every = tuple(c.code for c in get_format(format_code).cells)
    subtotals = frozenset(c for c in every if c.endswith(".legal_person_subtotal"))
    return _Codes(every, tuple(c for c in every if c not in subtotals), subtotals)


def _has_content(values: list[Token]) -> bool:
    return any(v.text.strip() for v in values)


@dataclass
class _Located:
    cells: dict[str, ParsedCell]
    problems: list[Problem]


@cache  # immutable, so one per code serves every report
def _missing(code: str) -> ParsedCell:
    return ParsedCell(code, None, None, None, "missing")


def _read_cells(
    table: Table, row: Row, columns: tuple[Column, ...], values: list[Token], out: _Located
) -> None:
    prefix = f"{table.code}.{row.code}."
    for column, token in zip(columns, values, strict=True):
        code = prefix + column.code
        v = read_value(token.text, column.kind)
        out.cells[code] = ParsedCell(code, v.value, token.text, token.where, v.status)
        if v.problem:
            out.problems.append(Problem("invalid_value", v.problem, token.where, code))


def _one_width(
    widths: dict[int, tuple[Column, ...]], found: list[tuple[Row, int, list[Token]]]
) -> dict[int, tuple[Column, ...]]:
    """A table that may be written in two widths (Table 3 with or without 小计) is written in
    one: the width most of its rows have (the standard one on a tie). A row of the other width
    is a column mismatch, never read shifted (an extra value read as a 小计)."""
    counts = Counter(len(values) for _, _, values in found if len(values) in widths)
    if len(widths) < 2 or not counts:
        return widths
    standard = min(widths)
    width = max(counts, key=lambda n: (counts[n], n == standard))
    return {width: widths[width]}


def _read_rows(
    s: _Stream,
    table: Table,
    lo: int,
    hi: int,
    widths: dict[int, tuple[Column, ...]],
    out: _Located,
) -> list[int]:
    """Read a table's rows in order. `widths` maps a value count to the columns it fills
    (per row for Table 2); returns the indices of the label tokens used."""
    labels = table.row_keys
    found: list[tuple[Row, int, list[Token]]] = []
    cursor = lo
    for row in table.rows:
        allowed = widths or {len(table.row_columns(row)): table.row_columns(row)}
        first: int | None = None
        i = s.find(row.keys, cursor, hi)
        while i is not None:
            first = i if first is None else first
            values = s.values_after(i) or s.values_in_next_row(i, labels)
            if _has_content(values) or len(values) in allowed:
                found.append((row, i, values))
                cursor = i + 1
                break
            i = s.find(row.keys, i + 1, hi)
        else:
            where = s.tokens[first].where if first is not None else None
            out.problems.append(
                Problem("missing_row", f"{table.code}: no values found for {row.label}", where)
            )
    widths = _one_width(widths, found)
    for row, i, values in found:
        allowed = widths or {len(table.row_columns(row)): table.row_columns(row)}
        columns = allowed.get(len(values))
        if columns is None:
            expected = " or ".join(str(n) for n in sorted(allowed))
            out.problems.append(
                Problem(
                    "column_count_mismatch",
                    f"{table.code}: {row.label} has {len(values)} values, expected {expected}: "
                    + " ".join(v.text or "∅" for v in values),
                    s.tokens[i].where,
                )
            )
            continue
        _read_cells(table, row, columns, values, out)
    return [i for _, i, _ in found]


def _t3_widths(s: _Stream, table: Table, lo: int, first_row: int) -> dict[int, tuple[Column, ...]]:
    """7 values: the standard columns. 8: a 小计 column too, placed where the header puts it."""
    standard = tuple(c for c in table.columns if not c.optional)
    subtotal = next(c for c in table.columns if c.optional)
    header = range(lo, first_row)
    at = next((i for i in header if s.keys[i] in subtotal.keys), None)
    other = next((i for i in header if s.keys[i] in table.column("other_org").keys), None)
    cut = len(standard) - 1  # after 其他, before 总计 (the usual place)
    if at is not None and other is not None and at < other:
        cut = 1  # a subtotal of legal persons written before their categories
    return {
        len(standard): standard,
        len(standard) + 1: (*standard[:cut], subtotal, *standard[cut:]),
    }


def _read_t4(s: _Stream, table: Table, lo: int, hi: int, out: _Located) -> None:
    rows = sorted({s.tokens[i].row for i in range(lo, hi)})
    values: list[Token] = []
    for r in rows:
        trailing = s.trailing_values(r)
        if _has_content(trailing):
            values.extend(trailing)
    n = len(table.columns)
    if len(values) != len(table.rows) * n:
        out.problems.append(
            Problem(
                "column_count_mismatch",
                f"t4: {len(values)} values found, expected {len(table.rows) * n}: "
                + " ".join(v.text or "∅" for v in values),
                s.tokens[lo].where,
            )
        )
        return
    for k, row in enumerate(table.rows):
        _read_cells(table, row, table.columns, values[k * n : (k + 1) * n], out)


def _unknown_rows(
    s: _Stream, table: Table, lo: int, hi: int, used: set[int], out: _Located
) -> None:
    """Rows with values that were not read: a label the catalog does not know, or a row of the
    table written again (the table twice); reported, not dropped silently."""
    labels = table.row_keys
    for r in sorted({s.tokens[i].row for i in range(lo, hi)}):
        start, end = s.row_start[r], s.row_end[r]
        if any(i in used for i in range(start, end)):
            continue
        label = next((i for i in range(start, end) if not s.value[i]), None)
        values = s.values_after(label) if label is not None else []
        if label is not None and _has_content(values) and s.tokens[label].in_table:
            text = s.tokens[label].text[:60]
            if matches(s.keys[label], labels):
                kind, message = (
                    "repeated_row",
                    f"{table.code}: {text!r} written again; only the first is read",
                )
            else:
                kind, message = "unknown_row_label", f"row label not in the template: {text!r}"
            out.problems.append(Problem(kind, message, s.tokens[label].where))


def _section_five(s: _Stream, lo: int) -> int:
    for i in range(lo, len(s.tokens)):
        k = s.keys[i]
        if k.startswith("存在的主要问题") or k.startswith("其他需要报告的事项"):
            return i
        if not s.tokens[i].in_table and s.tokens[i].text.lstrip().startswith("五、"):
            return i
    return len(s.tokens)


def locate(doc: Document, fmt: TemplateFormat) -> tuple[list[ParsedCell], list[Problem]]:
    s = _Stream.of(doc)
    out = _Located({}, [])
    t2, t3, t4 = fmt.table("t2"), fmt.table("t3"), fmt.table("t4")
    end = len(s.tokens)

    t3_first = s.find(t3.rows[0].keys, 0, end)
    t3_heading = s.find(t3.keys, 0, t3_first if t3_first is not None else end)
    t3_lo = t3_heading if t3_heading is not None else t3_first
    if t3_first is None or t3_lo is None:
        out.problems.append(Problem("missing_table", "Table 3 (依申请公开) not found"))
        t3_lo = t3_first = end
    t2_heading = s.find(t2.keys, 0, t3_lo)
    t2_lo = t2_heading if t2_heading is not None else 0

    used = _read_rows(s, t2, t2_lo, t3_lo, {}, out)
    if not used:
        out.problems.append(Problem("missing_table", "Table 2 (主动公开) not found"))
    # Table 4 follows Table 3, or Table 2's last row when the report has no Table 3
    t4_lo = s.find(t4.keys, t3_first if t3_first < end else (used[-1] + 1 if used else 0), end)
    t3_hi = t4_lo if t4_lo is not None else _section_five(s, t3_first)
    if t3_first < end:
        widths = _t3_widths(s, t3, t3_lo, t3_first)
        used3 = _read_rows(s, t3, t3_first, t3_hi, widths, out)
        _unknown_rows(s, t3, t3_first, t3_hi, set(used3), out)
    if t4_lo is None:
        out.problems.append(Problem("missing_table", "Table 4 (行政复议、行政诉讼) not found"))
    else:
        _read_t4(s, t4, t4_lo, _section_five(s, t4_lo), out)

    codes = _codes(fmt.code)
    # the optional column is reported only when the report has it
    has_subtotal = not codes.subtotals.isdisjoint(out.cells)
    every = codes.every if has_subtotal else codes.standard
    return [out.cells.get(c) or _missing(c) for c in every], out.problems
