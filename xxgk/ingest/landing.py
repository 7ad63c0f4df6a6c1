"""The landing: parsed reports as Parquet batches plus a ledger, the warehouse's only input.

Layout under the landing folder::

    ledger.parquet                   every ingest of every file: path, sha256, status, is_current…
    reports/<batch>.parquet          one row per report (metadata, resolved body)
    cells/<batch>.parquet            one row per report × template cell
    facts/<batch>.parquet            narrative figures
    problems/<batch>.parquet         parse problems
    <table>/empty.parquet            zero rows: fixes the schema, so a fresh landing reads

One run of `ingest` writes at most one batch file per table, however many reports it holds, so
dbt globs a few files, not one per report; `compact` folds the batches into one when they pile
up. Batch files are written under a temporary name and renamed; the ledger is then replaced in
one rename, which is the commit: a killed run leaves files no ledger row points at, and the
warehouse reads only the (report_id, batch_id) pairs of current ledger rows, so it never sees a
half-loaded report, nor the superseded version of a changed file.

A file whose path, content (sha256) and parser version are unchanged is skipped (a failed one is
reported as failed again, not re-parsed); a run that skips everything writes nothing. A changed
file gets a new current ledger row and the old one stops being current. A file that cannot be
parsed gets a `failed` ledger row with the reason and no data. The same content under a second
path is not landed twice: its ledger row points at the batch that already holds it.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import secrets
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from xxgk.atomic import replacing
from xxgk.ingest.model import ParseError, ParseResult, ReportMeta, shown
from xxgk.warehouse.divisions import resolve_body

SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".pdf"})
COMPACT_AFTER = 64  # batch files per table before an ingest folds them into one
FLUSH_ROWS = 50_000
CHUNK_FILES = 64  # files a parsing process takes at once
EMPTY = "empty.parquet"

_STR, _INT, _FLOAT, _BOOL = pa.string(), pa.int32(), pa.float64(), pa.bool_()
_TS = pa.timestamp("us")  # UTC
SCHEMAS: dict[str, pa.Schema] = {
    "reports": pa.schema(
        [
            ("report_id", _STR), ("batch_id", _STR), ("sha256", _STR), ("source_path", _STR),
            ("body", _STR), ("body_name_normalised", _STR), ("body_kind", _STR),
            ("division_code", _STR), ("division_match", _STR), ("division_candidates", _STR),
            ("report_year", _INT), ("template", _STR), ("form", _STR), ("title", _STR),
            ("parser_version", _STR), ("parsed_at", _TS),
        ]
    ),
    "cells": pa.schema(
        [
            ("report_id", _STR), ("batch_id", _STR), ("cell_code", _STR), ("value", _FLOAT),
            ("raw_text", _STR), ("source_locator", _STR), ("value_status", _STR),
            ("value_method", _STR), ("inferred_from", _STR), ("cell_index", _INT),
        ]
    ),
    "facts": pa.schema(
        [
            ("report_id", _STR), ("batch_id", _STR), ("fact_index", _INT), ("fact_name", _STR),
            ("value", _FLOAT), ("unit", _STR), ("sentence", _STR), ("source_locator", _STR),
        ]
    ),
    "problems": pa.schema(
        [
            ("report_id", _STR), ("batch_id", _STR), ("problem_index", _INT),
            ("problem_kind", _STR), ("message", _STR), ("source_locator", _STR),
            ("cell_code", _STR),
        ]
    ),
}  # fmt: skip
TABLES = tuple(SCHEMAS)
LEDGER_SCHEMA = pa.schema(
    [
        ("source_path", _STR), ("sha256", _STR), ("report_id", _STR), ("batch_id", _STR),
        ("status", _STR), ("reason", _STR), ("source_locator", _STR), ("body", _STR),
        ("report_year", _INT), ("template", _STR), ("form", _STR), ("cell_count", _INT),
        ("fact_count", _INT), ("problem_count", _INT), ("parser_version", _STR),
        ("ingested_at", _TS), ("is_current", _BOOL),
    ]
)  # fmt: skip

Parser = Callable[[Path], ParseResult]
Progress = Callable[["FileOutcome", int, int], None]


def report_id_for(sha256: str) -> str:
    """A report's stable id: the first 16 hex digits of its content's sha256."""
    return sha256[:16]


@dataclass(frozen=True)
class FileOutcome:
    path: Path
    status: str  # ingested | replaced | duplicate | skipped | failed (now or unchanged since)
    reason: str | None = None


@dataclass
class IngestSummary:
    outcomes: list[FileOutcome] = field(default_factory=list)
    batch_id: str | None = None
    compacted: bool = False

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]


def find_reports(paths: Iterable[Path], skipped: list[FileOutcome] | None = None) -> list[Path]:
    """Report files among `paths`: files as given, folders searched recursively for the forms the
    parser reads (README files and hidden files skipped). Nothing outside the inputs is read: a
    symlink in a folder that points outside it is left out, and appended to `skipped` with the
    reason (symlinked folders are not followed). Raises FileNotFoundError."""
    found: list[Path] = []
    for p in paths:
        if p.is_file():
            found.append(p)
        elif p.is_dir():
            top = p.resolve()
            for f in sorted(p.rglob("*")):
                if not (
                    f.is_file()
                    and f.suffix.lower() in SUFFIXES
                    and not f.name.upper().startswith("README")
                    and not any(part.startswith(".") for part in f.relative_to(p).parts)
                ):
                    continue
                if not f.is_symlink() or f.resolve().is_relative_to(top):
                    found.append(f)
                elif skipped is not None:
                    reason = f"a symlink to a file outside {shown(p)}"
                    skipped.append(FileOutcome(f, "skipped", reason))
        else:
            raise FileNotFoundError(str(p))
    return list(dict.fromkeys(_resolved_all(found)))


def _resolved_all(paths: Iterable[Path]) -> list[Path]:
    """`path.resolve()` of each, resolving each folder once: a folder of 10,000 reports
    otherwise costs an lstat per path component per file (seconds for a nightly that skips
    them all)."""
    folders: dict[Path, Path] = {}
    resolved = []
    for path in paths:
        if path.is_symlink():
            resolved.append(path.resolve())
            continue
        folder = path.absolute().parent
        if folder not in folders:
            folders[folder] = folder.resolve()
        resolved.append(folders[folder] / path.name)
    return resolved


def _parse_one(parse: Parser, path: Path) -> ParseResult | tuple[str, str | None]:
    """A parse result, or (reason, where) for a file that failed; never raises."""
    try:
        return parse(path)
    except ParseError as e:
        return e.reason, e.where
    except Exception as e:  # a parser bug must not stop a 100,000-file run
        return f"internal error: {type(e).__name__}: {e}", None


def _default_parser() -> Parser:
    from xxgk.ingest.parse import parse_file

    return parse_file


def _parser_version() -> str:
    import xxgk
    from xxgk.ingest import parse

    return f"{xxgk.__version__}+{parse.PARSER_VERSION}"


class _BatchWriter:
    """Rows of one table for one batch (Arrow tables as the parsing processes built them),
    flushed as row groups into a temporary file."""

    def __init__(self, folder: Path, schema: pa.Schema, batch_id: str) -> None:
        self.final = folder / f"{batch_id}.parquet"
        self.tmp = folder / f".{batch_id}.parquet.tmp"
        self.schema = schema
        self.pending: list[pa.Table] = []
        self.rows = 0
        self.writer: pq.ParquetWriter | None = None

    def add(self, table: pa.Table) -> None:
        self.pending.append(table)
        self.rows += table.num_rows
        if self.rows >= FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        if self.writer is None:
            self.writer = pq.ParquetWriter(self.tmp, self.schema, compression="zstd")
        self.writer.write_table(pa.concat_tables(self.pending))
        self.pending, self.rows = [], 0

    def finish(self) -> None:
        self.flush()
        if self.writer is not None:
            self.writer.close()
            os.replace(self.tmp, self.final)

    def abandon(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.tmp.unlink(missing_ok=True)


def _rows(result: ParseResult, report_id: str, batch_id: str, version: str, now: datetime):
    r = result.report
    body = resolve_body(r.body) if r.body else None
    division = body.division if body else None
    base = {"report_id": report_id, "batch_id": batch_id}
    yield (
        "reports",
        [
            {
                **base,
                "sha256": r.sha256,
                "source_path": r.source_path,
                "body": r.body,
                "body_name_normalised": body.name_normalised if body else None,
                "body_kind": body.kind if body else None,
                "division_code": division.adcode if division else None,
                "division_match": body.match if body else None,
                "division_candidates": " ".join(body.candidates)
                if body and body.candidates
                else None,
                "report_year": r.year,
                "template": r.template,
                "form": r.form,
                "title": r.title,
                "parser_version": version,
                "parsed_at": now,
            }
        ],
    )
    yield (
        "cells",
        [
            {
                **base,
                "cell_code": c.code,
                "value": None if c.value is None else float(c.value),
                "raw_text": c.raw,
                "source_locator": c.where,
                "value_status": c.status,
                "value_method": c.method,
                # ",rule_a,rule_b," so SQL can test membership portably with LIKE
                "inferred_from": f",{','.join(c.inferred_from)}," if c.inferred_from else "",
                "cell_index": i,
            }
            for i, c in enumerate(result.cells)
        ],
    )
    yield (
        "facts",
        [
            {
                **base,
                "fact_index": i,
                "fact_name": f.name,
                "value": float(f.value),
                "unit": f.unit,
                "sentence": f.sentence,
                "source_locator": f.where,
            }
            for i, f in enumerate(result.facts)
        ],
    )
    yield (
        "problems",
        [
            {
                **base,
                "problem_index": i,
                "problem_kind": p.kind,
                "message": p.message,
                "source_locator": p.where,
                "cell_code": p.cell,
            }
            for i, p in enumerate(result.problems)
        ],
    )


@dataclass(frozen=True)
class _Parsed:
    """What the ledger needs of a parsed file; its landing rows travel in its chunk's tables."""

    report: ReportMeta
    rows: dict[str, int]  # landing rows per table


@dataclass
class _Chunk:
    """Files parsed in one task: each file's outcome, and the landing rows of those that parsed
    as one Arrow table per landing table (each file's rows contiguous, in file order)."""

    outcomes: list[_Parsed | tuple[str, str | None]]
    tables: dict[str, pa.Table]

    def kept(self, keep: list[bool]) -> dict[str, pa.Table]:
        """The tables without the rows of files not kept (content that already landed)."""
        if all(keep):
            return self.tables
        out = {}
        for table, rows in self.tables.items():
            parts, offset = [], 0
            for outcome, kept in zip(self.outcomes, keep, strict=True):
                n = outcome.rows[table] if isinstance(outcome, _Parsed) else 0
                if kept and n:
                    parts.append(rows.slice(offset, n))
                offset += n
            out[table] = pa.concat_tables(parts) if parts else rows.slice(0, 0)
        return out


def _land_chunk(
    parse: Parser, paths: list[Path], batch_id: str, version: str, now: datetime
) -> _Chunk:
    """Parse files and build their landing rows where they were parsed (a worker process):
    only Arrow tables travel back to the ingesting process, not parse results object by object
    (pickling those cost more than half of a 10,000-file ingest)."""
    outcomes: list[_Parsed | tuple[str, str | None]] = []
    rows: dict[str, list[dict[str, object]]] = {t: [] for t in TABLES}
    for path in paths:
        result = _parse_one(parse, path)
        if not isinstance(result, ParseResult):
            outcomes.append(result)
            continue
        counts = {}
        rid = report_id_for(result.report.sha256)
        for table, table_rows in _rows(result, rid, batch_id, version, now):
            rows[table] += table_rows
            counts[table] = len(table_rows)
        outcomes.append(_Parsed(result.report, counts))
    return _Chunk(outcomes, {t: pa.Table.from_pylist(r, SCHEMAS[t]) for t, r in rows.items()})


class Landing:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.ledger_path = root / "ledger.parquet"

    def init(self) -> None:
        """Create the folders, the empty schema files and an empty ledger where missing."""
        for table, schema in SCHEMAS.items():
            folder = self.root / table
            folder.mkdir(parents=True, exist_ok=True)
            if not (folder / EMPTY).exists():
                self._write_atomic(schema.empty_table(), folder / EMPTY)
        if not self.ledger_path.exists():
            self._write_atomic(LEDGER_SCHEMA.empty_table(), self.ledger_path)

    @staticmethod
    def _write_atomic(table: pa.Table, path: Path) -> None:
        with replacing(path) as tmp:
            pq.write_table(table, tmp, compression="zstd")

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.init()
        with open(self.root / ".lock", "w") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise RuntimeError(f"another ingest holds {self.root}") from None
            yield

    def ledger(self) -> pa.Table:
        self.init()
        return pq.read_table(self.ledger_path, schema=LEDGER_SCHEMA)

    def batch_files(self, table: str) -> list[Path]:
        return sorted(p for p in (self.root / table).glob("*.parquet") if p.name != EMPTY)

    def ingest(
        self,
        files: Iterable[Path],
        parse: Parser | None = None,
        progress: Progress | None = None,
        jobs: int = 1,
    ) -> IngestSummary:
        """Land every file that is new or changed; see the module docstring."""
        files = _resolved_all(map(Path, files))
        parse = parse or _default_parser()
        version = _parser_version()
        summary = IngestSummary()
        with self._locked():
            ledger = self.ledger().to_pylist()
            current = {r["source_path"]: r for r in ledger if r["is_current"]}
            landed = {
                r["sha256"]: r
                for r in current.values()
                if r["status"] == "ok" and r["parser_version"] == version
            }
            todo: list[tuple[Path, str]] = []
            new_rows: list[dict[str, object]] = []
            now = datetime.now(UTC).replace(tzinfo=None)
            for path in files:
                try:
                    with path.open("rb") as fh:  # in chunks: a huge file is refused, not loaded
                        sha = hashlib.file_digest(fh, "sha256").hexdigest()
                except OSError as e:
                    reason = f"cannot read: {e.strerror or e}"
                    row = self._ledger_row(path, "", version, now, None, None)
                    new_rows.append({**row, "reason": reason})
                    summary.outcomes.append(FileOutcome(path, "failed", reason))
                    if progress:
                        progress(summary.outcomes[-1], len(summary.outcomes), len(files))
                    continue
                before = current.get(str(path))
                if before and before["sha256"] == sha and before["parser_version"] == version:
                    reason = before["reason"]  # a failed file stays failed until it changes
                    status = "failed" if before["status"] == "failed" else "skipped"
                    summary.outcomes.append(FileOutcome(path, status, reason))
                elif sha in landed:
                    new_rows.append({**landed[sha], "source_path": str(path), "ingested_at": now})
                    summary.outcomes.append(FileOutcome(path, "duplicate"))
                else:
                    todo.append((path, sha))
                    continue
                if progress:
                    progress(summary.outcomes[-1], len(summary.outcomes), len(files))
            batch_id = f"{now:%Y%m%dT%H%M%S}-{secrets.token_hex(4)}"
            writers = {t: _BatchWriter(self.root / t, s, batch_id) for t, s in SCHEMAS.items()}
            try:
                for chunk_todo, chunk in self._parse_chunks(
                    parse, todo, jobs, batch_id, version, now
                ):
                    keep = []
                    for (path, sha), result in zip(chunk_todo, chunk.outcomes, strict=True):
                        replaced = str(path) in current
                        keep.append(True)
                        if isinstance(result, _Parsed):
                            sha = result.report.sha256
                            if sha in landed:  # the same content twice in this run
                                new_rows.append({**landed[sha], "source_path": str(path)})
                                outcome = FileOutcome(path, "duplicate")
                                keep[-1] = False
                            else:
                                row = self._ledger_row(path, sha, version, now, result, batch_id)
                                landed[sha] = row
                                new_rows.append(row)
                                outcome = FileOutcome(path, "replaced" if replaced else "ingested")
                        else:
                            reason, where = result
                            row = self._ledger_row(path, sha, version, now, None, None)
                            new_rows.append({**row, "reason": reason, "source_locator": where})
                            outcome = FileOutcome(path, "failed", reason)
                        summary.outcomes.append(outcome)
                        if progress:
                            progress(outcome, len(summary.outcomes), len(files))
                    for table, rows in chunk.kept(keep).items():
                        if rows.num_rows:
                            writers[table].add(rows)
                for w in writers.values():
                    w.finish()
            except BaseException:
                for w in writers.values():
                    w.abandon()
                raise
            order = {p: i for i, p in enumerate(files)}
            summary.outcomes.sort(key=lambda o: order[o.path])
            if not new_rows:
                return summary  # nothing changed: nothing written
            if any(w.writer for w in writers.values()):
                summary.batch_id = batch_id
            changed = {r["source_path"] for r in new_rows}
            kept = [
                {**r, "is_current": False} if r["source_path"] in changed else r for r in ledger
            ]
            self._write_atomic(
                pa.Table.from_pylist(kept + new_rows, LEDGER_SCHEMA), self.ledger_path
            )
            self._remove_orphans()
            if len(self.batch_files("cells")) > COMPACT_AFTER:
                self._compact()
                summary.compacted = True
        return summary

    @staticmethod
    def _ledger_row(
        path: Path,
        sha: str,
        version: str,
        now: datetime,
        result: _Parsed | None,
        batch_id: str | None,
    ) -> dict[str, object]:
        r = result.report if result else None
        return {
            "source_path": str(path),
            "sha256": sha or None,
            "report_id": report_id_for(sha) if sha else None,
            "batch_id": batch_id,
            "status": "ok" if result else "failed",
            "reason": None,
            "source_locator": None,
            "body": r.body if r else None,
            "report_year": r.year if r else None,
            "template": r.template if r else None,
            "form": r.form if r else None,
            "cell_count": result.rows["cells"] if result else None,
            "fact_count": result.rows["facts"] if result else None,
            "problem_count": result.rows["problems"] if result else None,
            "parser_version": version,
            "ingested_at": now,
            "is_current": True,
        }

    @staticmethod
    def _parse_chunks(
        parse: Parser,
        todo: list[tuple[Path, str]],
        jobs: int,
        batch_id: str,
        version: str,
        now: datetime,
    ) -> Iterator[tuple[list[tuple[Path, str]], _Chunk]]:
        """(files, their chunk) in order; chunks of up to CHUNK_FILES files, four per process
        at least, so every process stays busy to the end."""
        size = max(1, min(CHUNK_FILES, len(todo) // (4 * jobs)))
        chunks = [todo[i : i + size] for i in range(0, len(todo), size)]
        args = [[p for p, _ in c] for c in chunks]
        if jobs <= 1 or len(chunks) < 2:
            for chunk, paths in zip(chunks, args, strict=True):
                yield chunk, _land_chunk(parse, paths, batch_id, version, now)
            return
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            n = len(chunks)
            results = pool.map(_land_chunk, [parse] * n, args, [batch_id] * n, [version] * n,
                               [now] * n)  # fmt: skip
            yield from zip(chunks, results, strict=True)

    def compact(self) -> None:
        """Fold every batch into one holding only current reports."""
        with self._locked():
            self._compact()

    def _compact(self) -> None:
        batch_id = f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{secrets.token_hex(4)}-compacted"
        old = {t: self.batch_files(t) for t in TABLES}
        with duckdb.connect() as con:
            self._compact_into(con, batch_id, old)
        ledger = pq.read_table(self.ledger_path, schema=LEDGER_SCHEMA).to_pylist()
        for r in ledger:
            if r["is_current"] and r["status"] == "ok":
                r["batch_id"] = batch_id
        self._write_atomic(pa.Table.from_pylist(ledger, LEDGER_SCHEMA), self.ledger_path)
        for files in old.values():
            for p in files:
                p.unlink()

    def _compact_into(
        self, con: duckdb.DuckDBPyConnection, batch_id: str, old: dict[str, list[Path]]
    ) -> None:
        """One file per table holding the current rows of all `old` batch files."""
        con.execute(
            "create table cur as select distinct report_id, batch_id from read_parquet(?) "
            "where is_current and status = 'ok'",
            [str(self.ledger_path)],
        )
        for table in TABLES:
            if not old[table]:
                continue
            final = self.root / table / f"{batch_id}.parquet"
            tmp = final.with_name(f".{final.name}.tmp")
            columns = ", ".join(
                f"'{batch_id}' as batch_id" if c == "batch_id" else f'd."{c}"'
                for c in SCHEMAS[table].names
            )
            con.execute(
                f"copy (select {columns} from read_parquet(?) d "
                "join cur using (report_id, batch_id)) to "
                f"'{tmp}' (format parquet, compression zstd)",
                [[str(p) for p in old[table]]],
            )
            os.replace(tmp, final)

    def _remove_orphans(self) -> None:
        """Batch files of runs that died before their ledger was written."""
        referenced = {r for r in self.ledger().column("batch_id").to_pylist() if r}
        for table in TABLES:
            for p in self.batch_files(table):
                if p.stem not in referenced:
                    p.unlink()
            for p in (self.root / table).glob(".*.tmp"):
                p.unlink()
