"""Shared paths and helpers. Tests may read ../shared (read-only material beside the clone)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "reports"
GOLDEN = Path(__file__).parent / "golden"
FIXTURES = Path(__file__).parent / "fixtures"
SHARED = ROOT.parent / "shared"

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")


def run_cli(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """The real `xxgk` command, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "xxgk", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )


def load_golden(name: str) -> dict:
    return json.loads((GOLDEN / name).read_text("utf-8"))


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"{SHARED} is missing: tests read the shared material beside the clone")
    return SHARED


# PostgreSQL tests (marked `postgres`) need a server: the XXGK_PG_* variables that
# scripts/pg-test-server prints. Without XXGK_PG_HOST they are deselected, unless
# XXGK_REQUIRE_POSTGRES=1 (CI sets it): then they run and fail, saying what is missing.
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("XXGK_PG_HOST") or os.environ.get("XXGK_REQUIRE_POSTGRES") == "1":
        return
    deselected = [i for i in items if i.get_closest_marker("postgres")]
    if deselected:
        items[:] = [i for i in items if not i.get_closest_marker("postgres")]
        config.hook.pytest_deselected(items=deselected)
