"""GX set-up and the checkpoint: the warehouse validated by every suite, Data Docs updated.

GX's file context lives in the run's output folder (`<out>/gx`), written afresh by this code on
every run, so nothing of it is committed: the only committed GX artefacts are the suites in
`expectations/`. Validation results stay in `<out>/gx/uncommitted/validations` (GX stores them
as each validation runs) and the Data Docs site is `<out>/data_docs`.

The warehouse is read through GX's SQL data source with this project's read-only DuckDB
dialect (`duckdb_dialect`), after dbt has closed the file, or on the `postgres` target through
GX's PostgreSQL data source, the models' schema first on the search path. One validation per
suite, each over a whole table: the cost grows with the number of reports, not with one
validation per report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import great_expectations as gx
from great_expectations.checkpoint.checkpoint import CheckpointResult
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context import FileDataContext
from great_expectations.data_context.types.base import ProgressBarsConfig
from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier
from great_expectations.datasource.fluent import SQLDatasource

from xxgk.checks import docs, plugin  # noqa: F401  (plugin: registers the Expectations)
from xxgk.checks.duckdb_dialect import close_all, connection_string
from xxgk.checks.suites import ASSETS
from xxgk.warehouse.postgres import PostgresWarehouse
from xxgk.warehouse.targets import Warehouse

DATASOURCE = "warehouse"
CHECKPOINT = "xxgk"
RUN_NAME = "xxgk-check"  # how Data Docs list a run, beside its time
SITE = "xxgk"
SITE_DIR = "data_docs"  # in <out>, beside the context root <out>/gx
# every failed row named by report and cell, so a finding leads to the report
RESULT_FORMAT = {
    "result_format": "COMPLETE",
    "unexpected_index_column_names": ["report_id", "cell_code"],
}


def open_context(out: Path, dbt_docs: bool = False) -> FileDataContext:
    """The file context in `<out>/gx` with this project's offline Data Docs site only."""
    context = gx.get_context(mode="file", project_root_dir=out)
    # GX draws a tqdm bar per expectation; xxgk prints its own progress per stage
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    for name in list(context.get_config().data_docs_sites or {}):
        context.delete_data_docs_site(name)
    context.add_data_docs_site(SITE, docs.site_config(f"../{SITE_DIR}/", dbt_docs))
    return context


def data_source(context: FileDataContext, warehouse: Warehouse) -> SQLDatasource:
    """The warehouse as GX's data source, made afresh (the home's last check may have used the
    other target): PostgreSQL's for the `postgres` target, else the SQL data source on the
    read-only DuckDB dialect."""
    if DATASOURCE in context.data_sources.all():
        context.data_sources.delete(DATASOURCE)
    if isinstance(warehouse, PostgresWarehouse):
        return context.data_sources.add_postgres(
            DATASOURCE, connection_string=warehouse.settings.sqlalchemy_url()
        )
    return context.data_sources.add_sql(
        DATASOURCE, connection_string=connection_string(warehouse.path)
    )


def add_checkpoint(
    context: FileDataContext, warehouse: Warehouse, suites: dict[str, dict[str, Any]]
) -> gx.Checkpoint:
    """The warehouse as a data source, one validation definition per suite (each over its whole
    table) and the checkpoint that runs them all (run_checkpoint then updates Data Docs)."""
    source = data_source(context, warehouse)
    pg = isinstance(warehouse, PostgresWarehouse)
    schema = {"schema_name": warehouse.settings.schema} if pg else {}
    batches = {}
    for table in sorted(set(ASSETS.values())):
        asset = source.add_table_asset(table, table_name=table, **schema)
        batches[table] = asset.add_batch_definition_whole_table(table)
    definitions = []
    for name, data in suites.items():
        suite = gx.ExpectationSuite(**data)
        if len(suite.expectations) != len(data["expectations"]):  # GX only logs what it drops
            raise ValueError(f"suite {name}: GX could not load every expectation")
        suite = context.suites.add_or_update(suite)
        definitions.append(
            context.validation_definitions.add_or_update(
                gx.ValidationDefinition(
                    name=name, data=batches[data["meta"]["xxgk"]["asset"]], suite=suite
                )
            )
        )
    return context.checkpoints.add_or_update(
        gx.Checkpoint(
            name=CHECKPOINT,
            validation_definitions=definitions,
            # no UpdateDataDocsAction: it rebuilds the site's index once per suite (about 1 s
            # each at 10,000 reports); run_checkpoint builds the run's pages and index once
            actions=[],
            result_format=RESULT_FORMAT,
        )
    )


def run_checkpoint(
    out: Path, warehouse: Warehouse, suites: dict[str, dict[str, Any]], dbt_docs: bool = False
) -> CheckpointResult:
    context = open_context(out, dbt_docs)
    checkpoint = add_checkpoint(context, warehouse, suites)
    try:
        result = checkpoint.run(run_id=RunIdentifier(run_name=RUN_NAME))
    finally:
        close_all()  # GX lets go of a DuckDB file: findings are written into it next
    pages = [
        identifier
        for run_id, validation in result.run_results.items()
        for identifier in (run_id, ExpectationSuiteIdentifier(name=validation.suite_name))
    ]
    context.build_data_docs(site_names=[SITE], resource_identifiers=pages)
    return result
