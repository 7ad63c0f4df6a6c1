"""PDFs for the PDF reader's tests: the flow layout and the national tables now live in the
package (`xxgk.synth.pdf_layout`, `xxgk.synth.grid`), where the synthetic corpus draws with them
too; here are the test-only documents (a whole report, scanned pages, blank pages)."""

from __future__ import annotations

import io

from reportlab.pdfgen import canvas

from xxgk.synth.grid import T3_ROWS as T3_ROWS
from xxgk.synth.grid import table2, table3, table4
from xxgk.synth.pdf_layout import PAGE, Report


def scanned_pdf(pages: int = 2) -> bytes:
    """Image-only pages, as a scanner makes them: no text layer at all."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader

    image = Image.new("L", (400, 560), 255)
    draw = ImageDraw.Draw(image)
    for k in range(12):  # table-like strokes and text-like blobs
        draw.line((20, 40 + 40 * k, 380, 40 + 40 * k), fill=0, width=2)
        draw.rectangle((30, 50 + 40 * k, 30 + 25 * (k % 5 + 1), 62 + 40 * k), fill=60)
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=PAGE)
    for _ in range(pages):
        c.drawImage(ImageReader(image), 40, 60, width=515, height=720)
        c.showPage()
    c.save()
    return out.getvalue()


def blank_pages(count: int) -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=PAGE)
    for _ in range(count):
        c.showPage()
    c.save()
    return out.getvalue()


def national_report(
    t2: dict[str, list[str]],
    t3: dict[str, list[str]],
    t4: list[str],
    *,
    body: str = "测试市人民政府",
    year: int = 2024,
    filler: int = 3,
    **options,
) -> Report:
    """A whole report in the 2021 format: title, narrative, Tables 2-4, sections 五 and 六.
    `filler` paragraphs before Table 2 move where the page breaks fall."""
    r = Report(**options)
    r.heading(body, 20).heading(f"{year}年政府信息公开工作年度报告", 20)
    r.paragraph(f"本报告由{body}办公室根据《中华人民共和国政府信息公开条例》编制。")
    r.heading("一、总体情况")
    r.paragraph(
        f"{year}年，全市共受理政府信息公开申请 {t3['new'][6]} 件，政府信息公开行政复议 "
        f"{t4[4]} 件，政府信息公开行政诉讼 {int(t4[9]) + int(t4[14])} 件。"
    )
    for k in range(filler):
        r.paragraph(f"（{'一二三四五六七八九'[k % 9]}）工作情况。" + "持续深化政务公开，" * 12)
    r.heading("二、主动公开政府信息情况").table(table2(t2))
    r.heading("三、收到和处理政府信息公开申请情况").table(table3(t3))
    r.heading("四、政府信息公开行政复议、行政诉讼情况").table(table4(t4))
    r.page_break()
    r.heading("五、存在的主要问题及改进情况")
    r.paragraph("政策解读质量仍需提升。" * 4)
    r.heading("六、其他需要报告的事项")
    r.paragraph(f"{year}年未收取信息处理费。")
    return r
