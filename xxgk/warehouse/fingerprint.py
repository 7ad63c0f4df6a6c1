"""The dbt project a warehouse (and its dbt docs) was made with, as one hash.

The largest models are built by report (macros/incremental.sql): a build adds new and changed
reports to rows an earlier build made. That holds only while those rows came from the same
models, macros and seeds (the rules catalog), so `build` compares this fingerprint with the one
it stored after the last complete build and runs a full refresh when they differ. The dbt docs
depend on the project and the warehouse's schema alone (the DuckDB catalog has no row counts),
so they are regenerated only when their fingerprint differs too.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from xxgk.atomic import replacing
from xxgk.warehouse.paths import PROJECT_DIR

# what the warehouse's rows and the docs are made from
PROJECT_PARTS = ("dbt_project.yml", "models", "macros", "seeds")


def project_fingerprint(project_dir: Path = PROJECT_DIR) -> str:
    """sha256 of dbt's version and every file of the project's models, macros and seeds."""
    from dbt.version import __version__ as dbt_version

    digest = hashlib.sha256(f"dbt {dbt_version}\0".encode())
    for part in PROJECT_PARTS:
        root = project_dir / part
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            digest.update(path.relative_to(project_dir).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def stored(path: Path) -> str | None:
    try:
        return path.read_text("ascii").strip()
    except (FileNotFoundError, UnicodeDecodeError):
        return None


def store(path: Path, fingerprint: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as tmp:
        tmp.write_text(fingerprint + "\n", "ascii")
