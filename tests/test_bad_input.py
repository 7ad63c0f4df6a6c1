"""Bad input: one clear line (file: reason) on stderr, exit status 2, the rest of the batch
still parsed, and never a traceback."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli

SEED = SAMPLES / "000_c3b0ef98b8a3f889.txt"


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


BAD = {
    "empty.txt": (b"", "empty file"),
    "garbage.bin": (bytes(range(256)) * 64, "binary data"),
    "photo.txt": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "an image"),
    "notes.txt": ("会议纪要\n今天讨论了三件事。\n".encode(), "not a recognised annual report"),
    "old.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "legacy Word"),
    "archive.docx": (_zip({"a.txt": b"x"}), "no word/document.xml"),
    "broken.docx": (b"PK\x03\x04" + b"\x00" * 50, "corrupt zip"),
    "old-format-2018.txt": (
        "某某县人民政府2018年政府信息公开工作年度报告\n一、概述\n本年度主动公开政府信息1200条。\n".encode(),
        "pre-2019 format",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_file_is_refused_clearly(tmp_path: Path, name: str) -> None:
    data, reason = BAD[name]
    path = tmp_path / name
    path.write_bytes(data)
    proc = run_cli("parse", path)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"xxgk: {path}: ") and reason in lines[0], lines[0]
    assert "Traceback" not in proc.stderr


def test_missing_file_is_refused(tmp_path: Path) -> None:
    proc = run_cli("parse", tmp_path / "nope.txt")
    assert proc.returncode == 2 and "cannot read" in proc.stderr


def test_batch_goes_on_after_a_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    proc = run_cli("parse", bad, SEED, "--json")
    assert proc.returncode == 2
    data = json.loads(proc.stdout)
    assert len(data) == 1 and data[0]["report"]["body"] == "尖山区"
    assert "bad.txt: empty file" in proc.stderr


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-16", "utf-8-sig"])
def test_text_in_other_encodings_reads_the_same(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / f"seed-{encoding}.txt"
    path.write_bytes(SEED.read_text("utf-8").encode(encoding))
    proc = run_cli("parse", path, "--json")
    assert proc.returncode == 0, proc.stderr
    cells = {c["code"]: c["value"] for c in json.loads(proc.stdout)["cells"]}
    assert cells["t2.license.decisions"] == 636 and cells["t4.suit_after_review.total"] == 3
