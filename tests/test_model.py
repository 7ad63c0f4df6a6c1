"""The parse model's hand-written __init__s (written for speed) still behave as the dataclass's."""

from __future__ import annotations

import dataclasses
import inspect
import pickle

import pytest

from xxgk.ingest.model import ParsedCell, Token


@pytest.mark.parametrize("cls", [Token, ParsedCell])
def test_init_takes_exactly_the_fields(cls: type) -> None:
    params = list(inspect.signature(cls).parameters.values())
    fields = dataclasses.fields(cls)
    assert [p.name for p in params] == [f.name for f in fields]
    assert [p.default for p in params] == [
        inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default for f in fields
    ]


def test_still_frozen_hashable_and_copyable() -> None:
    cell = ParsedCell("t3.a.b", 3, "3", "line 4", "number")
    assert cell == ParsedCell("t3.a.b", 3, "3", "line 4", "number", "read", ())
    assert hash(cell) == hash(ParsedCell("t3.a.b", 3, "3", "line 4", "number"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        cell.value = 4  # type: ignore[misc]
    assert dataclasses.replace(cell, value=4).value == 4
    assert pickle.loads(pickle.dumps(cell)) == cell
    assert dataclasses.asdict(cell)["inferred_from"] == ()
    token = Token("规章", 2, "line 3")
    assert token.in_table and token == Token(text="规章", row=2, where="line 3", in_table=True)
    assert pickle.loads(pickle.dumps(token)) == token
