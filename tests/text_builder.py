"""Render a report as plain text (as PDF-to-text converters write it) from known cell values,
in the layouts converters produce, so tests can parse it back and compare cell for cell."""

from __future__ import annotations

import random

from xxgk.template.catalog import TemplateFormat

LAYOUTS = ("plain", "columns", "wrapped_values_first", "wrapped_values_last", "subtotal")


def known_values(fmt: TemplateFormat, seed: int, subtotal: bool = False) -> dict[str, int | float]:
    rnd = random.Random(seed)
    out: dict[str, int | float] = {}
    for cell in fmt.cells:
        if cell.column.optional and not subtotal:
            continue
        if cell.column.kind == "amount":
            out[cell.code] = round(rnd.uniform(0, 5000), 2)
        elif cell.column.kind == "signed":
            out[cell.code] = rnd.randint(-5, 5)
        else:
            out[cell.code] = rnd.choice([0, 0, 0, 1, 2, 7, 12, 130, 2048])
    return out


def render(fmt: TemplateFormat, values: dict[str, int | float], layout: str) -> str:
    year = fmt.first_year + 1  # 2020 for the trial format, 2022 for the 2021 one
    lines = [
        f"某某县交通运输局{year}年政府信息公开工作年度报告",
        "一、总体情况",
        "本年度依法依规做好政府信息公开工作。",
        "二、主动公开政府信息情况",
    ]
    t2, t3, t4 = fmt.table("t2"), fmt.table("t3"), fmt.table("t4")
    for row in t2.rows:
        lines.append("信息内容 " + " ".join(t2.column(c).label for c in row.column_codes))
        cells = [values[f"t2.{row.code}.{c}"] for c in row.column_codes]
        lines.append(f"{row.label} " + " ".join(str(v) for v in cells))
    lines += ["三、收到和处理政府信息公开申请情况", "申请人情况 自然人 法人或其他组织 总计"]
    columns = [c for c in t3.columns if layout == "subtotal" or not c.optional]
    header = "商业企业 科研机构 社会公益组织 法律服务机构 其他"
    lines.append(header + (" 小计" if layout == "subtotal" else ""))
    for i, row in enumerate(t3.rows):
        vals = " ".join(str(values[f"t3.{row.code}.{c.code}"]) for c in columns)
        label = row.label
        if row.group.startswith("（") and layout != "columns":
            n = [r.code for r in t3.rows if r.group == row.group].index(row.code) + 1
            label = f"{n}.{label}"
        if layout == "columns" and row.group:
            lines.append(f"{row.group}    {label}    {vals}")
        elif layout.startswith("wrapped") and len(label) > 12:
            head, tail = label[:9], label[9:]
            if layout == "wrapped_values_first":
                lines += [f"{head} {vals}", tail]
            else:
                lines += [head, f"{tail} {vals}"]
        else:
            lines.append(f"{label} {vals}")
        if i == 12:
            lines += ["- 3 -"]  # a page number between rows
    lines += [
        "四、政府信息公开行政复议、行政诉讼情况",
        "行政复议 行政诉讼",
        "结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉",
    ]
    lines.append(
        " ".join(str(values[f"t4.{r.code}.{c.code}"]) for r in t4.rows for c in t4.columns)
    )
    lines += ["五、存在的主要问题及改进情况", "无。", "六、其他需要报告的事项", "无。"]
    return "\n".join(lines) + "\n"
