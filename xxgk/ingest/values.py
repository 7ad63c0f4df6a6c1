"""Cell values: 0, blank and marks stay distinct; nothing ambiguous is guessed.

`read_value` turns a cell's text into a number (int, or float for amounts), or None with a
status saying why: blank, a mark such as "/" or "无", or invalid (with a problem message).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# a cell that says "nothing here" in words or dashes; kept in `raw`, never read as 0
MARKS = frozenset({"/", "-", "--", "—", "——", "–", "―", "无", "不适用", "空", "×", "\\", "…"})
_UNITS = re.compile(r"(件|条|个|项|次|起|宗|万元|元)$")
_PLAIN = re.compile(r"^[+-]?\d+(\.\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


@dataclass(frozen=True)
class Value:
    value: int | float | None
    status: str  # number | zero | blank | mark | invalid
    problem: str | None = None


def clean(text: str) -> str:
    """NFKC (full-width digits, commas and slashes to ASCII) without any white space."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).replace("\u3000", "")


_MARKS = frozenset(clean(m) for m in MARKS)  # as a cell compares: NFKC makes "…" "..."


@lru_cache(maxsize=1 << 16)  # most cells are a handful of small numbers
def is_value_text(text: str) -> bool:
    """Could this token be a cell value (a number, a mark, or empty), not a label?"""
    s = clean(text)
    if not s or s in _MARKS:
        return True
    s = _UNITS.sub("", s)
    return bool(_PLAIN.match(s) or _GROUPED.match(s))


@lru_cache(maxsize=1 << 16)
def read_value(text: str, kind: str = "count") -> Value:
    """Read one cell. kind: count (non-negative integer), signed (integer), amount (decimal)."""
    s = clean(text)
    if not s:
        return Value(None, "blank")
    if s in _MARKS:
        return Value(None, "mark")
    s = _UNITS.sub("", s)
    if _GROUPED.match(s):
        s = s.replace(",", "")
    if not _PLAIN.match(s):
        return Value(None, "invalid", f"not a number: {text.strip()!r}")
    if kind == "amount":
        number: int | float = float(s)
    elif "." in s:
        whole, frac = s.split(".")
        if set(frac) != {"0"}:
            return Value(None, "invalid", f"a fraction in a count cell: {text.strip()!r}")
        number = int(whole)
    else:
        number = int(s)
    if number < 0 and kind != "signed":
        return Value(number, "number", f"negative value in a count cell: {text.strip()!r}")
    return Value(number, "zero" if number == 0 else "number")
