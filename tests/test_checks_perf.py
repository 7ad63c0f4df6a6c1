"""The GX stage costs at most 3× hand-written DuckDB SQL computing the same checks, on a
warehouse large enough for the per-report work to dominate GX's fixed start-up. Slow (a
1.2-million-cell warehouse): runs when XXGK_BENCH is set, e.g. `XXGK_BENCH=2000 scripts/test -k
perf` (2000 bodies × 3 years)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from time import perf_counter

import duckdb
import pytest
from test_checks_support import build

BODIES = int(os.environ.get("XXGK_BENCH") or 0)

pytestmark = pytest.mark.skipif(not BODIES, reason="set XXGK_BENCH=<bodies> to run")


def _floor(db: Path, suites: dict[str, dict]) -> float:
    """The same rule queries, and GX's own checks written by hand, on one DuckDB connection."""
    from xxgk.checks.plugin import BY_KIND

    types = {cls.expectation_type: cls for cls in BY_KIND.values()}
    start = perf_counter()
    with duckdb.connect(str(db), read_only=True) as con:
        for suite in suites.values():
            table = suite["meta"]["xxgk"]["asset"]
            for e in suite["expectations"]:
                if e["type"] in types:
                    query = types[e["type"]](**e["kwargs"]).query()
                    con.execute(query.replace("{batch}", table)).fetchall()
        for sql in (
            "select report_id, cell_code from fct_disclosure_cells "
            "group by all having count(*) > 1",
            "select report_id, cell_code, table_code from fct_disclosure_cells "
            "where value < 0 and column_code <> 'change'",
            "select report_id, cell_code from fct_disclosure_cells where value_status not in "
            "('number', 'zero', 'blank', 'mark', 'invalid', 'missing') "
            "or template not in ('2021', '2019')",
        ):
            con.execute(sql).fetchall()
    return perf_counter() - start


def test_gx_stage_within_three_times_the_sql_floor(tmp_path: Path) -> None:
    from xxgk.checks.checkpoint import add_checkpoint, open_context
    from xxgk.checks.duckdb_dialect import close_all
    from xxgk.checks.suites import build_suites

    db = build(BODIES).write(tmp_path / "xxgk.duckdb")
    suites = build_suites()
    floor = min(_floor(db, suites) for _ in range(2))
    checkpoint = add_checkpoint(open_context(tmp_path), db, suites)
    start = perf_counter()
    checkpoint.run()
    gx = perf_counter() - start
    close_all()
    shutil.rmtree(tmp_path / "gx")
    print(f"GX {gx:.2f}s (Data Docs included), SQL floor {floor:.2f}s, ratio {gx / floor:.2f}")
    assert gx <= 3 * floor
