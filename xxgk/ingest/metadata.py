"""Report metadata from the text: the issuing body and the report year."""

from __future__ import annotations

import re
from dataclasses import dataclass

from xxgk.ingest.model import Document

_CN_DIGITS = str.maketrans("〇○零一二三四五六七八九", "00012345678" + "9")
_YEAR = r"(?P<year>(?:19|20)\d{2}|[〇○零一二][〇○零一二三四五六七八九]{3})"
# "<body><year>年(度)政府信息公开(工作)年度报告"; the body is CJK words and brackets only. No two
# runs of white space are adjacent: a long run would backtrack quadratically at every start.
_TITLE = re.compile(
    r"(?P<body>[\u4e00-\u9fff（）()·]{2,40}?)\s*(?:关于\s*)?" + _YEAR + r"\s*年度?\s*"
    r"(?:的)?(?:政府|政务)?信息公开(?:工作)?(?:年度)?(?:报告|年报)"
)
_PERIOD = re.compile(_YEAR + r"\s*年\s*1\s*月\s*1\s*日\s*(?:起\s*)?至\s*(?P=year)\s*年\s*12\s*月")
_ANY_TITLE_YEAR = re.compile(_YEAR + r"\s*年度?\s*(?:政府|政务)?信息公开(?:工作)?(?:年度)?报告")
_LEADING_NOISE = re.compile(r"^(?:标题|名称|关于)+")


@dataclass(frozen=True)
class Metadata:
    body: str | None
    year: int | None
    title: str | None


def _year(text: str) -> int:
    return int(text.translate(_CN_DIGITS))


def find_metadata(doc: Document) -> Metadata:
    """Body and year from the title, the page's metadata, or the first paragraphs."""
    paragraphs = [t.text.strip() for t in doc.tokens[:60] if t.text.strip()]
    candidates = [doc.title, doc.meta.get("标题", ""), doc.meta.get("名称", ""), *paragraphs[:12]]
    body: str | None = None
    year: int | None = None
    title: str | None = None
    for text in candidates:
        m = _TITLE.search(text or "")
        if m:
            body = _LEADING_NOISE.sub("", m.group("body")) or None
            year, title = _year(m.group("year")), text.strip()[:200]
            break
    if year is None:
        joined = "\n".join(paragraphs[:30])
        m = _PERIOD.search(joined) or _ANY_TITLE_YEAR.search(joined)
        year = _year(m.group("year")) if m else None
    if body is None:
        body = doc.meta.get("发布机构") or doc.meta.get("单位") or None
    return Metadata(body, year, title)
