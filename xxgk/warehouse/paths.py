"""Where things live: the dbt project (the repository root) and the home of generated data.

The home holds the landing (`landing/`), the DuckDB warehouse (`xxgk.duckdb`) and dbt's own
output (`dbt/target`, `dbt/logs`). It is `--home`, else $XXGK_HOME, else `out/` in the
repository; profiles.yml and the landing source read the same $XXGK_HOME (default `out`), so a
plain `dbt build` run from the repository root sees what `xxgk ingest` landed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
HOME_ENV = "XXGK_HOME"


@dataclass(frozen=True)
class Home:
    root: Path

    @classmethod
    def resolve(cls, home: Path | str | None = None) -> Home:
        """`home`, else $XXGK_HOME, else out/ in the repository; relative paths from the cwd."""
        chosen = home or os.environ.get(HOME_ENV) or PROJECT_DIR / "out"
        return cls(Path(chosen).resolve())

    @property
    def landing(self) -> Path:
        return self.root / "landing"

    @property
    def warehouse(self) -> Path:
        return self.root / "xxgk.duckdb"

    @property
    def dbt_target(self) -> Path:
        return self.root / "dbt" / "target"

    @property
    def dbt_logs(self) -> Path:
        return self.root / "dbt" / "logs"

    def built_with(self, target: str) -> Path:
        """The project fingerprint of the last complete build on `target` (fingerprint.py)."""
        return self.root / "dbt" / f"built-{target}.sha256"

    @property
    def docs_made_with(self) -> Path:
        """The project fingerprint and target of the dbt docs in dbt/target."""
        return self.dbt_target / "static_index.sha256"
