"""A synthetic report as its author wrote it: the cells' text (with what each truly holds), the
narrative and the figures it states, and the faults injected into it. Every renderer draws a
`SynthReport`; the ground truth is read from it, never from the parser."""

from __future__ import annotations

from dataclasses import dataclass, field

from xxgk.synth.bodies import Body

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass(frozen=True)
class CellText:
    text: str  # as written in the document
    value: int | float | None  # what the text says: None for a blank, a mark or invalid text
    status: str  # number | zero | blank | mark | invalid, as the template contract names them


@dataclass(frozen=True)
class Fact:
    """A figure the narrative states, named as the parser names narrative facts."""

    name: str
    value: float


@dataclass(frozen=True)
class Style:
    """How the author writes numbers, and how the website serves the page."""

    grouping: bool = False  # thousands separators: 1,234
    full_width: bool = False  # full-width digits: １２
    gbk: bool = False  # an HTML page served in GBK rather than UTF-8


def number_text(value: int | float, style: Style) -> CellText:
    if isinstance(value, float) and value != int(value):
        text = f"{value:,.2f}" if style.grouping else f"{value:.2f}"
    else:
        text = f"{int(value):,}" if style.grouping else str(int(value))
    if style.full_width:
        text = text.translate(FULL_WIDTH)
    return CellText(text, value, "zero" if value == 0 else "number")


@dataclass
class SynthReport:
    key: str  # "<body index>-<year>", "…-b" for the same report published a second time
    body: Body
    year: int
    form: str
    cells: dict[str, CellText]  # every required cell of the 2021 format
    overview: list[str]  # paragraphs of 一、总体情况
    facts: list[Fact]  # the figures those paragraphs state, in order
    style: Style
    faults: list[str] = field(default_factory=list)  # fault kinds injected (faults.KINDS)
    edition: int = 1  # 2: a second publication of the same report (a duplicate)

    @property
    def title(self) -> str:
        return f"{self.body.name}{self.year}年政府信息公开工作年度报告"

    def texts(self) -> dict[str, str]:
        return {code: c.text for code, c in self.cells.items()}
