from __future__ import annotations

import pytest

from xxgk.ingest.values import is_value_text, read_value
from xxgk.template.labels import label_key, matches


@pytest.mark.parametrize(
    ("text", "kind", "value", "status"),
    [
        ("0", "count", 0, "zero"),
        ("12", "count", 12, "number"),
        (" 1,234 ", "count", 1234, "number"),
        ("１２３", "count", 123, "number"),
        ("5件", "count", 5, "number"),
        ("", "count", None, "blank"),
        ("\u3000", "count", None, "blank"),
        ("/", "count", None, "mark"),
        ("／", "count", None, "mark"),
        ("—", "count", None, "mark"),
        ("无", "count", None, "mark"),
        ("不适用", "count", None, "mark"),
        ("4068.208", "amount", 4068.208, "number"),
        ("-2", "signed", -2, "number"),
        ("1,2", "count", None, "invalid"),
        ("12.5", "count", None, "invalid"),
        ("约10", "count", None, "invalid"),
    ],
)
def test_read_value(text: str, kind: str, value: object, status: str) -> None:
    v = read_value(text, kind)
    assert (v.value, v.status) == (value, status)
    assert (v.problem is not None) == (status == "invalid")


def test_negative_count_is_kept_and_reported() -> None:
    v = read_value("-3", "count")
    assert v.value == -3 and v.problem and "negative" in v.problem


def test_value_text_is_strict() -> None:
    assert is_value_text("0") and is_value_text("") and is_value_text("/")
    assert not is_value_text("数据1") and not is_value_text("2025年度")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("三（一）予以公开", "予以公开"),
        (
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            "部分公开区分处理的只计这一情形不计其他情形",
        ),
        ("3.危及“三安全一稳定”", "危及三安全一稳定"),
        ("1、属于国家秘密", "属于国家秘密"),
        ("６．属于四类过程性信息", "属于四类过程性信息"),
        ("(六) 其他处理", "其他处理"),
        ("四、结转下年度继续办理", "结转下年度继续办理"),
        ("本年增/减", "本年增减"),
    ],
)
def test_label_key(a: str, b: str) -> None:
    assert label_key(a) == b


def test_short_labels_match_only_exactly() -> None:
    keys = frozenset({label_key("其他")})
    assert matches(label_key("3.其他"), keys)
    assert not matches(label_key("其他法律行政法规禁止公开"), keys)
    long = frozenset({label_key("申请人无正当理由逾期不补正")})
    assert matches(label_key("1.申请人无正当理由逾期不补正、行政机关不再处理"), long)
