"""The warehouses xxgk builds and checks, one per dbt target of profiles.yml: `duckdb` (the
default), the embedded file HOME/xxgk.duckdb, and `postgres`, a PostgreSQL server named by the
XXGK_PG_* variables (postgres.py). The landing, dbt's output and the checks' outputs stay in the
home whichever the target."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import duckdb

from xxgk.warehouse.paths import Home
from xxgk.warehouse.postgres import PostgresSettings, PostgresWarehouse

TARGETS = ("duckdb", "postgres")
DEFAULT_TARGET = "duckdb"
TARGET_HELP = (
    "the dbt target of profiles.yml: duckdb (default, the file HOME/xxgk.duckdb) or postgres "
    "(the server the XXGK_PG_HOST, _PORT, _USER, _PASSWORD, _DATABASE and _SCHEMA variables name)"
)


@dataclass(frozen=True)
class DuckDBWarehouse:
    """The embedded warehouse: one DuckDB file."""

    path: Path
    target: ClassVar[str] = "duckdb"

    def describe(self) -> str:
        return str(self.path)

    def exists(self) -> bool:
        return self.path.is_file()

    def connect(self) -> duckdb.DuckDBPyConnection:
        return duckdb.connect(str(self.path))


Warehouse = DuckDBWarehouse | PostgresWarehouse


def warehouse_for(home: Home, target: str = DEFAULT_TARGET) -> Warehouse:
    """The warehouse `target` builds for `home`. Raises ValueError for an unknown target or bad
    XXGK_PG_* settings."""
    if target == "duckdb":
        return DuckDBWarehouse(home.warehouse)
    if target == "postgres":
        return PostgresWarehouse(PostgresSettings.from_env())
    raise ValueError(f"unknown target {target!r}: one of {', '.join(TARGETS)}")
