"""The checks stage: Great Expectations validates the warehouse against the rules catalog.

- `suites`: the expectation suites in `expectations/`, generated from the rules catalog.
- `plugin`: this project's Expectations (one rule over the whole warehouse) and their metric.
- `rule_sql`: the query each of them runs (DuckDB and PostgreSQL), from the expanded instances.
- `duckdb_dialect`: the one patch GX needs to read DuckDB (read-only, no transactions).
- `checkpoint`: GX's file context in the run's output folder, the data source and checkpoint.
- `docs` (+ `site/`): Data Docs that work offline; `findings`: failed instances as CSV, JSON
  and warehouse tables; `run`: the stage end to end, as `xxgk check` runs it.
"""
