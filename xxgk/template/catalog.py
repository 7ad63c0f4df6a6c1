"""The template catalog: catalog.yaml loaded into typed, read-only objects.

Cell codes are `<table>.<row>.<column>` exactly as in the shared template contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources

import yaml

from xxgk.template.labels import label_key


@dataclass(frozen=True)
class Column:
    code: str
    label: str
    en: str
    variants: tuple[str, ...] = ()
    kind: str = "count"  # count | signed | amount
    optional: bool = False

    @cached_property  # read for every row a parse looks for; the frozen fields never change
    def keys(self) -> frozenset[str]:
        return frozenset(label_key(x) for x in (self.label, *self.variants))


@dataclass(frozen=True)
class Row:
    code: str
    label: str
    en: str
    variants: tuple[str, ...] = ()
    group: str = ""
    outcome: bool = False  # one of the 三、办理结果 rows summed into results_total
    column_codes: tuple[str, ...] = ()  # Table 2 rows name their own columns

    @cached_property  # read for every row a parse looks for; the frozen fields never change
    def keys(self) -> frozenset[str]:
        return frozenset(label_key(x) for x in (self.label, *self.variants))


@dataclass(frozen=True)
class Cell:
    code: str
    table: str
    row: Row
    column: Column
    position: int  # order of the cell in the template, for stable output


@dataclass(frozen=True)
class Table:
    code: str
    label: str
    variants: tuple[str, ...]
    rows: tuple[Row, ...]
    columns: tuple[Column, ...]

    @cached_property  # read for every row a parse looks for; the frozen fields never change
    def keys(self) -> frozenset[str]:
        return frozenset(label_key(x) for x in (self.label, *self.variants))

    @cached_property
    def row_keys(self) -> frozenset[str]:
        """The keys of every row: a token that names some row of the table."""
        return frozenset().union(*(r.keys for r in self.rows))

    def column(self, code: str) -> Column:
        return self._columns_by_code[code]

    def row_columns(self, row: Row) -> tuple[Column, ...]:
        """Columns a row has: its own list (Table 2) or the table's non-optional columns."""
        if row.column_codes:
            return tuple(self.column(c) for c in row.column_codes)
        return self.standard_columns

    @cached_property
    def standard_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if not c.optional)

    @cached_property
    def _columns_by_code(self) -> dict[str, Column]:
        return {c.code: c for c in self.columns}


@dataclass(frozen=True)
class TemplateFormat:
    code: str  # "2021" | "2019"
    title: str
    first_year: int
    markers: tuple[str, ...]
    tables: tuple[Table, ...]

    def table(self, code: str) -> Table:
        return next(t for t in self.tables if t.code == code)

    @cached_property
    def cells(self) -> tuple[Cell, ...]:
        """Every cell of the format in template order, optional columns included."""
        out: list[Cell] = []
        for table in self.tables:
            for row in table.rows:
                columns = (
                    tuple(table.column(c) for c in row.column_codes)
                    if row.column_codes
                    else table.columns
                )
                for column in columns:
                    code = f"{table.code}.{row.code}.{column.code}"
                    out.append(Cell(code, table.code, row, column, len(out)))
        return tuple(out)

    @cached_property
    def required_cells(self) -> tuple[Cell, ...]:
        return tuple(c for c in self.cells if not c.column.optional)

    def cell(self, code: str) -> Cell:
        return _cell_index(self.code)[code]


def _row(d: dict) -> Row:
    return Row(
        code=d["code"],
        label=d["label"],
        en=d.get("en", ""),
        variants=tuple(d.get("variants", ())),
        group=d.get("group", ""),
        outcome=bool(d.get("outcome", False)),
        column_codes=tuple(d.get("columns", ())),
    )


def _column(d: dict) -> Column:
    return Column(
        code=d["code"],
        label=d["label"],
        en=d.get("en", ""),
        variants=tuple(d.get("variants", ())),
        kind=d.get("kind", "count"),
        optional=bool(d.get("optional", False)),
    )


def _table(d: dict) -> Table:
    return Table(
        code=d["code"],
        label=d["label"],
        variants=tuple(d.get("variants", ())),
        rows=tuple(_row(r) for r in d["rows"]),
        columns=tuple(_column(c) for c in d["columns"]),
    )


@cache
def formats() -> dict[str, TemplateFormat]:
    """All template formats, newest first."""
    text = resources.files("xxgk.template").joinpath("catalog.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)["formats"]
    out = {
        code: TemplateFormat(
            code=code,
            title=f["title"],
            first_year=int(f["first_year"]),
            markers=tuple(f["markers"]),
            tables=tuple(_table(t) for t in f["tables"]),
        )
        for code, f in raw.items()
    }
    return dict(sorted(out.items(), key=lambda kv: -kv[1].first_year))


def get_format(code: str) -> TemplateFormat:
    return formats()[code]


def format_for_year(year: int) -> TemplateFormat | None:
    """The format in force for a report year; None before the 2019 trial format."""
    return next((f for f in formats().values() if year >= f.first_year), None)


@cache
def _cell_index(format_code: str) -> dict[str, Cell]:
    return {c.code: c for c in formats()[format_code].cells}
