"""The GX expectation suites, generated from the rules catalog into `expectations/*.json`.

One suite per concern (the catalog's families). Every rule of the catalog becomes one Expectation
of this project's plugin, carrying the rule's expanded instances and, in `meta`, the rule in
plain Chinese and English with the template's own wording. GX's own Expectations add the checks
the catalog's term sums cannot state: the warehouse's grain and value domains, counts that are
never negative. The JSON is committed so a reviewer reads what GX runs; CI fails when it is not
what the catalog generates (`xxgk check --write-suites` rewrites it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from great_expectations import __version__ as gx_version
from great_expectations import expectations as gxe
from great_expectations.expectations.row_conditions import Column

from xxgk.checks import plugin
from xxgk.checks.rule_sql import CELLS, FACTS, CheckInstance
from xxgk.template.catalog import formats
from xxgk.template.rules import FAMILIES, Rule, load_rules

# the table each suite validates (its `{batch}`)
ASSETS = {family: FACTS if family == "narrative" else CELLS for family in FAMILIES}
VALUE_STATUSES = ["number", "zero", "blank", "mark", "invalid", "missing"]
# GX severities for the catalog's
GX_SEVERITY = {"error": "critical", "warning": "warning"}


@dataclass(frozen=True)
class GxCheck:
    """A check GX's own Expectations state, beyond the catalog's term sums."""

    id: str
    suite: str
    severity: str
    description_zh: str
    description_en: str
    expectation: gxe.Expectation


def _signed_columns(table: str) -> list[str]:
    return sorted(
        {
            c.code
            for f in formats().values()
            for t in f.tables
            if t.code == table
            for c in t.columns
            if c.kind == "signed"
        }
    )


def _non_negative(table: str, zh: str, en: str) -> GxCheck:
    condition = Column("table_code") == table
    signed = _signed_columns(table)
    if signed:
        condition = condition & Column("column_code").is_not_in(signed)
    return GxCheck(
        id=f"{table}_counts_non_negative",
        suite=f"table{table[1]}",
        severity="warning",
        description_zh=f"{zh}的件数与金额不为负数" + ("（“本年增/减”除外）" if signed else ""),
        description_en=f"{en}: counts and amounts are not negative"
        + (" (except the signed change this year)" if signed else "")
        + ".",
        expectation=gxe.ExpectColumnValuesToBeBetween(
            column="value", min_value=0, row_condition=condition
        ),
    )


GX_CHECKS = (
    _non_negative("t2", "表二", "Table 2"),
    _non_negative("t3", "表三", "Table 3"),
    _non_negative("t4", "表四", "Table 4"),
    GxCheck(
        id="cells_one_row_per_report_and_cell",
        suite="completeness",
        severity="error",
        description_zh="每份报告的每个单元格只有一行：重复的单元格会让勾稽关系重复计数",
        description_en="One row per report and cell code: a duplicated cell would be counted "
        "twice by every identity.",
        expectation=gxe.ExpectCompoundColumnsToBeUnique(column_list=["report_id", "cell_code"]),
    ),
    GxCheck(
        id="cells_value_status_known",
        suite="completeness",
        severity="error",
        description_zh="每个单元格的状态是数值、零、空白、标记、无效或缺失之一",
        description_en="Every cell's status is number, zero, blank, mark, invalid or missing.",
        expectation=gxe.ExpectColumnValuesToBeInSet(
            column="value_status", value_set=VALUE_STATUSES
        ),
    ),
    GxCheck(
        id="cells_template_known",
        suite="completeness",
        severity="error",
        description_zh="每份报告按2021年格式或2019年试行格式读取",
        description_en="Every report is read in the 2021 format or the 2019 trial format.",
        expectation=gxe.ExpectColumnValuesToBeInSet(column="template", value_set=list(formats())),
    ),
)


def _description(check_id: str, zh: str, en: str) -> str:
    return f"[{check_id}] {zh} / {en}"


def _rule_expectation(rule: Rule) -> dict[str, Any]:
    cls = plugin.BY_KIND.get(rule.kind)
    if cls is None:
        raise ValueError(f"rule {rule.id}: no Expectation checks rules of kind {rule.kind!r}")
    instances = [CheckInstance.of(i) for code in formats() for i in rule.instances(code)]
    readings = [r for r in rule.readings if r.label_zh]
    meta = {
        "rule_id": rule.id,
        "family": rule.family,
        "kind": rule.kind,
        "severity": rule.severity,
        "official": rule.official,
        "scope": rule.scope,
        "formats": list(rule.formats),
        "lhs": list(map(str, rule.lhs)),
        "rhs": list(map(str, rule.rhs)),
        "description_zh": rule.description_zh,
        "description_en": rule.description_en,
    }
    if readings:
        meta["readings"] = [
            {"label_zh": r.label_zh, "label_en": r.label_en, "rhs": list(map(str, r.terms))}
            for r in readings
        ]
    return {
        "type": cls.expectation_type,
        "kwargs": {"rule_id": rule.id, "instances": list(map(str, instances))},
        "meta": meta,
        "description": _description(rule.id, rule.description_zh, rule.description_en),
        "severity": GX_SEVERITY[rule.severity],
    }


def _gx_expectation(check: GxCheck) -> dict[str, Any]:
    config = check.expectation.configuration.to_json_dict()
    config.pop("id", None)
    config.pop("rendered_content", None)
    config["meta"] = {
        "rule_id": check.id,
        "family": check.suite,
        "severity": check.severity,
        "official": False,
        "description_zh": check.description_zh,
        "description_en": check.description_en,
    }
    config["description"] = _description(check.id, check.description_zh, check.description_en)
    config["severity"] = GX_SEVERITY[check.severity]
    return config


def build_suites() -> dict[str, dict[str, Any]]:
    """Every suite as the JSON GX reads, keyed by suite name."""
    rules = load_rules()
    return {
        family: {
            "name": family,
            "meta": {
                "great_expectations_version": gx_version,
                "xxgk": {
                    "asset": ASSETS[family],
                    "generated_from": "xxgk/template/rules.yaml",
                    "regenerate": "xxgk check --write-suites",
                },
            },
            "notes": None,
            "expectations": [_rule_expectation(r) for r in rules if r.family == family]
            + [_gx_expectation(c) for c in GX_CHECKS if c.suite == family],
        }
        for family in FAMILIES
    }


def _text(suite: dict[str, Any]) -> str:
    return json.dumps(suite, ensure_ascii=False, indent=2) + "\n"


def write_suites(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    out = []
    for name, suite in build_suites().items():
        path = directory / f"{name}.json"
        path.write_text(_text(suite), "utf-8")
        out.append(path)
    return out


def stale_suites(directory: Path) -> list[str]:
    """Suites whose committed JSON is not what the catalog generates now."""
    return [
        name
        for name, suite in build_suites().items()
        if not (directory / f"{name}.json").is_file()
        or (directory / f"{name}.json").read_text("utf-8") != _text(suite)
    ]


def load_suites(directory: Path) -> dict[str, dict[str, Any]]:
    """The committed suites, refusing stale ones: GX runs what reviewers read."""
    stale = stale_suites(directory)
    if stale:
        raise RuntimeError(
            f"{directory}: suites {', '.join(stale)} are not what the rules catalog generates; "
            "run `xxgk check --write-suites`"
        )
    return {name: json.loads((directory / f"{name}.json").read_text("utf-8")) for name in FAMILIES}
