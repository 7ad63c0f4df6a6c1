"""Figures the narrative states, each kept with its sentence, for the narrative-vs-table rules.

Only what a sentence says plainly is taken: a count with its unit next to the words that name it,
or an explicit "未发生/没有/无" for that thing in the same clause. Readings of loose wording (收到
申请 N 件 is 新收 in some reports, 新收 + 上年结转 in others) are left to the rules.
"""

from __future__ import annotations

import re

from xxgk.ingest.model import Document, Fact

_SENTENCE = re.compile(r"[^。；;！!\n]+")
_N = r"(\d[\d,]*(?:\.\d+)?)"
_COUNT = r"\s*(?:件|起|宗|个)"
_BOTH = r"行政复议[、和及与]行政诉讼"
_RECEIVED = r"(?:收到|受理|新收|接收|收悉)"
_SAID = r"(?:共|数量为|为)?\s*"

# (fact name, pattern with the number as group 1); the first pattern that matches a sentence
# span wins, so the combined review-and-suit wording is tried before the single ones.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "review_and_suit_cases",
        re.compile(r"行政复议[、和及与]行政诉讼[^。；，]{0,20}?" + _N + _COUNT),
    ),
    (
        "review_and_suit_cases",
        re.compile(r"行政复议[、和及与]行政诉讼[^。；]{0,30}?共[^。；]{0,12}?" + _N + _COUNT),
    ),
    ("admin_review_cases", re.compile(r"行政复议(?:案件|申请)?(?:共|数量为|为)?\s*" + _N + _COUNT)),
    ("admin_suit_cases", re.compile(r"行政诉讼(?:案件)?(?:共|数量为|为)?\s*" + _N + _COUNT)),
    (
        "applications_received",
        # 收到政府信息公开申请 N 件 / 受理申请 N 件 / 共收到依申请信息公开 N 件
        re.compile(_RECEIVED + r"[^。；，]{0,16}?申请[^。；，\d]{0,8}?" + _N + _COUNT),
    ),
    (
        "applications_handled",
        re.compile(r"(?:办理|办结|答复)(?:了)?(?:政府信息公开申请)?(?:共)?\s*" + _N + r"\s*件"),
    ),
    (
        "applications_carried_forward",
        re.compile(r"结转(?:至)?下(?:一)?年(?:度)?(?:继续办理)?\s*" + _N + r"\s*件"),
    ),
]
_FEE = re.compile(r"信息(?:公开)?处理费[^。；]{0,30}?" + _N + r"\s*(万元|元)")
_NEGATED = {
    "admin_review_cases": re.compile(r"(?:未发生|没有发生|没有|未收到|无)[^。；，,]{0,24}行政复议"),
    "admin_suit_cases": re.compile(r"(?:未发生|没有发生|没有|未收到|无)[^。；，,]{0,24}行政诉讼"),
    "fee_yuan": re.compile(r"(?:未|无|没有|不)[^。；，,]{0,12}信息(?:公开)?处理费"),
}


# a word every pattern above needs: a paragraph without one states no fact (most do not)
_ANY_FACT = re.compile(r"行政复议|行政诉讼|申请|办理|办结|答复|结转|处理费")


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def find_facts(doc: Document) -> list[Fact]:
    facts: list[Fact] = []
    for token in doc.paragraphs():
        if not _ANY_FACT.search(token.text):
            continue
        for m in _SENTENCE.finditer(token.text):
            sentence = m.group()
            if _ANY_FACT.search(sentence):
                facts.extend(_sentence_facts(sentence.strip(), token.where))
    return facts


def _sentence_facts(sentence: str, where: str) -> list[Fact]:
    out: list[Fact] = []
    taken: list[tuple[int, int]] = []
    for name, pattern in _PATTERNS:
        for m in pattern.finditer(sentence):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append(m.span())
            out.append(Fact(name, _number(m.group(1)), "件", sentence, where))
    found = {f.name for f in out}
    fee = _FEE.search(sentence)
    if fee:
        scale = 10000 if fee.group(2) == "万元" else 1
        out.append(Fact("fee_yuan", _number(fee.group(1)) * scale, "元", sentence, where))
        found.add("fee_yuan")
    for name, pattern in _NEGATED.items():
        if name not in found and pattern.search(sentence):
            out.append(Fact(name, 0, "元" if name == "fee_yuan" else "件", sentence, where))
    return out
