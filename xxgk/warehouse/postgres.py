"""The warehouse on a PostgreSQL server: where it is, from environment variables, and how xxgk's
own code connects to it (dbt reads the same variables in profiles.yml's `postgres` target).

| variable | default | |
|---|---|---|
| XXGK_PG_HOST | localhost | |
| XXGK_PG_PORT | 5432 | |
| XXGK_PG_USER | postgres | |
| XXGK_PG_PASSWORD | (none) | none for trust, peer or ~/.pgpass authentication |
| XXGK_PG_DATABASE | xxgk | one xxgk warehouse per database |
| XXGK_PG_SCHEMA | xxgk | dbt's models and seeds |

Beside the models' schema, the database holds the schemas `landing` (the landing's current rows,
loaded by `postgres_loader` before each build) and `checks` (the findings).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ClassVar

ENV_PREFIX = "XXGK_PG_"
PASSWORD_ENV = "XXGK_PG_PASSWORD"
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")


class WarehouseUnavailable(RuntimeError):
    """The PostgreSQL server could not be reached or refused the connection."""


@dataclass(frozen=True)
class PostgresSettings:
    host: str = "localhost"
    port: int = 5432
    user: str = "postgres"
    password: str = ""
    database: str = "xxgk"
    schema: str = "xxgk"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> PostgresSettings:
        """The settings the XXGK_PG_* variables give (the defaults above where one is unset)."""
        given = {
            name: environ[f"{ENV_PREFIX}{name.upper()}"]
            for name in ("host", "port", "user", "password", "database", "schema")
            if environ.get(f"{ENV_PREFIX}{name.upper()}")
        }
        if not given.get("port", "5432").isdigit():
            raise ValueError(f"{ENV_PREFIX}PORT must be a number, not {given['port']!r}")
        if not _IDENTIFIER.fullmatch(given.get("schema", "xxgk")):
            raise ValueError(f"{ENV_PREFIX}SCHEMA must be a lower-case SQL name")
        return cls(**{**given, "port": int(given.get("port", 5432))})

    def describe(self) -> str:
        return f"postgresql://{self.user}@{self.host}:{self.port}/{self.database} ({self.schema})"

    def sqlalchemy_url(self) -> str:
        """The URL GX's PostgreSQL data source connects with, the models' schema first on the
        search path. A password stays out of it: GX fills `${XXGK_PG_PASSWORD}` in from the
        environment when it connects, so it is never written into GX's configuration."""
        auth = f"{self.user}:${{{PASSWORD_ENV}}}" if self.password else self.user
        return (
            f"postgresql+psycopg2://{auth}@{self.host}:{self.port}/{self.database}"
            f"?options=-csearch_path%3D{self.schema}"
        )

    @contextmanager
    def connect(self) -> Iterator[Any]:
        """A psycopg2 connection with the models' schema first on the search path; committed
        when the block ends without an error, rolled back otherwise, and closed."""
        import psycopg2

        try:
            con = psycopg2.connect(
                host=self.host,
                port=self.port,
                user=self.user,
                password=self.password or None,
                dbname=self.database,
                options=f"-csearch_path={self.schema}",
                application_name="xxgk",
            )
        except psycopg2.OperationalError as e:
            reason = str(e).strip().splitlines()[0]
            raise WarehouseUnavailable(f"cannot connect to {self.describe()}: {reason}") from None
        try:
            with con:  # commit or roll back
                yield con
        finally:
            con.close()


@dataclass(frozen=True)
class PostgresWarehouse:
    """The warehouse dbt builds with `--target postgres`."""

    settings: PostgresSettings
    target: ClassVar[str] = "postgres"

    def describe(self) -> str:
        return self.settings.describe()

    def exists(self) -> bool:
        """Whether a build has made the marts (dim_reports) in the models' schema. Raises
        WarehouseUnavailable when the server cannot be reached."""
        with self.settings.connect() as con, con.cursor() as cur:
            cur.execute(
                "select 1 from information_schema.tables "
                "where table_schema = %s and table_name = 'dim_reports'",
                [self.settings.schema],
            )
            return cur.fetchone() is not None

    def connect(self) -> Any:
        return self.settings.connect()
