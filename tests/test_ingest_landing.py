"""The landing: incremental, idempotent, never half-loaded; built from ParseResults made here."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from xxgk.ingest import landing as landing_module
from xxgk.ingest.landing import Landing, find_reports
from xxgk.ingest.model import Fact, ParsedCell, ParseError, ParseResult, Problem, ReportMeta


def fake_parse(path: Path) -> ParseResult:
    """A report whose Table 4 review total is the file's number; "BAD" files do not parse."""
    data = path.read_bytes()
    text = data.decode()
    if text.startswith("BAD"):
        raise ParseError("not a report", where="line 1")
    n = int(text.split()[0])
    return ParseResult(
        ReportMeta("尖山区", 2025, "2021", str(path), "text", hashlib.sha256(data).hexdigest()),
        [
            ParsedCell("t4.review.total", n, str(n), "line 2", "number" if n else "zero"),
            ParsedCell("t4.review.pending", None, "/", "line 2", "mark"),
        ],
        [Fact("admin_review_cases", n, "件", f"行政复议{n}件", "line 1")],
        [Problem("unknown_row_label", "a row", "line 3")],
    )


def current(landing: Landing, table: str) -> list[tuple]:
    """What staging reads: rows of the ledger's current ok versions (the macro's logic)."""
    root = landing.root
    return duckdb.sql(
        f"""
        with cur as (
            select report_id, batch_id from (
                select report_id, batch_id, row_number() over (
                    partition by report_id order by ingested_at desc, batch_id desc) as n
                from read_parquet('{root}/ledger.parquet')
                where is_current and status = 'ok') where n = 1)
        select t.* exclude (batch_id) from read_parquet('{root}/{table}/*.parquet') t
        join cur using (report_id, batch_id) order by all
        """
    ).fetchall()


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def landing(tmp_path: Path) -> Landing:
    return Landing(tmp_path / "landing")


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path


def test_a_rerun_writes_nothing_and_a_change_replaces(landing: Landing, tmp_path: Path) -> None:
    src = tmp_path / "src"
    a, b = write(src, "a.txt", "1"), write(src, "b.txt", "2")
    first = landing.ingest([a, b], parse=fake_parse)
    assert [o.status for o in first.outcomes] == ["ingested", "ingested"]
    before = snapshot(landing.root)

    again = landing.ingest([a, b], parse=fake_parse)
    assert [o.status for o in again.outcomes] == ["skipped", "skipped"]
    assert snapshot(landing.root) == before  # not a byte written

    write(src, "a.txt", "5")
    changed = landing.ingest([a, b], parse=fake_parse)
    assert [o.status for o in changed.outcomes] == ["replaced", "skipped"]
    values = sorted(r[2] for r in current(landing, "cells") if r[1] == "t4.review.total")
    assert values == [2.0, 5.0]  # the old version of a.txt (1) is gone from what dbt reads
    ledger = landing.ledger().to_pylist()
    assert [(r["source_path"].endswith("a.txt"), r["is_current"]) for r in ledger] == [
        (True, False),
        (False, True),
        (True, True),
    ]


def test_a_failure_is_recorded_and_never_half_loaded(landing: Landing, tmp_path: Path) -> None:
    src = tmp_path / "src"
    good, bad = write(src, "good.txt", "3"), write(src, "bad.txt", "BAD")
    summary = landing.ingest([good, bad], parse=fake_parse)
    assert [o.status for o in summary.outcomes] == ["ingested", "failed"]
    assert summary.failed[0].reason == "not a report"
    failed = [r for r in landing.ledger().to_pylist() if r["status"] == "failed"]
    assert len(failed) == 1 and failed[0]["reason"] == "not a report"
    assert failed[0]["batch_id"] is None and failed[0]["source_locator"] == "line 1"
    assert {r[0] for r in current(landing, "reports")} == {failed[0]["report_id"]} ^ {
        r["report_id"] for r in landing.ledger().to_pylist()
    }
    # unchanged, it is not retried but still reported; a parser crash is a failure, not a stop
    before = snapshot(landing.root)
    assert landing.ingest([bad], parse=fake_parse).failed[0].reason == "not a report"
    assert snapshot(landing.root) == before
    crash = write(src, "crash.txt", "x")
    outcome = landing.ingest([crash], parse=fake_parse).outcomes[0]
    assert outcome.status == "failed" and outcome.reason.startswith("internal error: ValueError")


def test_the_same_content_twice_is_one_report(landing: Landing, tmp_path: Path) -> None:
    a = write(tmp_path / "x", "a.txt", "7")
    b = write(tmp_path / "y", "copy.txt", "7")
    summary = landing.ingest([a, b], parse=fake_parse)
    assert [o.status for o in summary.outcomes] == ["ingested", "duplicate"]
    assert len(current(landing, "reports")) == 1
    assert len(current(landing, "cells")) == 2


def test_every_table_lands_with_its_columns(landing: Landing, tmp_path: Path) -> None:
    landing.ingest([write(tmp_path, "a.txt", "0")], parse=fake_parse)
    (report,) = current(landing, "reports")
    assert report[1] == hashlib.sha256(b"0").hexdigest() and report[0] == report[1][:16]
    assert report[3:10] == ("尖山区", "尖山区人民政府", "人民政府", "230502", "exact", None, 2025)
    cells = current(landing, "cells")
    assert [(c[1], c[2], c[5]) for c in cells] == [
        ("t4.review.pending", None, "mark"),  # a mark is not a zero
        ("t4.review.total", 0.0, "zero"),
    ]
    assert len(current(landing, "facts")) == 1 and len(current(landing, "problems")) == 1


def test_a_killed_run_leaves_nothing_visible(landing: Landing, tmp_path: Path) -> None:
    a = write(tmp_path, "a.txt", "1")
    landing.ingest([a], parse=fake_parse)
    orphan = landing.root / "cells" / "20990101T000000-dead.parquet"
    rows = pq.read_table(landing.batch_files("cells")[0])
    dead = pa.array(["20990101T000000-dead"] * len(rows))
    pq.write_table(
        rows.set_column(rows.schema.get_field_index("batch_id"), "batch_id", dead), orphan
    )
    assert len(current(landing, "cells")) == 2  # rows of a batch the ledger never named
    landing.ingest([write(tmp_path, "b.txt", "2")], parse=fake_parse)
    assert not orphan.exists()


def test_compaction_keeps_only_current_rows(
    landing: Landing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(landing_module, "COMPACT_AFTER", 2)
    src = tmp_path / "src"
    for n in range(3):
        landing.ingest([write(src, "a.txt", str(n + 1))], parse=fake_parse)
    before = current(landing, "cells")
    assert len(landing.batch_files("cells")) == 1  # the third run folded them
    assert current(landing, "cells") == before
    assert [r[2] for r in before if r[1] == "t4.review.total"] == [3.0]
    assert duckdb.sql(f"select count(*) from '{landing.root}/cells/*.parquet'").fetchall() == [(2,)]


def test_find_reports_walks_folders(tmp_path: Path) -> None:
    write(tmp_path / "r" / "sub", "a.pdf", "x")
    write(tmp_path / "r", "README.md", "x")
    write(tmp_path / "r" / ".hidden", "b.txt", "x")
    write(tmp_path / "r", "notes.csv", "x")
    assert [p.name for p in find_reports([tmp_path / "r"])] == ["a.pdf"]
    with pytest.raises(FileNotFoundError):
        find_reports([tmp_path / "nope"])
