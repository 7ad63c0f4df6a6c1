"""What a file is, decided from its bytes (the extension is only a hint), and its text."""

from __future__ import annotations

import codecs
import re
import zipfile
from io import BytesIO

from charset_normalizer import from_bytes

from xxgk.ingest.model import ParseError

MAX_BYTES = 64 * 1024 * 1024  # no real report comes near this; a larger file is refused
# decoded text forms: a report's text is well under 100,000 characters; the tokens, and so the
# time and memory a parse takes, grow with it (a million characters: seconds, not minutes)
MAX_TEXT_CHARS = 1_000_000
_HTML = re.compile(rb"<\s*(?:!doctype\s+html|html|body|table|div|p)[\s>]", re.IGNORECASE)
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def check_size(size: int) -> None:
    """Refuse a file larger than MAX_BYTES (before reading it, where the size is known)."""
    if size > MAX_BYTES:
        raise ParseError(f"file too large ({size // 2**20} MiB > {MAX_BYTES // 2**20} MiB)")


def sniff(data: bytes) -> str:
    """docx | pdf | html | text; ParseError for what no reader can take."""
    if not data.strip():
        raise ParseError("empty file")
    check_size(len(data))
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(BytesIO(data)).namelist()
        except zipfile.BadZipFile as e:
            raise ParseError(f"corrupt zip/DOCX container: {e}") from None
        if "word/document.xml" not in names:
            raise ParseError("a zip archive, not a DOCX report (no word/document.xml)")
        return "docx"
    if data.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ParseError("legacy Word/Excel (OLE2 .doc/.xls) is not supported: save as DOCX")
    if data.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")):
        raise ParseError("an image, not a report (a scanned page has no text to read)")
    head = data[:8192]
    if head.startswith(b"\xff\xfe") or head.startswith(b"\xfe\xff"):
        head = decode_text(data[:8192]).encode("utf-8", "replace")
    if _HTML.search(head):
        return "html"
    return "text"


def decode_text(data: bytes) -> str:
    """Text in UTF-8, UTF-16 (BOM) or the GB family (read as GB18030, their superset)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise ParseError("binary data, not text in any known encoding")
    return str(best)


def check_text(text: str) -> None:
    """Refuse text far longer than any report, and binary garbage that happened to decode."""
    if len(text) > MAX_TEXT_CHARS:
        raise ParseError(
            f"text too long for an annual report ({len(text):,} characters > {MAX_TEXT_CHARS:,})"
        )
    sample = text[:20000]
    bad = len(_CONTROL.findall(sample))
    if bad > max(8, len(sample) // 50):
        raise ParseError("binary data, not text (control characters throughout)")
