"""The landing loaded into PostgreSQL before a build, with COPY.

The landing stays Parquet (landing.py). On the `postgres` target, dbt's `landing` source names
tables of the schema `landing` instead of reading the files, and this module fills them: the
whole ledger, and of reports, cells, facts and problems the rows of the (report_id, batch_id)
pairs the ledger marks current (superseded versions and rows of runs that died before their
ledger was written are never loaded; staging selects among the rest exactly as on DuckDB).

An in-memory DuckDB reads the Parquet files as dbt does on the duckdb target and hands the rows
over in chunks of CHUNK_ROWS, each written as CSV into memory and streamed with psycopg2's
`copy_expert` into `copy landing.<table> from stdin`: no row-by-row inserts, and memory bounded
by the chunk, not by the landing. Every table is replaced in one transaction (truncate, copy),
so a build never reads a half-loaded landing, and the dbt views reading the tables stay. A table
whose columns are not the landing's (an older xxgk) is dropped and made again, with the views
over it: `dbt build` makes those again next.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv

from xxgk.ingest.landing import LEDGER_SCHEMA, SCHEMAS, Landing
from xxgk.warehouse.postgres import PostgresSettings

SCHEMA = "landing"
CHUNK_ROWS = 100_000
# the landing's Arrow types as PostgreSQL names them (information_schema.columns.data_type)
PG_TYPES = {
    pa.string(): "text",
    pa.int32(): "integer",
    pa.float64(): "double precision",
    pa.bool_(): "boolean",
    pa.timestamp("us"): "timestamp without time zone",
}
# NULL unquoted, every value quoted: an empty string stays an empty string
_CSV = pa_csv.WriteOptions(include_header=False, quoting_style="all_valid")


def _columns(schema: pa.Schema) -> list[tuple[str, str]]:
    return [(f.name, PG_TYPES[f.type]) for f in schema]


def _prepare(cur: Any, table: str, schema: pa.Schema) -> None:
    """`landing.<table>` empty, with the landing's columns; made again if they differ."""
    cur.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = %s and table_name = %s order by ordinal_position",
        [SCHEMA, table],
    )
    existing = [tuple(row) for row in cur.fetchall()]
    wanted = _columns(schema)
    if existing == wanted:
        cur.execute(f"truncate table {SCHEMA}.{table}")
        return
    if existing:
        cur.execute(f"drop table {SCHEMA}.{table} cascade")
    columns = ", ".join(f"{name} {kind}" for name, kind in wanted)
    cur.execute(f"create table {SCHEMA}.{table} ({columns})")


def _query(landing: Path, table: str, schema: pa.Schema) -> tuple[str, list[str]]:
    """The DuckDB query giving the rows to load, in the table's column order."""
    if table == "ledger":
        columns = ", ".join(f'"{name}"' for name in schema.names)
        return f"select {columns} from read_parquet(?)", [str(landing / "ledger.parquet")]
    columns = ", ".join(f'd."{name}"' for name in schema.names)
    return (
        f"select {columns} from read_parquet(?) as d "
        "inner join current_versions using (report_id, batch_id)",
        [str(landing / table / "*.parquet")],
    )


def _copy(cur: Any, table: str, schema: pa.Schema, batches: pa.RecordBatchReader) -> int:
    rows = 0
    names = ", ".join(schema.names)
    for batch in batches:
        if not batch.num_rows:
            continue
        buffer = io.BytesIO()
        pa_csv.write_csv(batch, buffer, _CSV)
        buffer.seek(0)
        cur.copy_expert(f"copy {SCHEMA}.{table} ({names}) from stdin with (format csv)", buffer)
        rows += batch.num_rows
    return rows


def load_landing(landing: Landing, settings: PostgresSettings) -> dict[str, int]:
    """Replace the tables of the `landing` schema with the landing's current rows; the rows
    loaded per table."""
    landing.init()
    tables = {"ledger": LEDGER_SCHEMA, **SCHEMAS}
    loaded = {}
    with duckdb.connect() as duck, settings.connect() as con, con.cursor() as cur:
        duck.execute(
            "create table current_versions as select distinct report_id, batch_id "
            "from read_parquet(?) where is_current and status = 'ok'",
            [str(landing.ledger_path)],
        )
        cur.execute(f"create schema if not exists {SCHEMA}")
        for table, schema in tables.items():
            _prepare(cur, table, schema)
            query, params = _query(landing.root, table, schema)
            batches = duck.sql(query, params=params).to_arrow_reader(CHUNK_ROWS)
            loaded[table] = _copy(cur, table, schema, batches)
        for table in tables:
            cur.execute(f"analyze {SCHEMA}.{table}")
    return loaded
