"""Label normalisation: the one place that decides when two label texts mean the same row.

Real reports number, wrap, quote and punctuate the template's labels in many ways ("1." or "1、"
or "（1）", "三（一）", full-width or half-width brackets, “三安全一稳定” with or without quotes).
`label_key` reduces a label to its words so those variants compare equal.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CN_NUM = "一二三四五六七八九十"
# numbering prefixes, stripped repeatedly: "三、" "三（一）" "（一）" "1." "1、" "(1)" "①"
_PREFIX = re.compile(
    rf"^(?:[{_CN_NUM}]+[、.．,，]|[{_CN_NUM}]+(?=\()|\([{_CN_NUM}]+\)|\d{{1,2}}[、.．)](?!\d)"
    rf"|\(\d{{1,2}}\))"
)
# ① … ⑳ as (1) … (20): NFKC would make them bare digits, which are no numbering prefix
_CIRCLED = {0x2460 + i: f"({i + 1})" for i in range(20)}
_NOT_WORD = re.compile(r"[^0-9A-Za-z\u3400-\u9fff]+")


def normalize_text(text: str) -> str:
    """NFKC (full-width digits and brackets to ASCII) and no white space at all."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@lru_cache(maxsize=1 << 16)  # labels repeat across a batch of reports
def label_key(text: str) -> str:
    """The words of a label: no numbering prefix, punctuation, quotes or white space."""
    s = normalize_text(text.translate(_CIRCLED))
    while True:
        stripped = _PREFIX.sub("", s, count=1)
        if stripped == s:
            break
        s = stripped
    return _NOT_WORD.sub("", s)


@lru_cache(maxsize=1 << 16)
def matches(text_key: str, keys: frozenset[str]) -> bool:
    """Does a token's label key name one of `keys`?

    Exact match, or a long key that the token starts with (a label followed by a note), or a
    long token that a key starts with (a label cut where a converter wrapped it).
    """
    if not text_key:
        return False
    if text_key in keys:
        return True
    return any(
        (len(k) >= 6 and text_key.startswith(k)) or (len(text_key) >= 6 and k.startswith(text_key))
        for k in keys
    )
