"""xxgk's GX plugin: Expectations that check a rule of the catalog over the whole warehouse.

Each Expectation carries one rule's expanded instances (as data, in the catalog's notation) and
turns them into one SQL query (`rule_sql`) that GX runs once per validation: cost grows with
the number of reports, never one validation per report. Its result lists every failed instance
with the report (report_id, body, year), the cells involved, expected and actual values and the
difference, which is what findings and Data Docs show.

Importing this module registers the Expectations and their metric with GX, so suites naming
`expect_accounting_identity` and the others load.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape
from typing import Any, ClassVar

from great_expectations.expectations.expectation import BatchExpectation
from great_expectations.expectations.metrics.query_metrics.query_table.query_table import (
    QueryTable,
)
from great_expectations.render import (
    CollapseContent,
    LegacyDiagnosticRendererType,
    RenderedStringTemplateContent,
    RenderedTableContent,
)
from great_expectations.render.renderer.renderer import renderer
from great_expectations.validator.metric_configuration import MetricConfiguration

from xxgk.checks.rule_sql import CELLS, FACTS, CheckInstance, rule_query

ALL_ROWS = "xxgk_rule_violations.all_rows"
# failed instances a Data Docs page lists; findings.csv has them all
SHOWN_ROWS = 20


class RuleViolationRows(QueryTable):
    """Every row of a rule's query. GX's own `unexpected_rows_query.table` stops at 200 rows,
    and findings need every failed instance."""

    metric_name = ALL_ROWS
    value_keys = ("unexpected_rows_query", "fetch_all")
    query_param_name: ClassVar[str] = "unexpected_rows_query"
    default_kwarg_values: ClassVar[dict[str, Any]] = {"fetch_all": True}


def _fmt(value: Any) -> str:
    if isinstance(value, float | Decimal):  # DuckDB's sums of decimals come back as Decimal
        return f"{float(value):g}"
    return "" if value is None else str(value)


class RuleExpectation(BatchExpectation):
    """A rule of xxgk's catalog holds on every report where it can be assessed."""

    rule_id: str
    instances: list[str]

    # the table the query reads as `{batch}`; the others it names
    batch_table: ClassVar[str] = CELLS
    metric_dependencies: ClassVar[tuple[str, ...]] = (ALL_ROWS,)
    success_keys: ClassVar[tuple[str, ...]] = ("rule_id", "instances")

    def query(self) -> str:
        checks = [CheckInstance.parse(i) for i in self.instances]
        return rule_query(
            self.rule_id, checks, self.batch_table, sorted({c.template for c in checks})
        )

    def get_validation_dependencies(self, execution_engine=None, runtime_configuration=None):
        deps = super().get_validation_dependencies(execution_engine, runtime_configuration)
        config = deps.get_metric_configuration(ALL_ROWS)
        deps.set_metric_configuration(
            ALL_ROWS,
            MetricConfiguration(
                ALL_ROWS,
                metric_domain_kwargs=config.metric_domain_kwargs,
                metric_value_kwargs={"unexpected_rows_query": self.query(), "fetch_all": True},
            ),
        )
        return deps

    def _validate(self, metrics: dict, runtime_configuration=None, execution_engine=None) -> dict:
        rows = metrics[ALL_ROWS]
        return {
            "success": not rows,
            "result": {"observed_value": len(rows), "details": {"unexpected_rows": rows}},
        }

    @classmethod
    @renderer(renderer_type=LegacyDiagnosticRendererType.OBSERVED_VALUE)
    def _diagnostic_observed_value_renderer(
        cls, configuration=None, result=None, runtime_configuration=None
    ) -> str:
        if result is None or not result.result:
            return "--"
        return f"{result.result['observed_value']} 个实例不成立 / failed instances"

    @classmethod
    @renderer(renderer_type=LegacyDiagnosticRendererType.UNEXPECTED_TABLE)
    def _diagnostic_unexpected_table_renderer(
        cls, configuration=None, result=None, runtime_configuration=None
    ) -> list:
        if result is None or not result.result:
            return []
        rows = result.result["details"]["unexpected_rows"]
        blocks: list = []
        if rows:
            header = ["报告 report", "机关 body", "年度 year", "实例 instance"]
            header += ["实际 actual", "应为 expected", "差额 difference"]
            table = [
                # GX renders table cells as markup: report text must be escaped here
                [escape(str(r[k])) for k in ("report_id", "body", "year", "instance")]
                + [_fmt(r[k]) for k in ("actual", "expected", "difference")]
                for r in rows[:SHOWN_ROWS]
            ]
            if len(rows) > SHOWN_ROWS:
                more = f"… 另有 {len(rows) - SHOWN_ROWS} 个，见 findings.csv / more in findings.csv"
                table.append([more, "", "", "", "", "", ""])
            blocks.append(
                RenderedTableContent(
                    content_block_type="table",
                    header_row=header,
                    table=table,
                    styling={"body": {"classes": ["table-bordered", "table-sm", "mt-3"]}},
                )
            )
        config = result.expectation_config
        sql = config.to_domain_obj().query() if config else ""
        blocks.append(
            CollapseContent(
                collapse_toggle_link="GX 执行的 SQL / the SQL GX ran",
                collapse=[
                    RenderedStringTemplateContent(
                        content_block_type="string_template",
                        string_template={"template": sql, "tag": "pre"},
                    )
                ],
            )
        )
        return blocks


class ExpectAccountingIdentity(RuleExpectation):
    """A Table 2, 3 or 4 accounting identity holds in every report (both sides assessable)."""


class ExpectNarrativeToMatchTables(RuleExpectation):
    """Every figure the narrative quotes agrees with the tables, under one of its readings."""

    batch_table: ClassVar[str] = FACTS


class ExpectCrossYearContinuity(RuleExpectation):
    """A report continues the same body's report of the year before."""


class ExpectReportCompleteness(RuleExpectation):
    """A report is complete: every required cell read, one report per body and year."""


# which Expectation checks a rule of each kind
BY_KIND: dict[str, type[RuleExpectation]] = {
    "identity": ExpectAccountingIdentity,
    "narrative": ExpectNarrativeToMatchTables,
    "cross_year": ExpectCrossYearContinuity,
    "completeness": ExpectReportCompleteness,
}
