"""Renderers: a `SynthReport` drawn as a file in each form the parser reads.

Every form draws the same outline (title, sections 一 to 六, the three national tables as grids)
in its own syntax: `text` (DOCX-extracted text like the seed report, Markdown, plain text as a
PDF converter writes it), `html` (a CMS page around a Word-exported table), `docx` (WordprocessingML
written directly, merged cells as Word writes them) and `pdf` (a ruled, paginated text-layer PDF).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from xxgk.synth.grid import Table, national_tables
from xxgk.synth.model import SynthReport
from xxgk.synth.narrative import FEE_SENTENCE

INTRO = (
    "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《中华人民共和国政府信息"
    "公开工作年度报告格式》（国办公开办函〔2021〕30号）要求编制。本报告所列数据统计期限自{year}年"
    "1月1日起至{year}年12月31日止。"
)
PROBLEMS = (
    "一是政策解读的形式还不够丰富；二是个别单位信息更新不够及时。下一步，我们将加强业务培训，"
    "健全工作机制，持续提升政务公开质量。"
)


@dataclass(frozen=True)
class Block:
    kind: str  # title | heading | paragraph | table
    text: str = ""
    table: Table | None = None


def outline(report: SynthReport) -> list[Block]:
    """The report's content in order, as every form draws it."""
    t2, t3, t4 = national_tables(report.texts())
    blocks = [
        Block("title", report.title),
        Block("paragraph", INTRO.format(year=report.year)),
        Block("heading", "一、总体情况"),
        *(Block("paragraph", p) for p in report.overview),
        Block("heading", "二、主动公开政府信息情况"),
        Block("table", table=t2),
        Block("heading", "三、收到和处理政府信息公开申请情况"),
        Block("table", table=t3),
        Block("heading", "四、政府信息公开行政复议、行政诉讼情况"),
        Block("table", table=t4),
        Block("heading", "五、存在的主要问题及改进情况"),
        Block("paragraph", PROBLEMS),
        Block("heading", "六、其他需要报告的事项"),
        Block("paragraph", FEE_SENTENCE),
    ]
    if report.edition > 1:
        blocks.append(Block("paragraph", f"（本报告于{report.year + 1}年3月31日更新发布。）"))
    return blocks


def _renderers() -> dict[str, tuple[str, Callable[[SynthReport], bytes]]]:
    from xxgk.synth.render import docx, html, pdf, text

    return {
        "docx_text": (".txt", text.docx_text),
        "markdown": (".md", text.markdown),
        "text": (".txt", text.plain),
        "html": (".html", html.page),
        "docx": (".docx", docx.document),
        "pdf": (".pdf", pdf.document),
    }


FORMS = ("docx_text", "markdown", "text", "html", "docx", "pdf")
TEXT_FORMS = ("docx_text", "markdown", "text", "html")  # the forms a province mostly publishes


def render(report: SynthReport) -> tuple[str, bytes]:
    """The file's extension and bytes for the report's form."""
    suffix, draw = _renderers()[report.form]
    return suffix, draw(report)
