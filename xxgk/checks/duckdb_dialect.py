"""The one patch GX needs on this stack: a read-only duckdb-engine dialect without transactions.

GX 1.24 has no DuckDB data source; through SQLAlchemy and duckdb-engine every metric fails (GX
issues 10738 and 11579). `SqlAlchemyExecutionEngine.execute_query` returns its result after the
`with engine.connect()` block has closed, and closing rolls back. duckdb-engine issues that
ROLLBACK (and its explicit BEGIN) on the very DuckDB connection that holds the pending result, so
the result is gone before GX fetches it. Validation only reads, from a file opened read-only: an
explicit transaction buys nothing there, so this dialect makes begin, commit and rollback no-ops
and every statement runs in DuckDB's autocommit.

It is registered under its own name (`duckdb+xxgk_readonly://`) instead of patching
duckdb-engine in place, so dbt and everything else that uses duckdb-engine is left as it is.
It also remembers the connections it opens: GX keeps engines in several objects (the data
source it tests on creation, each validation's own copy), and DuckDB refuses to open the file
for writing while any of them holds it, so `close_all()` closes them wherever they are pooled.
"""

from __future__ import annotations

import os
import weakref
from pathlib import Path
from typing import Any

import duckdb_engine
from sqlalchemy.dialects import registry

DRIVER = "xxgk_readonly"
_opened: weakref.WeakSet[Any] = weakref.WeakSet()


class ReadOnlyDuckDBDialect(duckdb_engine.Dialect):
    """duckdb-engine for reading only: no BEGIN, COMMIT or ROLLBACK reaches DuckDB."""

    # SQLAlchemy asks every dialect class to declare this itself; the parent's answer holds.
    supports_statement_cache = duckdb_engine.Dialect.supports_statement_cache

    def connect(self, *cargs: Any, **cparams: Any) -> Any:
        connection = super().connect(*cargs, **cparams)
        _opened.add(connection)
        return connection

    def do_begin(self, dbapi_connection: Any) -> None:
        pass

    def do_commit(self, dbapi_connection: Any) -> None:
        pass

    def do_rollback(self, dbapi_connection: Any) -> None:
        pass


MEMORY_LIMIT_ENV = "XXGK_DUCKDB_MEMORY_LIMIT"
MEMORY_LIMIT_DEFAULT = "1300MB"

registry.register(f"duckdb.{DRIVER}", __name__, ReadOnlyDuckDBDialect.__name__)


def connection_string(database: Path) -> str:
    """SQLAlchemy URL opening `database` read-only through the dialect above, with DuckDB's
    memory bounded as the dbt profile bounds it (profiles.yml, the same variable and default)."""
    memory = os.environ.get(MEMORY_LIMIT_ENV, MEMORY_LIMIT_DEFAULT)
    return (
        f"duckdb+{DRIVER}:///{database.resolve()}?access_mode=read_only"
        f"&memory_limit={memory}&preserve_insertion_order=false"
    )


def close_all() -> None:
    """Close every DuckDB connection this dialect opened and has not closed yet."""
    for connection in list(_opened):
        if not connection.closed:
            connection.close()
