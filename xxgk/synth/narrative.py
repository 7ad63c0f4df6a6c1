"""The narrative of 一、总体情况: sentences that quote the tables' figures, in the wordings real
reports use, each wording one the parser's fact patterns read as exactly one figure.

`stated_figures` picks which figures a report states (always the applications received; the
others often); `overview` writes the paragraphs from those figures, so a narrative fault only has
to change a figure before the sentences are written.
"""

from __future__ import annotations

import random

from xxgk.synth.model import Fact

Figures = dict[str, int]  # fact name -> the figure the narrative states


def stated_figures(cells: dict[str, int | float], rnd: random.Random) -> Figures:
    """The figures this report's narrative states, as the (possibly faulted) tables give them."""
    out: Figures = {"applications_received": int(cells["t3.new.total"])}
    if rnd.random() < 0.6:
        out["applications_handled"] = int(cells["t3.results_total.total"])
    if rnd.random() < 0.5:
        out["applications_carried_forward"] = int(cells["t3.carried_forward.total"])
    review = int(cells["t4.review.total"])
    suits = int(cells["t4.suit_direct.total"]) + int(cells["t4.suit_after_review.total"])
    if rnd.random() < 0.25 and review + suits:
        out["review_and_suit_cases"] = review + suits
    else:
        out["admin_review_cases"] = review
        out["admin_suit_cases"] = suits
    return out


def _applications(f: Figures, year: int, rnd: random.Random) -> str:
    received = f["applications_received"]
    lead = rnd.choice(
        (
            f"本年度，共收到政府信息公开申请{received}件",
            f"{year}年，全年共受理政府信息公开申请{received}件",
            f"{year}年新收政府信息公开申请{received}件",
        )
    )
    parts = [lead]
    if "applications_handled" in f:
        parts.append(f"办结{f['applications_handled']}件")
    if "applications_carried_forward" in f:
        parts.append(f"结转下年度{f['applications_carried_forward']}件")
    return "（二）依申请公开。" + "，".join(parts) + "，均严格按照法定程序和时限予以答复。"


def _cases(f: Figures) -> str:
    head = "（三）行政复议和行政诉讼。"
    if "review_and_suit_cases" in f:
        return head + f"本年度政府信息公开行政复议、行政诉讼案件共{f['review_and_suit_cases']}件。"
    review, suits = f["admin_review_cases"], f["admin_suit_cases"]
    if not review and not suits:
        return head + "本年度未发生政府信息公开行政复议、行政诉讼案件。"
    first = "未发生政府信息公开行政复议案件"
    if review:
        first = f"发生政府信息公开行政复议案件{review}件"
    second = f"行政诉讼案件{suits}件" if suits else "未发生行政诉讼案件"
    return head + f"本年度{first}，{second}。"


def overview(f: Figures, year: int, rnd: random.Random) -> list[str]:
    published = rnd.randint(30, 3000)
    return [
        f"（一）主动公开。{year}年，通过政府门户网站主动公开政府信息{published}条，"
        f"发布政策解读{rnd.randint(1, 60)}篇，及时回应社会关切。",
        _applications(f, year, rnd),
        _cases(f),
        "（四）平台建设。持续优化政府信息公开专栏，规范栏目设置，做好日常巡查和内容保障。",
    ]


FEE_SENTENCE = "本年度未收取信息处理费。"


def facts(f: Figures) -> list[Fact]:
    """The facts the parser reads from `overview(f)` and the fee sentence, in order."""
    order = (
        "applications_received",
        "applications_handled",
        "applications_carried_forward",
        "review_and_suit_cases",
        "admin_review_cases",
        "admin_suit_cases",
    )
    return [Fact(name, float(f[name])) for name in order if name in f] + [Fact("fee_yuan", 0.0)]
